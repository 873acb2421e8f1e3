import { LoadProfile } from "../faults/load.ts"
import { RandomStreams, sampler } from "../kernel/Random.ts"
import type { CallNode, SpawnNode } from "../model/CallNode.ts"
import { RetryBudget, Throttle } from "../model/ClientPolicy.ts"
import { FastReject } from "../model/FastReject.ts"
import { HashRing } from "../model/HashRing.ts"
import { Host } from "../model/Host.ts"
import { Kind } from "../model/Kind.ts"
import { Disk, Link } from "../model/Link.ts"
import type { Model } from "../model/Model.ts"
import { PortPool } from "../model/PortPool.ts"
import { Redelivery } from "../model/Redelivery.ts"
import { Instance, Service } from "../model/Service.ts"
import { SharedCpu } from "../model/SharedCpu.ts"
import { ShieldTable } from "../model/Shield.ts"
import { TimerList } from "../model/TimerList.ts"
import { Users } from "../model/Users.ts"
import type { CallSpec, Scenario } from "../scenario/Scenario.ts"

/** The root call of a workload written with the `to:` shorthand: one call, the service's defaults. */
export function shorthandCall(to: string): CallSpec {
  return {
    to, cpu: null, requestBytes: 0, replyBytes: 0, timeout: null, tries: 1, route: "round-robin",
    diskWrite: 0, diskRead: 0, quorum: 0, when: "always", externalLatency: null, toClientBytes: 0, calls: [], spawn: [],
  }
}

/** A connect to a host that cannot answer fails after this long unless the scenario says otherwise. */
export const DEFAULT_CONNECT_TIMEOUT_S = 1

const NO_POLICY = { retrySame: false, retryBudget: null, throttle: null } as const

/** A call with nothing but queueing and CPU: no network, timeout, retries, disk or downstream work. */
function isPlain(n: CallNode): boolean {
  return n.calls.length === 0 && n.spawn.length === 0 && n.timeout === null && n.tries === 1 &&
    n.requestBytes === 0 && n.replyBytes === 0 && n.diskRead === 0 && n.diskWrite === 0 && n.quorum === 0 && n.readQuorum === 0 &&
    n.externalLatency === null && n.toClientBytes === 0 && n.when === "always" && n.throttle === null
}

/**
 * Instantiates a scenario: `<class>-<n>` hosts, one instance of each service on every host of its
 * class, one random stream per component (service, workload, spawner), call trees compiled.
 *
 * @example
 * const model = buildModel(scenario)
 * model.services[0].instances.length // = hosts[service.host].count
 */
export function buildModel(scenario: Scenario): Model {
  const streams = new RandomStreams(scenario.seed)
  const hostsByClass = new Map<string, Host[]>()
  const hosts: Host[] = []
  // ports per destination: the upstreams are the instances of the long-connection service
  const viaSpec = scenario.longConnections?.via == null ? undefined : scenario.services[scenario.longConnections.via]
  const upstreams = viaSpec === undefined ? 1 : (scenario.hosts[viaSpec.host]?.count ?? 1)
  for (const [cls, spec] of Object.entries(scenario.hosts)) {
    const list: Host[] = []
    for (let n = 1; n <= spec.count; n++) {
      const nic = spec.nicBps ?? null
      list.push(
        new Host(
          `${cls}-${n}`, cls, n - 1, spec.cores,
          nic === null ? null : new Link(nic),
          nic === null ? null : new Link(nic),
          spec.ports == null ? null
            : new PortPool(spec.ports, spec.timeWait ?? 60, spec.portsPer === "destination" ? upstreams : 1, spec.portReserve ?? 0),
          spec.disk == null ? null : new Disk(spec.disk.writeBps, spec.disk.readBps, spec.disk.iops ?? null),
        ),
      )
    }
    if (spec.scheduling === "ps") for (const h of list) h.sharedCpu = new SharedCpu(spec.cores)
    hostsByClass.set(cls, list)
    for (const h of list) h.id = hosts.push(h) - 1
  }

  const hostCount = hosts.length
  const services: Service[] = []
  const byName = new Map<string, Service>()
  for (const [name, spec] of Object.entries(scenario.services)) {
    const cpu = sampler(spec.cpu, streams.stream(`service:${name}:cpu`))
    const service = new Service(name, spec.workers, spec.queue ?? Infinity, cpu)
    service.vipFailover = scenario.hosts[spec.host]?.vip?.failover ?? null
    service.dropAfter = spec.dropAfter ?? Infinity
    service.wakeup = spec.wakeup ?? 0
    service.uinPriority = spec.fastReject?.priority === "uin"
    service.admission = streams.stream(`service:${name}:admission`)
    const placed = hostsByClass.get(spec.host) ?? []
    const fastReject = spec.fastReject ?? null
    if (fastReject !== null) service.clientCacheS = fastReject.clientCacheS
    placed.forEach((host, i) => {
      const fr = fastReject === null ? null : new FastReject({ ...fastReject, enabled: true })
      service.instances.push(new Instance(host.name, i, service, host, fr))
    })
    // Per calling machine: one slot per host, and one for users on the internet (README, issue 11).
    service.callerSlots = fastReject?.clientCacheScope === "callee" ? 1 : hostCount + 1
    service.clientRejectUntil = new Float64Array(service.callerSlots * placed.length).fill(-1)
    service.clientRejectPass = new Float64Array(service.callerSlots * placed.length).fill(1)
    if (placed.length > 0) {
      service.ring = new HashRing(placed.length)
      if ((scenario.users ?? 0) > 0) service.ringOwner = new Uint16Array(scenario.users!)
      service.shields = new ShieldTable(placed.length, spec.shield ?? {}, spec.shield?.scope === "callee" ? 1 : hostCount)
    }
    services.push(service)
    byName.set(name, service)
  }

  const lc = scenario.longConnections
  const via = lc?.via == null ? null : (byName.get(lc.via) ?? null)
  const perUser = scenario.connectionsPerUser ?? 1
  const users = new Users(scenario.users ?? 0, scenario.onlineRatio ?? 1, hostsByClass.get(scenario.accessClass ?? "") ?? [], {
    perUser, via, balance: lc?.balance ?? "least-connections", lifetime: lc?.lifetime ?? 0,
  })
  if (lc !== undefined) {
    users.reconnectDelay = sampler(lc.reconnect, streams.stream("users:reconnect"))
    if (lc.lifetime !== null && users.slots > 0) {
      users.churnGap = sampler({ kind: "exp", mean: lc.lifetime / users.slots }, streams.stream("users:churn"))
      users.churnPick = streams.stream("users:churn-pick")
    }
  }
  const active = Math.max(1, Math.round((scenario.users ?? 0) * (scenario.activeRatio ?? 1)))
  const kinds: Kind[] = []
  const kindByName = new Map<string, Kind>()
  for (const [name, spec] of Object.entries(scenario.workload)) {
    const end = scenario.warmup + scenario.duration
    const profile = LoadProfile.of(name, spec.rate, scenario.faults, end)
    const maxRate = profile?.maxRate ?? spec.rate
    // a kind replayed from an access log takes no Poisson arrivals (`sim/request/replay.ts`)
    const traced = scenario.trace?.kinds.includes(name) === true
    const interarrival =
      maxRate > 0 && !traced ? sampler({ kind: "exp", mean: 1 / maxRate }, streams.stream(`workload:${name}:arrivals`)) : null
    const senders = (scenario.users ?? 0) === 0 ? 0 : spec.senders === "active" ? active : scenario.users!
    const kind = new Kind(kinds.length, name, interarrival, streams.stream(`workload:${name}:uin`), senders, spec.connection ?? "none")
    if (profile !== null) {
      kind.profile = profile
      kind.thinning = streams.stream(`workload:${name}:thinning`)
    }
    kinds.push(kind)
    kindByName.set(name, kind)
  }

  if (lc?.login != null) users.login = kindByName.get(lc.login) ?? null

  // Svrkit's connect timeout, and Linux's initial SYN retransmission timeout (README, issue 11).
  const connectTimeout = scenario.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT_S
  const compile = (spec: CallSpec, where: string): CallNode => {
    const service = byName.get(spec.to)
    if (service === undefined) throw new Error(`${where}: unknown service ${spec.to}`)
    const node = compileNode(spec, service, where)
    service.callSites.push(node)
    return node
  }
  const compileNode = (spec: CallSpec, service: Service, where: string): CallNode => {
    const spawn: SpawnNode[] = spec.spawn.map((s, i) => {
      const kind = kindByName.get(s.kind)
      if (kind === undefined) throw new Error(`${where}.spawn[${i}]: unknown workload ${s.kind}`)
      return {
        kind,
        count: sampler(s.count, streams.stream(`${where}.spawn[${i}]:count`)),
        probability: s.probability,
        sameUin: s.uin === "same",
        fromOrigin: s.clock === "origin",
        byUser: s.by === "user",
      }
    })
    return {
      service,
      cpu: spec.cpu === null ? null : sampler(spec.cpu, streams.stream(`${where}:cpu`)),
      requestBytes: spec.requestBytes,
      replyBytes: spec.replyBytes,
      timeout: spec.timeout,
      timers: spec.timeout === null ? null : new TimerList(spec.timeout),
      tries: spec.tries,
      route: spec.route,
      diskWrite: spec.diskWrite,
      diskRead: spec.diskRead,
      quorum: spec.quorum,
      readQuorum: spec.readQuorum ?? 0,
      connectTimeout: spec.connectTimeout ?? connectTimeout,
      connectTimers: null,
      when: spec.when,
      externalLatency: spec.externalLatency === null ? null : sampler(spec.externalLatency, streams.stream(`${where}:external`)),
      toClientBytes: spec.toClientBytes,
      retrySame: spec.retrySame ?? false,
      retryBudget: spec.retryBudget == null ? null : new RetryBudget(spec.retryBudget),
      throttle: spec.throttle == null ? null : new Throttle(spec.throttle.k, spec.throttle.windowS),
      calls: spec.calls.map((child, i) => compile(child, `${where}.calls[${i}]`)),
      spawn,
    }
  }
  for (const [name, spec] of Object.entries(scenario.workload)) {
    const root = compile(spec.call ?? shorthandCall(spec.to), `workload.${name}.call`)
    const kind = kindByName.get(name)!
    const redeliver = spec.redeliver ?? null
    // the MQ's backlog is counted per instance of the entry service
    if (redeliver !== null) kind.redelivery = new Redelivery(redeliver, root.service!.instances.length)
    kind.direct = isPlain(root) && kind.connection === "none" && redeliver === null ? root : null
    kind.origin = {
      service: null, cpu: null, requestBytes: 0, replyBytes: 0, timeout: null, timers: null, tries: 1, route: "round-robin",
      diskWrite: 0, diskRead: 0, quorum: 0, readQuorum: 0, connectTimeout, connectTimers: null, when: "always", externalLatency: null,
      toClientBytes: 0, calls: [root], spawn: [],
      ...NO_POLICY,
    }
  }
  return {
    hosts, services, kinds, users,
    spawnStream: streams.stream("spawner"),
    faultStream: streams.stream("faults"),
  }
}

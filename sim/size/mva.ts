/**
 * Mean-value analysis of a scenario as an open queueing network: the analytic first guess that
 * `wwsim size` prints beside the simulated answer.
 *
 * - Arrival rates: each request kind's call tree is walked from its Poisson rate; a call taken
 *   only `when: online` / `offline` is weighted by the online ratio; a spawn adds
 *   `probability × E[count]` requests of its kind per call; retries and failures are ignored.
 * - Routing (round-robin, uin hashing, the uin's group, the user's access host) spreads a tier's
 *   load evenly over its instances that are up, so a host carries its class's demand / hosts up.
 * - CPU: a host is an M/M/c queue with c = its cores, fed by every service placed on it; its demand
 *   is Σ rate × mean CPU (`moments`), its utilisation demand / cores, its queue wait Erlang C.
 * - A call's response time: the host's queue wait + its mean CPU + its disk time (M/M/1 on the
 *   disk) + external latency + its synchronous calls in order (network transfer is ignored).
 * - Coroutine pools: by Little's law the busy workers of a service are Σ rate × the response time
 *   of its calls (which includes the downstream calls a worker waits for); their share of
 *   `workers` is where queueing, not raw capacity, decides.
 * - NIC: request bytes out of the caller and into the callee, reply bytes back, `toClient` bytes
 *   out of the callee, quorum writes replicated to the other members of the group.
 */
import { moments } from "../kernel/Random.ts"
import type { CallSpec, Scenario } from "../scenario/Scenario.ts"

/**
 * Erlang B blocking probability B(c, a), by the stable recursion B(k) = a·B(k−1) / (k + a·B(k−1)).
 * (A copy of test/oracles/queueing.ts's, so the simulator does not import from test/.)
 */
export function erlangB(c: number, a: number): number {
  let b = 1
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b)
  return b
}

/** Erlang C: the probability an arrival waits in M/M/c, C = c·B / (c − a·(1 − B)); 1 when a ≥ c. */
export function erlangC(c: number, a: number): number {
  if (a >= c) return 1
  const b = erlangB(c, a)
  return (c * b) / (c - a * (1 - b))
}

/**
 * M/M/c: mean wait in queue Wq = C(c, a) / (c·μ − λ) with a = λ/μ; Infinity when λ ≥ c·μ.
 *
 * @example
 * mmcWait(1, 0.5, 1) // 1: M/M/1 at ρ = 0.5, Wq = ρ/(μ − λ)
 */
export function mmcWait(c: number, lambda: number, meanService: number): number {
  if (lambda <= 0 || meanService <= 0) return 0
  const mu = 1 / meanService
  if (lambda >= c * mu) return Infinity
  return erlangC(c, lambda / mu) / (c * mu - lambda)
}

export interface MvaService {
  readonly name: string
  readonly host: string
  /** Requests per second to the whole service (all instances). */
  readonly rate: number
  /** Mean CPU seconds per request (averaged over the calls that reach it). */
  readonly meanCpuS: number
  /** Mean response time of a call to it, seconds: queue wait + CPU + disk + its downstream calls. */
  readonly responseS: number
  /** Busy workers of one instance (Little's law) / workers. */
  readonly workerUtil: number
}

export interface MvaHost {
  readonly name: string
  readonly count: number
  /** Hosts up (count − 1 for the class with a host down). */
  readonly up: number
  readonly cores: number
  /** Busy cores per host up. */
  readonly cpuDemand: number
  /** cpuDemand / cores. */
  readonly cpuUtil: number
  /** Mean CPU queue wait (M/M/c), seconds. */
  readonly cpuWaitS: number
  /** Per host up; null when the class has no NIC modelled. */
  readonly nicInMbps: number
  readonly nicOutMbps: number
  readonly nicLimitMbps: number | null
  readonly diskWriteMBps: number
  readonly diskReadMBps: number
  readonly diskLimitMBps: { readonly write: number; readonly read: number } | null
  /** The resource closest to its limit and its use (CPU, NIC, disk, workers of a service). */
  readonly binding: { readonly resource: "cpu" | "nic in" | "nic out" | "disk write" | "disk read" | "workers"; readonly fraction: number; readonly detail?: string }
}

export interface MvaKind {
  readonly name: string
  /** Requests per second, external plus spawned. */
  readonly rate: number
  /** Mean response time of its call tree, seconds. */
  readonly responseS: number
}

export interface MvaResult {
  readonly services: Readonly<Record<string, MvaService>>
  readonly hosts: Readonly<Record<string, MvaHost>>
  readonly kinds: Readonly<Record<string, MvaKind>>
}

export interface MvaOptions {
  /** A host class with one host down: its load spread over count − 1 hosts. */
  readonly down?: string
}

/** How deep spawns may nest (a spawn cycle is cut here). */
const MAX_DEPTH = 16
const GROUP = 3

const plainCall = (to: string): CallSpec => ({
  to, cpu: null, requestBytes: 0, replyBytes: 0, timeout: null, tries: 1, route: "round-robin",
  diskWrite: 0, diskRead: 0, quorum: 0, when: "always", externalLatency: null, toClientBytes: 0, calls: [], spawn: [],
})

/**
 * The mean-value analysis of `scenario` (faults are ignored; `down` takes one host of a class out).
 *
 * @example
 * const m = mva(scenario)
 * m.hosts.logic.cpuUtil   // busy cores / cores on a logic host
 * m.services.wwllogic.responseS
 */
export function mva(scenario: Scenario, options: MvaOptions = {}): MvaResult {
  const online = scenario.onlineRatio ?? 1
  const classes = Object.keys(scenario.hosts)
  const up = (cls: string) => {
    const n = scenario.hosts[cls].count
    return Math.max(0, options.down === cls ? n - 1 : n)
  }
  const zero = () => Object.fromEntries(classes.map((c) => [c, 0])) as Record<string, number>
  const cpuDemand = zero(), arrivals = zero(), nicIn = zero(), nicOut = zero(), diskW = zero(), diskR = zero()
  const svcRate: Record<string, number> = {}
  const svcCpu: Record<string, number> = {}
  const kindRate: Record<string, number> = {}
  const share = (node: CallSpec) => (node.when === "online" ? online : node.when === "offline" ? 1 - online : 1)
  const rootOf = (kind: string): CallSpec => scenario.workload[kind].call ?? plainCall(scenario.workload[kind].to)
  const cpuOf = (node: CallSpec) => moments(node.cpu ?? scenario.services[node.to].cpu).mean

  // Pass 1: rates, CPU, NIC and disk demand per host class.
  const visit = (node: CallSpec, rate: number, caller: string | null, depth: number): void => {
    const r = rate * share(node)
    const svc = scenario.services[node.to]
    if (r <= 0 || svc === undefined) return
    const cls = svc.host
    svcRate[node.to] = (svcRate[node.to] ?? 0) + r
    svcCpu[node.to] = (svcCpu[node.to] ?? 0) + r * cpuOf(node)
    cpuDemand[cls] += r * cpuOf(node)
    arrivals[cls] += r
    if (caller !== null) {
      nicOut[caller] += r * node.requestBytes
      nicIn[caller] += r * node.replyBytes
    }
    nicIn[cls] += r * node.requestBytes
    nicOut[cls] += r * (node.replyBytes + node.toClientBytes)
    diskR[cls] += r * node.diskRead
    if (node.quorum > 0) {
      const members = Math.min(GROUP, up(cls))
      diskW[cls] += r * node.diskWrite * members
      nicOut[cls] += r * node.requestBytes * (members - 1)
      nicIn[cls] += r * node.requestBytes * (members - 1)
    } else {
      diskW[cls] += r * node.diskWrite
    }
    for (const child of node.calls) visit(child, r, cls, depth)
    if (depth < MAX_DEPTH) {
      for (const sp of node.spawn) {
        const n = r * sp.probability * moments(sp.count).mean
        if (scenario.workload[sp.kind] === undefined) continue
        kindRate[sp.kind] = (kindRate[sp.kind] ?? 0) + n
        visit(rootOf(sp.kind), n, sp.by === "user" ? null : cls, depth + 1)
      }
    }
  }
  for (const [kind, w] of Object.entries(scenario.workload)) {
    if (w.rate <= 0) continue
    kindRate[kind] = (kindRate[kind] ?? 0) + w.rate
    visit(rootOf(kind), w.rate, null, 0)
  }

  // Per host up: CPU as M/M/c over the host's cores.
  const perHost = (cls: string, total: number) => (up(cls) === 0 ? (total > 0 ? Infinity : 0) : total / up(cls))
  const cpuWait: Record<string, number> = {}
  for (const cls of classes) {
    const lambda = perHost(cls, arrivals[cls])
    const demand = perHost(cls, cpuDemand[cls])
    cpuWait[cls] = lambda === 0 ? 0 : !Number.isFinite(lambda) ? Infinity : mmcWait(scenario.hosts[cls].cores, lambda, demand / lambda)
  }
  const diskTime = (cls: string, bytes: number, kind: "write" | "read") => {
    const d = scenario.hosts[cls].disk
    if (bytes <= 0 || d == null) return 0
    const bps = kind === "write" ? d.writeBps : d.readBps
    const rho = perHost(cls, kind === "write" ? diskW[cls] : diskR[cls]) / bps
    return rho >= 1 ? Infinity : bytes / bps / (1 - rho)
  }

  // Pass 2: response times (sequential calls), and busy workers by Little's law.
  const busy: Record<string, number> = {}
  const respSum: Record<string, number> = {}
  const respond = (node: CallSpec, rate: number): number => {
    const r = rate * share(node)
    const svc = scenario.services[node.to]
    if (svc === undefined) return 0
    const cls = svc.host
    let t = cpuWait[cls] + cpuOf(node) + diskTime(cls, node.diskWrite, "write") + diskTime(cls, node.diskRead, "read")
    if (node.externalLatency !== null) t += moments(node.externalLatency).mean
    for (const child of node.calls) t += share(child) * respond(child, r)
    busy[node.to] = (busy[node.to] ?? 0) + r * t
    respSum[node.to] = (respSum[node.to] ?? 0) + r * t
    return t
  }
  const kinds: Record<string, MvaKind> = {}
  for (const kind of Object.keys(scenario.workload)) {
    const rate = kindRate[kind] ?? 0
    const root = rootOf(kind)
    kinds[kind] = { name: kind, rate, responseS: share(root) * respond(root, rate) }
  }

  const services: Record<string, MvaService> = {}
  for (const [name, svc] of Object.entries(scenario.services)) {
    const rate = svcRate[name] ?? 0
    const instances = up(svc.host)
    services[name] = {
      name, host: svc.host, rate,
      meanCpuS: rate > 0 ? svcCpu[name] / rate : moments(svc.cpu).mean,
      responseS: rate > 0 ? respSum[name] / rate : 0,
      workerUtil: rate === 0 ? 0 : instances === 0 ? Infinity : (busy[name] ?? 0) / instances / svc.workers,
    }
  }

  const hosts: Record<string, MvaHost> = {}
  for (const cls of classes) {
    const h = scenario.hosts[cls]
    const demand = perHost(cls, cpuDemand[cls])
    const nicLimit = h.nicBps == null ? null : h.nicBps / 1e6
    const disk = h.disk == null ? null : { write: h.disk.writeBps / 1e6, read: h.disk.readBps / 1e6 }
    const nicInMbps = (perHost(cls, nicIn[cls]) * 8) / 1e6
    const nicOutMbps = (perHost(cls, nicOut[cls]) * 8) / 1e6
    const diskWriteMBps = perHost(cls, diskW[cls]) / 1e6
    const diskReadMBps = perHost(cls, diskR[cls]) / 1e6
    const uses: Array<MvaHost["binding"]> = [{ resource: "cpu", fraction: demand / h.cores }]
    if (nicLimit !== null) {
      uses.push({ resource: "nic in", fraction: nicInMbps / nicLimit }, { resource: "nic out", fraction: nicOutMbps / nicLimit })
    }
    if (disk !== null) {
      uses.push({ resource: "disk write", fraction: diskWriteMBps / disk.write }, { resource: "disk read", fraction: diskReadMBps / disk.read })
    }
    for (const s of Object.values(services)) if (s.host === cls) uses.push({ resource: "workers", fraction: s.workerUtil, detail: s.name })
    const binding = uses.reduce((a, b) => (b.fraction > a.fraction ? b : a))
    hosts[cls] = {
      name: cls, count: h.count, up: up(cls), cores: h.cores, cpuDemand: demand, cpuUtil: demand / h.cores,
      cpuWaitS: cpuWait[cls], nicInMbps, nicOutMbps, nicLimitMbps: nicLimit, diskWriteMBps, diskReadMBps,
      diskLimitMBps: disk, binding,
    }
  }
  return { services, hosts, kinds }
}

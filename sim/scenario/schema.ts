/**
 * The zod schema of a scenario file (with units, as a user writes it), whose output is the
 * unit-free `Scenario`. Positions in the file are not known here: `load.ts` maps an issue's path
 * back to a line.
 */
import { TraceInput, toTraceSpec } from "../calibrate/trace.ts"
import * as z from "zod"
import { presetFields } from "./presets.ts"
import { FaultInput, targetKind, toFault } from "./faults.ts"
import { SloInput, checkSlos } from "../slo/schema.ts"
import type { CallSpec, Dist, FastRejectSpec, RecoveryCriteria, Scenario } from "./Scenario.ts"
import { Bandwidth, ByteRate, Duration, Rate, Ratio, Size, describeValue, formatDuration, formatRate } from "./units.ts"
import { editDistance } from "./suggest.ts"
import { LIMITS } from "./limits.ts"
import { DEFAULT_HEALTHY, FAST_REJECT, REDELIVERY, resolveFastReject } from "./defaults.ts"

export { LIMITS }

/** A scenario's name: lower-case letters, digits and '-' (it names the results directory). */
export const SCENARIO_NAME = /^[a-z0-9][a-z0-9-]*$/
/** Names of host classes, services and workloads: as `SCENARIO_NAME`, plus '_'. */
export const KEY_NAME = /^[a-z0-9][a-z0-9_-]*$/

type Message = (iss: { readonly input?: unknown }) => string

function nameSchema(pattern: RegExp, chars: string) {
  const error: Message = (iss) =>
    `expected a name of ${chars} (at most ${LIMITS.nameLength}), starting with a letter or digit, got ${describeValue(iss.input)}`
  return z.string({ error }).regex(pattern, { error }).max(LIMITS.nameLength, { error })
}

const ScenarioName = nameSchema(SCENARIO_NAME, "lower-case letters, digits and '-'")
const Key = nameSchema(KEY_NAME, "lower-case letters, digits, '-' and '_'")

function integer(min: 0 | 1, max: number, limitNoun?: string) {
  const expected: Message = (iss) =>
    `expected a ${min === 1 ? "positive" : "non-negative"} integer, got ${describeValue(iss.input)}`
  const tooBig: Message = (iss) =>
    limitNoun === undefined
      ? `expected an integer of at most ${max}, got ${describeValue(iss.input)}`
      : `expected at most ${max} ${limitNoun} (a sanity limit), got ${describeValue(iss.input)}`
  return z.number({ error: expected }).int({ error: expected }).min(min, { error: expected }).max(max, { error: tooBig })
}

function boundedDuration(min: "zero" | "positive", description: string) {
  const seconds = (input: unknown) => (typeof input === "number" ? formatDuration(input) : describeValue(input))
  const tooSmall: Message = (iss) => `expected a duration greater than 0, got ${seconds(iss.input)}`
  const tooBig: Message = (iss) =>
    `expected at most ${formatDuration(LIMITS.simulatedS)} (30 days, a sanity limit), got ${seconds(iss.input)}`
  const bounded = z.number().max(LIMITS.simulatedS, { error: tooBig })
  return Duration.pipe(min === "positive" ? bounded.positive({ error: tooSmall }) : bounded).meta({ description })
}

const positiveDuration = (description: string) => boundedDuration("positive", description)

const HostClassInput = z.strictObject({
  count: integer(1, LIMITS.hostInstances, "host instances").meta({ description: "instances <class>-1 … <class>-<count>" }),
  cores: integer(1, LIMITS.coresPerHost, "cores per host"),
  scheduling: z.enum(["fifo", "ps"], { error: (iss) => `expected fifo or ps, got ${describeValue(iss.input)}` }).optional()
    .meta({ description: "how calls share the cores: fifo (default) waits for a free core; ps shares them among all calls wanting CPU (processor sharing, as Linux shares a core among runnable processes)" }),
  nic: Bandwidth.nullish().meta({ description: "NIC bandwidth per direction, e.g. 1000Mbps; absent: the network is not modelled" }),
  bond: integer(1, 16).optional().meta({ description: "NICs bonded together (bandwidth × bond); default 1" }),
  ports: z.union([
    integer(1, 65_535),
    z.strictObject({
      range: integer(1, 65_535).meta({ description: "ephemeral ports (ip_local_port_range: 28232 for 32768–61000)" }),
      per: z.enum(["host", "destination"], { error: (iss) => `expected host or destination, got ${describeValue(iss.input)}` }).optional()
        .meta({ description: "host (default, as seed 000 counts them): `range` for all the host's upstream connections; destination: `range` per upstream ip:port (Linux reuses a local port toward another destination), the destinations being the instances of longConnections.via" }),
      reserve: integer(0, 65_535).optional()
        .meta({ description: "ports long connections may not take, kept for short requests; default the seed's share (28,232 less ~27,000 clients: 1,232), scaled to `range`" }),
    }),
  ], { error: (iss) => `expected a port count or { range, per, reserve }, got ${describeValue(iss.input)}` }).nullish()
    .meta({ description: "ephemeral ports for the access host's upstream connections: a count (28232 for 32768–61000) or { range, per: host | destination, reserve }; absent: unlimited" }),
  timeWait: boundedDuration("zero", "how long a closed connection holds its port; default 60s").optional(),
  vip: z.strictObject({
    failover: boundedDuration("zero", "how long until the standby takes the virtual IP after the active host fails"),
  }).nullish().meta({ description: "the hosts form an active/standby group behind a virtual IP (keepalived): route: vip goes to the active one" }),
  disk: z.strictObject({
    write: ByteRate.meta({ description: "sequential write bandwidth, e.g. 100MB/s" }),
    read: ByteRate.meta({ description: "random read bandwidth, e.g. 100MB/s" }),
    iops: integer(1, 100_000_000).optional().meta({ description: "operations per second; each read or write is one; default unlimited" }),
  }).nullish().meta({ description: "disk bandwidth; absent: no disk modelled" }),
})

const DIST_KINDS = ["const", "exp", "uniform", "lognormal"] as const
const distKindsText = "const, exp, uniform or lognormal"

const uniformError: Message = (iss) => `expected [min, max], two durations, got ${describeValue(iss.input)}`

const DistInput = z
  .strictObject({
    const: positiveDuration("always this value").optional(),
    exp: positiveDuration("exponential with this mean").optional(),
    uniform: z
      .tuple([boundedDuration("zero", "min"), boundedDuration("zero", "max")], { error: uniformError })
      .optional(),
    lognormal: z
      .strictObject({
        mean: positiveDuration("mean"),
        cv: z.number({ error: (iss) => `expected a coefficient of variation ≥ 0, got ${describeValue(iss.input)}` })
          .min(0, { error: (iss) => `expected a coefficient of variation ≥ 0, got ${describeValue(iss.input)}` })
          .max(LIMITS.lognormalCv, { error: (iss) => `expected a coefficient of variation of at most ${LIMITS.lognormalCv} (beyond it the sampler is not exact), got ${describeValue(iss.input)}` })
          .meta({ description: "coefficient of variation: standard deviation / mean" }),
      })
      .optional(),
  })
  .meta({
    description: "a distribution: { const: 10ms }, { exp: 10ms }, { uniform: [2ms, 6ms] } or { lognormal: { mean: 1ms, cv: 2 } }",
    minProperties: 1,
    maxProperties: 1,
  })
  .transform((d, ctx): Dist => {
    const kinds = DIST_KINDS.filter((k) => d[k] !== undefined)
    if (kinds.length !== 1) {
      const got = kinds.length === 0 ? "none" : kinds.join(" and ")
      ctx.addIssue({ code: "custom", message: `expected exactly one of ${distKindsText}, got ${got}`, input: d })
      return z.NEVER
    }
    if (d.const !== undefined) return { kind: "const", value: d.const }
    if (d.exp !== undefined) return { kind: "exp", mean: d.exp }
    if (d.lognormal !== undefined) return { kind: "lognormal", mean: d.lognormal.mean, cv: d.lognormal.cv }
    const [min, max] = d.uniform!
    if (min > max || max === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["uniform"],
        message: `expected [min, max] with min ≤ max and max > 0, got [${formatDuration(min)}, ${formatDuration(max)}]`,
        input: d.uniform,
      })
      return z.NEVER
    }
    return { kind: "uniform", min, max }
  })

const ServiceInput = z.strictObject({
  host: Key.meta({ description: "the host class: one instance on every host of that class" }),
  workers: integer(1, LIMITS.workersPerInstance, "workers per instance")
    .meta({ description: "requests an instance serves at once (Svrkit coroutines)" }),
  queue: integer(0, Number.MAX_SAFE_INTEGER).nullish()
    .meta({ description: "InQueue capacity; a full queue rejects arrivals. Absent or null: unbounded" }),
  cpu: DistInput,
  wakeup: Duration.optional().meta({ description: "extra CPU for a request that finds a free worker and its host's cores idle (a sleeping process woken; a worker that takes the next request from the InQueue never slept); default 0. Measured on a real nginx: README, How close to reality" }),
  fastReject: z.union([z.literal(true), z.literal(false), z.strictObject({
    window: positiveDuration(`pass-rate adjustment period; default ${FAST_REJECT.windowS}s`).optional(),
    waitThreshold: positiveDuration(`average InQueue wait that counts as overload; default ${FAST_REJECT.waitThresholdS * 1000}ms`).optional(),
    cpuLimit: Ratio.optional().meta({ description: `CPU use that counts as overload; default ${FAST_REJECT.cpuLimit * 100}%` }),
    down: Ratio.optional().meta({ description: `pass-rate cut per overloaded window; default ${FAST_REJECT.downStep * 100}%` }),
    up: Ratio.optional().meta({ description: `pass-rate rise per calm window; default ${FAST_REJECT.upStep * 100}%` }),
    minPass: Ratio.optional().meta({ description: "lowest pass rate; default 0" }),
    priority: z.enum(["random", "uin"]).optional()
      .meta({ description: "random: each call admitted independently (default); uin: by the request's uin priority, the same at every hop" }),
    clientCache: boundedDuration("zero", `callers reject locally this long after a reject reply; default ${FAST_REJECT.clientCacheS}s`).optional(),
    clientCacheScope: z.enum(["caller", "callee"]).optional()
      .meta({ description: "caller (default): a reject reply is cached on the calling machine only (seed 004: the agent publishes it in that machine's shared memory); callee: per instance, for every caller (wwsim before issue 11)" }),
  })]).nullish().meta({ description: "server overload protection (fast reject); true: defaults; absent: off" }),
  dropAfter: positiveDuration("drop queued requests that waited longer than this (their client gave up); default never").nullish(),
  shield: z.strictObject({
    threshold: z.number().positive().optional().meta({ description: "failures in the leaky bucket that shield an endpoint; default 5" }),
    leak: Rate.optional().meta({ description: "how fast failures leak out of the bucket; default 1/s" }),
    for: positiveDuration("how long a shield lasts before a probe; default 10s").optional(),
    failureRate: Ratio.optional().meta({ description: "share of failed calls in a window that shields too (seed 004: 失败数/失败率); 0: off; default 50%" }),
    minCalls: integer(1, 1_000_000).optional().meta({ description: "calls a window needs before its failure rate counts; default 10" }),
    window: positiveDuration("the failure-rate window; default 10s").optional(),
    scope: z.enum(["caller", "callee"]).optional()
      .meta({ description: "caller (default): each calling host keeps its own failure bucket and shield (seed 004: per-process buckets an agent aggregates per machine); callee: one per instance, fed by every caller (wwsim before issue 11, shields far sooner)" }),
  }).optional().meta({ description: "callers' automatic shielding of failing instances" }),
})

const count = z.number().min(0).max(LIMITS.spawnCount)
const CountDistInput = z.union([
  count,
  z.strictObject({ const: count }),
  z.strictObject({ uniform: z.tuple([count, count]) }),
  z.strictObject({ lognormal: z.strictObject({ mean: count.positive(), cv: z.number().min(0).max(LIMITS.lognormalCv) }) }),
], { error: (iss) => `expected a count of at most ${LIMITS.spawnCount}: a number, { uniform: [3, 50] } or { lognormal: { mean: 8, cv: 1 } } (cv at most ${LIMITS.lognormalCv}), got ${describeValue(iss.input)}` })

const SpawnInput = z.strictObject({
  kind: Key.meta({ description: "the workload (request kind) to start" }),
  count: CountDistInput.optional().meta({ description: "requests started each time, e.g. recipients; default 1" }),
  probability: Ratio.optional().meta({ description: "chance the spawn happens; default 100%" }),
  uin: z.enum(["same", "random"]).optional().meta({ description: "same user, or a random user (a recipient); default same" }),
  by: z.enum(["server", "user"]).optional()
    .meta({ description: "who makes the request: the spawning server (default; an MQ hand-off) or the user (a download)" }),
  clock: z.enum(["origin", "spawn"]).optional()
    .meta({ description: "latency from the original request's arrival (push: send → delivered) or from the spawn; default spawn" }),
})

const ROUTES = ["round-robin", "uin", "group", "user", "vip", "connection"] as const

interface CallInputShape {
  to: string
  cpu?: Dist
  request?: number
  reply?: number
  timeout?: number | null
  tries?: number
  route?: (typeof ROUTES)[number]
  disk?: { write?: number; read?: number }
  quorum?: number
  readQuorum?: number
  connectTimeout?: number
  when?: "always" | "online" | "offline"
  external?: Dist
  toClient?: number
  retrySame?: boolean
  retryBudget?: number
  throttle?: { k?: number; window?: number }
  calls?: CallInputShape[]
  spawn?: Array<z.output<typeof SpawnInput>>
}

const CallInput: z.ZodType<CallInputShape> = z.strictObject({
  to: Key.meta({ description: "the service called" }),
  cpu: DistInput.optional().meta({ description: "CPU time of this call; default the service's cpu" }),
  request: Size.optional().meta({ description: "request bytes, through the caller's and callee's NICs; default 0" }),
  reply: Size.optional().meta({ description: "reply bytes; default 0" }),
  timeout: positiveDuration("the caller's timeout per try; absent: none").nullish(),
  tries: integer(1, 10).optional().meta({ description: "tries in all, each on another machine, for system failures; default 1" }),
  route: z.enum(ROUTES).optional().meta({ description: "round-robin (default), uin (consistent hash), group (storage group), user (the user's access host), vip (the active host of a vip class), connection (the instance of longConnections.via holding the user's long connection)" }),
  disk: z.strictObject({ write: Size.optional(), read: Size.optional() }).optional()
    .meta({ description: "disk work on the callee's host after its CPU" }),
  quorum: integer(0, 3).optional().meta({ description: "members of the storage group that must have a write (a member down, crashed or cut off by a partition does not count); default 0" }),
  readQuorum: integer(0, 3).optional().meta({ description: "members of the storage group that must be reachable to serve a read, itself included (a Paxos read needs a majority: 2 of 3; a member down, crashed or cut off by a partition does not count); default 0: the member that took the call is enough" }),
  when: z.enum(["always", "online", "offline"]).optional().meta({ description: "only for users online / offline; default always" }),
  connectTimeout: boundedDuration("zero", "this call's connect timeout to a host that cannot answer (then -201); default the scenario's connectTimeout").optional(),
  external: DistInput.optional().meta({ description: "latency of an external system behind the call (vendor push)" }),
  toClient: Size.optional().meta({ description: "bytes the callee sends to the user over its connection (a push), out of its host's NIC" }),
  retrySame: z.boolean().optional().meta({ description: "retries may return to a machine already tried when no other is left (a plain client); default false (Svrkit)" }),
  retryBudget: Ratio.optional().meta({ description: "retries allowed as a share of first tries, e.g. 10%; default unlimited" }),
  throttle: z.strictObject({
    k: z.number().positive().optional().meta({ description: "accepts multiplier; default 2" }),
    window: positiveDuration("history kept; default 2m").optional(),
  }).optional().meta({ description: "client-side adaptive throttling (Google SRE)" }),
  get calls() {
    return z.array(CallInput).optional().meta({ description: "downstream calls, made in order after the CPU while holding the worker" })
  },
  spawn: z.array(SpawnInput).optional().meta({ description: "asynchronous requests handed off when the call succeeds" }),
})

const RateInput = z.union([
  Rate,
  z.strictObject({ perUser: Rate }),
  z.strictObject({ perActiveUser: Rate }),
], { error: (iss) => `expected a rate like 300/s, or { perUser: 1/h } or { perActiveUser: 0.5/s }, got ${describeValue(iss.input)}` })

const WorkloadInput = z.strictObject({
  rate: RateInput.meta({ description: "Poisson arrivals: 300/s, or per user: { perUser: 1/h }, { perActiveUser: 0.5/s }; 0: only spawned" }),
  to: Key.optional().meta({ description: "the entry service (shorthand for call: { to })" }),
  call: CallInput.optional().meta({ description: "the request's call tree" }),
  senders: z.enum(["all", "active"]).optional().meta({ description: "whose uins send: all users (default) or the active ones" }),
  connection: z.enum(["none", "pooled", "short"]).optional()
    .meta({ description: "access-host port per request: pooled (held while in flight), short (then TIME_WAIT), none (default)" }),
  redeliver: z.strictObject({
    backlog: integer(1, Number.MAX_SAFE_INTEGER).optional()
      .meta({ description: `messages one instance of the entry service holds for redelivery; one more is dropped (-301); default ${REDELIVERY.backlog}` }),
    interval: positiveDuration(`wait before the first redelivery; default ${formatDuration(REDELIVERY.intervalS)}`).optional(),
    backoff: z.number().min(1).optional().meta({ description: `each further wait × this; default ${REDELIVERY.backoff}` }),
    maxInterval: positiveDuration(`longest wait between redeliveries; default ${formatDuration(REDELIVERY.maxIntervalS)}`).optional(),
    maxAge: positiveDuration(`a message older than this (from its request's arrival) is dropped (-302); default ${formatDuration(REDELIVERY.maxAgeS)}`).optional(),
  }).nullish().meta({ description: "the entry service persists requests (an MQ): one that fails after reaching it waits in that instance's backlog and is sent again, delivered late instead of lost; absent or null: a failure is final. The wecom preset sets it on push" }),
})

const SeriesInput = z.strictObject({
  step: positiveDuration("series step; absent: 1s, coarsened to keep ≤ ~2,000 points").nullish(),
})

function nonEmptyMap<T extends z.ZodType>(value: T, what: string) {
  return z.record(Key, value).refine((m) => Object.keys(m).length > 0, { error: `expected at least one ${what}` })
}

const WarmupDuration = boundedDuration("zero", "requests arriving earlier are not counted; default 0")

/** `warmup` is `auto` or a duration: the duration's own complaint, with `auto` named as the alternative. */
const warmupMessage: Message = (iss) => {
  const r = WarmupDuration.safeParse(iss.input)
  const message = r.success ? undefined : r.error.issues[0]?.message
  return message === undefined || !message.startsWith("expected ")
    ? `expected auto or a duration like 30s, got ${describeValue(iss.input)}`
    : `expected auto or ${message.slice("expected ".length)}`
}

/** The file's top level, with units; see the README, "The core: hosts, services, workload". */
const ScenarioInput = z.strictObject({
  name: ScenarioName.meta({ description: "names the results directory and the report" }),
  seed: integer(0, Number.MAX_SAFE_INTEGER).default(1).meta({ description: "default 1" }),
  warmup: z.union([
    z.literal("auto").meta({ description: "chosen by MSER-5 after a first run; the measured window is then the rest of `duration` (docs/replications.md)" }),
    WarmupDuration,
  ], { error: warmupMessage }).default(0),
  duration: positiveDuration("the measured window after warm-up; arrivals stop at its end"),
  hosts: nonEmptyMap(HostClassInput, "host class"),
  services: nonEmptyMap(ServiceInput, "service"),
  workload: nonEmptyMap(WorkloadInput, "workload"),
  faults: z.array(FaultInput).nullish().meta({ description: "the fault timeline (README: Faults)" }),
  slo: z.array(SloInput).nullish().meta({ description: "service level objectives, checked after the run (docs/slo.md)" }),
  series: SeriesInput.nullish(),
  recovery: z.strictObject({
    healthy: Ratio.optional().meta({ description: "a series step with at least this success (ok / finished) is healthy; default 99%" }),
    p99: z.union([Duration, z.record(Key, Duration)]).optional().meta({
      description: "… and whose p99 of ok requests is at most this: one duration for every kind, or per kind ({ push: 5s }); default: success alone",
    }),
  }).nullish().meta({ description: "how recovery from faults is measured: summary, charts and <kind>.recoveryS SLOs (docs/slo.md)" }),
  trace: TraceInput.nullish(),
  users: integer(0, LIMITS.users, "users").optional().meta({ description: "population for uin routing and connections; default 0 (none)" }),
  activeRatio: Ratio.optional().meta({ description: "share of users who send (active users); default 30%" }),
  onlineRatio: Ratio.optional().meta({ description: "share of users holding a long connection; default 100%" }),
  access: Key.optional().meta({ description: "the host class holding users' connections (ports)" }),
  connectionsPerUser: integer(1, 3).optional()
    .meta({ description: "long connections an online user holds (devices online at once, e.g. PC + phone: 2); default 1 (the seeds are silent); each takes a port" }),
  longConnections: z.strictObject({
    via: Key.nullish().meta({ description: "the service whose instance (by uin) terminates a user's long connection (wecom: wwlconn); its host down drops those connections; default none" }),
    lifetime: positiveDuration("mean lifetime of a long connection, exponential (network changes, NAT timeouts), after which the client reconnects through the load balancer; default 30m").nullish(),
    reconnect: DistInput.optional().meta({ description: "delay from a dropped connection or a failed connect to the client's next try; default { uniform: [0s, 20s] }" }),
    login: Key.nullish().meta({ description: "the workload kind a reconnect issues (wecom: login); default none" }),
    balance: z.enum(["least-connections", "hash"], { error: (iss) => `expected least-connections or hash, got ${describeValue(iss.input)}` }).optional()
      .meta({ description: "how the load balancer places a connecting client: least-connections (default: the access host holding fewest long connections) or hash (the uin's home host when up)" }),
  }).optional().meta({ description: "long connections' life (README: Model corrections): churn, reconnects, placement" }),
  connectTimeout: boundedDuration("zero", "how long a caller waits to connect to a host that cannot answer (powered off, or across a partition: no RST) before the try fails with -201; 0: at once. Default 1s: a Svrkit client's connect timeout, and Linux's initial SYN retransmission timeout (RFC 6298), so a lost SYN is not retried within it").optional(),
})

type Input = z.output<typeof ScenarioInput>

function toCall(c: CallInputShape): CallSpec {
  return {
    to: c.to,
    cpu: c.cpu ?? null,
    requestBytes: c.request ?? 0,
    replyBytes: c.reply ?? 0,
    timeout: c.timeout ?? null,
    tries: c.tries ?? 1,
    route: c.route ?? "round-robin",
    diskWrite: c.disk?.write ?? 0,
    diskRead: c.disk?.read ?? 0,
    quorum: c.quorum ?? 0,
    readQuorum: c.readQuorum ?? 0,
    ...(c.connectTimeout === undefined ? {} : { connectTimeout: c.connectTimeout }),
    when: c.when ?? "always",
    externalLatency: c.external ?? null,
    toClientBytes: c.toClient ?? 0,
    retrySame: c.retrySame ?? false,
    retryBudget: c.retryBudget ?? null,
    throttle: c.throttle === undefined ? null : { k: c.throttle.k ?? 2, windowS: c.throttle.window ?? 120 },
    calls: (c.calls ?? []).map(toCall),
    spawn: (c.spawn ?? []).map((x) => ({
      kind: x.kind,
      count: toCountDist(x.count ?? 1),
      probability: x.probability ?? 1,
      uin: x.uin ?? "same",
      clock: x.clock ?? "spawn",
      by: x.by ?? "server",
    })),
  }
}

/** Counts reuse the distribution type; their "seconds" are plain numbers. */
function toCountDist(c: z.output<typeof CountDistInput>): Dist {
  if (typeof c === "number") return { kind: "const", value: c }
  if ("const" in c) return { kind: "const", value: c.const }
  if ("uniform" in c) return { kind: "uniform", min: Math.min(...c.uniform), max: Math.max(...c.uniform) }
  return { kind: "lognormal", mean: c.lognormal.mean, cv: c.lognormal.cv }
}

const DEFAULT_ACTIVE_RATIO = 0.3
/** Seed 000: 28,232 ports, "扣除预留…2.7w" clients: 1,232 kept back, scaled to other ranges. */
const SEED_RESERVE_SHARE = (28_232 - 27_000) / 28_232
/** Assumed (the seeds are silent): mobile long connections end with network changes and NAT timeouts. */
const DEFAULT_LIFETIME_S = 30 * 60
/** Assumed: a client notices the drop and reconnects within 20 s, spread evenly. */
const DEFAULT_RECONNECT: Dist = { kind: "uniform", min: 0, max: 20 }

type PortsInput = number | { range: number; per?: "host" | "destination"; reserve?: number } | null | undefined

function portFields(p: PortsInput): { ports: number | null; portsPer?: "host" | "destination"; portReserve?: number } {
  if (p == null) return { ports: null }
  const range = typeof p === "number" ? p : p.range
  const per = typeof p === "number" ? "host" : (p.per ?? "host")
  const reserve = typeof p === "number" || p.reserve === undefined ? Math.round(range * SEED_RESERVE_SHARE) : p.reserve
  return { ports: range, portsPer: per, portReserve: Math.min(reserve, range) }
}

function toRate(r: z.output<typeof RateInput>, users: number, activeRatio: number): number {
  if (typeof r === "number") return r
  if ("perUser" in r) return r.perUser * users
  return r.perActiveUser * users * activeRatio
}

function toFastReject(f: z.output<typeof ServiceInput>["fastReject"]): FastRejectSpec | null {
  if (f === undefined || f === null || f === false) return null
  const o = f === true ? {} : f
  return { ...resolveFastReject({ ...o, priority: o.priority ?? "random" }), clientCacheScope: o.clientCacheScope ?? "caller" }
}

function toScenario(f: Input): Scenario {
  const users = f.users ?? 0
  const recovery: RecoveryCriteria | undefined = f.recovery == null ? undefined : {
    healthy: f.recovery.healthy ?? DEFAULT_HEALTHY,
    ...(f.recovery.p99 === undefined ? {} : { p99: f.recovery.p99 }),
  }
  const activeRatio = f.activeRatio ?? DEFAULT_ACTIVE_RATIO
  const services = Object.fromEntries(
    Object.entries(f.services).map(([name, s]) => [name, {
      host: s.host, workers: s.workers, queue: s.queue ?? null, cpu: s.cpu, wakeup: s.wakeup ?? 0, dropAfter: s.dropAfter ?? null,
      fastReject: toFastReject(s.fastReject),
      shield: {
        threshold: s.shield?.threshold ?? 5, leakPerS: s.shield?.leak ?? 1, shieldS: s.shield?.for ?? 10,
        failureRate: s.shield?.failureRate ?? 0.5, minCalls: s.shield?.minCalls ?? 10, rateWindowS: s.shield?.window ?? 10,
        scope: s.shield?.scope ?? "caller",
      },
    }]),
  )
  const hosts = Object.fromEntries(
    Object.entries(f.hosts).map(([name, h]) => [name, {
      count: h.count, cores: h.cores,
      ...(h.scheduling === "ps" ? { scheduling: "ps" as const } : {}),
      nicBps: h.nic == null ? null : h.nic * (h.bond ?? 1),
      ...portFields(h.ports),
      timeWait: h.timeWait ?? 60,
      disk: h.disk == null ? null : { writeBps: h.disk.write, readBps: h.disk.read, iops: h.disk.iops ?? null },
      vip: h.vip == null ? null : { failover: h.vip.failover },
    }]),
  )
  const workload = Object.fromEntries(
    Object.entries(f.workload).map(([name, w]) => {
      const call = w.call === undefined ? undefined : toCall(w.call)
      return [name, {
        rate: toRate(w.rate, users, activeRatio),
        to: call?.to ?? w.to ?? "",
        call,
        senders: w.senders ?? "all",
        connection: w.connection ?? "none",
        ...(w.redeliver == null ? {} : {
          redeliver: {
            backlog: w.redeliver.backlog ?? REDELIVERY.backlog, interval: w.redeliver.interval ?? REDELIVERY.intervalS,
            backoff: w.redeliver.backoff ?? REDELIVERY.backoff, maxInterval: w.redeliver.maxInterval ?? REDELIVERY.maxIntervalS,
            maxAge: w.redeliver.maxAge ?? REDELIVERY.maxAgeS,
          },
        }),
      }]
    }),
  )
  const faults = (f.faults ?? []).map(toFault)
  const { name, seed, duration } = f
  // `warmup: auto` runs from 0 over `duration`; MSER-5 picks the cut after a first run.
  const warmup = f.warmup === "auto" ? 0 : f.warmup
  return {
    name, seed, warmup, duration, ...(f.warmup === "auto" ? { warmupAuto: true } : {}), hosts, services, workload, faults, seriesStep: f.series?.step ?? null,
    users, activeRatio, onlineRatio: f.onlineRatio ?? 1, accessClass: f.access ?? null,
    // Long connections exist where users connect to an access class.
    ...(f.access == null ? {} : {
      connectionsPerUser: f.connectionsPerUser ?? 1,
      longConnections: {
        via: f.longConnections?.via ?? null,
        lifetime: f.longConnections?.lifetime === undefined ? DEFAULT_LIFETIME_S : f.longConnections.lifetime,
        reconnect: f.longConnections?.reconnect ?? DEFAULT_RECONNECT,
        login: f.longConnections?.login ?? null,
        balance: f.longConnections?.balance ?? "least-connections",
      },
    }),
    ...(f.connectTimeout === undefined ? {} : { connectTimeout: f.connectTimeout }),
    ...(recovery === undefined ? {} : { recovery }),
    ...(f.slo == null || f.slo.length === 0 ? {} : {
      slo: recovery === undefined ? f.slo : f.slo.map((x) => ({ ...x, recovery })),
    }),
    ...(f.trace == null ? {} : { trace: toTraceSpec(f.trace) }),
  }
}

const has = (map: object, key: string) => Object.hasOwn(map, key)

function listNames(map: object): string {
  const names = Object.keys(map)
  return names.length > 10 ? `${names.slice(0, 10).join(", ")}, …` : names.join(", ")
}

/** The host class of instance `<class>-<n>`, if it names an existing instance. */
function classOfInstance(s: Scenario, name: string): string | undefined {
  const m = /^(.+)-([1-9]\d*)$/.exec(name)
  return m !== null && has(s.hosts, m[1]) && Number(m[2]) <= s.hosts[m[1]].count ? m[1] : undefined
}

function unknownTarget(s: Scenario, target: string): string {
  const m = /^(.+)-(\d+)$/.exec(target)
  if (m !== null && has(s.hosts, m[1])) {
    const count = s.hosts[m[1]].count
    return `unknown instance "${target}": ${m[1]} has ${count === 1 ? `one instance, ${m[1]}-1` : `instances ${m[1]}-1 … ${m[1]}-${count}`}`
  }
  return `unknown target "${target}": not a host class (${listNames(s.hosts)}) nor one of their instances`
}

type IssueAt = (path: ReadonlyArray<string | number>, message: string) => void

/** A call tree's references: services called, kinds spawned, routes that need users. */
function checkCall(s: Scenario, c: CallSpec, path: ReadonlyArray<string | number>, issue: IssueAt): void {
  if (!has(s.services, c.to)) issue([...path, "to"], `unknown service "${c.to}"; services: ${listNames(s.services)}`)
  if (c.route === "user" && (s.accessClass == null || (s.users ?? 0) === 0)) {
    issue([...path, "route"], "route: user needs `users` and `access` (the host class holding users' connections)")
  }
  if (c.route === "uin" && (s.users ?? 0) === 0) issue([...path, "route"], "route: uin needs `users` (uins to hash)")
  if (c.route === "connection" && (s.longConnections?.via !== c.to || (s.users ?? 0) === 0)) {
    issue([...path, "route"], `route: connection needs \`users\`, \`access\` and longConnections.via: ${c.to} (the service holding users' long connections)`)
  }
  if (c.route === "vip" && has(s.services, c.to) && s.hosts[s.services[c.to].host]?.vip == null) {
    issue([...path, "route"], `route: vip needs the host class of "${c.to}" to have \`vip: { failover }\``)
  }
  c.spawn.forEach((x, i) => {
    if (!has(s.workload, x.kind)) issue([...path, "spawn", i, "kind"], `unknown workload "${x.kind}"; workloads: ${listNames(s.workload)}`)
  })
  c.calls.forEach((child, i) => checkCall(s, child, [...path, "calls", i], issue))
}

/** Checks across fields: names that refer to other entries, and limits on totals. */
function crossCheck(s: Scenario, ctx: z.RefinementCtx): void {
  const issue: IssueAt = (path, message) =>
    ctx.addIssue({ code: "custom", path: [...path], message })

  for (const cls of Object.keys(s.hosts)) {
    const other = classOfInstance(s, cls)
    if (other !== undefined) issue(["hosts", cls], `host class "${cls}" has the name of an instance of class "${other}"; rename one`)
  }
  const hostInstances = Object.values(s.hosts).reduce((n, h) => n + h.count, 0)
  if (hostInstances > LIMITS.hostInstances) {
    issue(["hosts"], `expected at most ${LIMITS.hostInstances} host instances in total (a sanity limit), got ${hostInstances}`)
  }
  for (const [name, svc] of Object.entries(s.services)) {
    if (!has(s.hosts, svc.host)) issue(["services", name, "host"], `unknown host class "${svc.host}"; host classes: ${listNames(s.hosts)}`)
  }
  const serviceInstances = Object.values(s.services).reduce((n, svc) => n + (has(s.hosts, svc.host) ? s.hosts[svc.host].count : 0), 0)
  if (serviceInstances > LIMITS.serviceInstances) {
    issue(["services"], `expected at most ${LIMITS.serviceInstances} service instances in total (a sanity limit), got ${serviceInstances}`)
  }
  for (const [name, w] of Object.entries(s.workload)) {
    if (w.rate > LIMITS.ratePerS) {
      issue(["workload", name, "rate"], `expected at most ${formatRate(LIMITS.ratePerS)} (a sanity limit), got ${formatRate(w.rate)}`)
    }
    if (w.call === undefined) {
      if (w.to === "") issue(["workload", name], "expected `to: <service>` or a `call:` tree")
      else if (!has(s.services, w.to)) issue(["workload", name, "to"], `unknown service "${w.to}"; services: ${listNames(s.services)}`)
      continue
    }
    checkCall(s, w.call, ["workload", name, "call"], issue)
  }
  if (s.accessClass != null && !has(s.hosts, s.accessClass)) {
    issue(["access"], `unknown host class "${s.accessClass}"; host classes: ${listNames(s.hosts)}`)
  }
  const lc = s.longConnections
  if (lc?.via != null && !has(s.services, lc.via)) {
    issue(["longConnections", "via"], `unknown service "${lc.via}"; services: ${listNames(s.services)}`)
  }
  if (lc?.login != null && !has(s.workload, lc.login)) {
    issue(["longConnections", "login"], `unknown workload "${lc.login}"; workloads: ${listNames(s.workload)}`)
  }
  for (const [name, h] of Object.entries(s.hosts)) {
    if (h.portsPer === "destination" && lc?.via == null) {
      issue(["hosts", name, "ports", "per"], "per: destination needs longConnections.via (the service whose instances are the upstream destinations)")
    }
  }
  s.faults.forEach((f, i) => {
    if (f.action === "replay" && (f.file === undefined) === (f.profile === undefined)) {
      issue(["faults", i], "replay needs `file: <csv>` or `profile: daily`, one of them")
    }
    if (f.action === "replay" && f.profile === undefined && f.start !== undefined) issue(["faults", i, "start"], "`start` needs `profile: daily`")
    const hostNames = (list: ReadonlyArray<string> | undefined, field: string) =>
      list?.forEach((t, j) => {
        if (!has(s.hosts, t) && classOfInstance(s, t) === undefined) issue(["faults", i, field, j], unknownTarget(s, t))
      })
    const names = (list: ReadonlyArray<string>, map: object, what: string) =>
      list.forEach((t, j) => {
        if (!has(map, t)) issue(["faults", i, "target", j], `unknown ${what} "${t}"; ${what}s: ${listNames(map)}`)
      })
    const kind = targetKind(f.action)
    if (kind === "hosts") hostNames(f.target, "target")
    else if (kind === "services") names(f.target, s.services, "service")
    else if (kind === "kinds") names(f.target, s.workload, "workload")
    hostNames(f.peer, "peer")
    hostNames(f.hosts, "hosts")
  })
  if (s.seriesStep !== null) {
    const points = Math.ceil((s.warmup + s.duration) / s.seriesStep)
    if (points > LIMITS.seriesPoints) {
      issue(["series", "step"], `a step of ${formatDuration(s.seriesStep)} gives ${points} points per series; at most ${LIMITS.seriesPoints} allowed (a sanity limit): use a larger step, or omit it`)
    }
  }
  const p99 = s.recovery?.p99
  if (p99 !== undefined && typeof p99 !== "number") {
    for (const kind of Object.keys(p99)) {
      if (!has(s.workload, kind)) issue(["recovery", "p99", kind], `unknown workload "${kind}"; workloads: ${listNames(s.workload)}`)
    }
  }
  checkSlos(s, issue)
}

/**
 * The scenario file schema: input is the YAML/JSON data with units, output is a `Scenario`.
 * @example ScenarioFile.parse({ name: "mm1", duration: "10m", hosts: {…}, services: {…}, workload: {…} })
 */
export const ScenarioFile = ScenarioInput.transform(toScenario).superRefine(crossCheck)

/** A validation problem at a path in the scenario data (`[]` is the whole file). */
export interface SchemaIssue {
  readonly path: ReadonlyArray<string | number>
  readonly message: string
}


function unknownFieldMessage(key: string, allowed: ReadonlyArray<string>): string {
  const near = allowed.find((k) => editDistance(k, key) <= 2)
  const hint = near !== undefined ? `did you mean "${near}"? ` : ""
  return `unknown field; ${hint}expected one of: ${allowed.join(", ")}`
}

const TYPE_NOUNS: Readonly<Record<string, string>> = {
  object: "a mapping", record: "a mapping", array: "a list", tuple: "a list", string: "a string", number: "a number",
}

/** Messages for issues the schema's own `error`s do not word. */
const issueMessage: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case "invalid_type":
      return iss.input === undefined
        ? "missing required field"
        : `expected ${TYPE_NOUNS[iss.expected] ?? iss.expected}, got ${describeValue(iss.input)}`
    case "invalid_key":
      return iss.issues[0]?.message
    case "invalid_value":
      return `expected ${iss.values.map((v) => JSON.stringify(v)).join(" or ")}, got ${describeValue(iss.input)}`
    default:
      return undefined
  }
}

/** At the top level a preset's field may be meant: say so when no preset reads it, and offer presets' fields as near misses. */
function unknownKeyMessage(key: string, topLevel: boolean, allowed: ReadonlyArray<string>): string {
  if (!topLevel) return unknownFieldMessage(key, allowed)
  const ofPresets = Object.keys(presetFields())
  if (ofPresets.includes(key) && key !== "preset") return "read by a preset, and this scenario sets none (add `preset: wecom`)"
  return unknownFieldMessage(key, [...allowed, ...ofPresets])
}

function shapeKeys(inst: unknown): ReadonlyArray<string> {
  const shape = (inst as { _zod?: { def?: { shape?: object } } } | undefined)?._zod?.def?.shape
  return shape === undefined ? [] : Object.keys(shape)
}

/**
 * Validates plain scenario data (as read from YAML/JSON) and returns the `Scenario`, or the first
 * issue with its path into the data and a one-line message, and the others (up to `MAX_ISSUES`
 * in all). An unknown field is reported before anything else: a misspelt key also makes the real
 * one "missing", and the typo is the cause.
 * @example
 * const r = validateScenario(YAML.parse(text))
 * if (!r.success) console.log(r.issue.path.join("."), r.issue.message)
 */
export function validateScenario(
  data: unknown,
): { readonly success: true; readonly scenario: Scenario } | { readonly success: false; readonly issue: SchemaIssue; readonly more: ReadonlyArray<SchemaIssue> } {
  const result = ScenarioFile.safeParse(data, {
    reportInput: true,
    error: (iss) =>
      iss.code === "unrecognized_keys" ? unknownKeyMessage(iss.keys[0], (iss.path?.length ?? 0) === 0, shapeKeys(iss.inst)) : issueMessage(iss),
  })
  if (result.success) return { success: true, scenario: result.data }
  const issues = result.error.issues
  const first = issues.find((i) => i.code === "unrecognized_keys") ?? issues[0]
  // every other mistake too (up to a bound), each once: a file with several is fixed in one pass.
  // Not what an unknown key causes in its own mapping (the real key "missing", a union matching
  // nothing): the typo is the cause, and the one line to read.
  const typoIn = issues.filter((i) => i.code === "unrecognized_keys").map((i) => i.path.join("."))
  const caused = (i: z.core.$ZodIssue) => i.code !== "unrecognized_keys" &&
    typoIn.some((p) => p === "" ? i.path.length === 1 && i.input === undefined : i.path.join(".") === p || i.path.join(".").startsWith(`${p}.`))
  const seen = new Set<string>()
  const all = [first, ...issues.filter((i) => i !== first && !caused(i))].map(toSchemaIssue).filter((i) => {
    const key = `${i.path.join(".")}\u0000${i.message}`
    return seen.has(key) ? false : (seen.add(key), true)
  })
  return { success: false, issue: all[0], more: all.slice(1, MAX_ISSUES) }
}

/** At most this many mistakes of one file are reported. */
export const MAX_ISSUES = 10

function toSchemaIssue(issue: z.core.$ZodIssue): SchemaIssue {
  const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))
  const at = issue.code === "unrecognized_keys" ? [...path, issue.keys[0]] : path
  // Fields' own messages ("expected a duration …, got nothing") would hide that the field is absent.
  const absent = issue.input === undefined && (issue.code === "invalid_type" || issue.code === "invalid_union")
  return { path: at, message: absent ? "missing required field" : issue.message }
}

/** The input type of a scenario file, for code that writes scenarios. */
export type ScenarioFileInput = z.input<typeof ScenarioFile>

/**
 * The JSON Schema of a scenario file as a user writes it (units as strings), for editor
 * completion; generated by zod from `ScenarioFile`'s input side, so it cannot drift from it.
 * Checks across fields (dangling names, totals) are not expressed in it.
 * @example writeFileSync("scenario.schema.json", JSON.stringify(scenarioJsonSchema(), null, 2))
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  // presets' fields are read (and removed) by the preset before this schema sees the data; editors
  // still want them listed, as optional top-level fields
  const optionalPresetFields = Object.fromEntries(Object.entries(presetFields()).map(([k, v]) => [k, v.optional()]))
  const { $schema, ...rest } = z.toJSONSchema(ScenarioInput.extend(optionalPresetFields), { io: "input" }) as Record<string, unknown>
  return {
    $schema,
    $id: "urn:wwsim:scenario",
    title: "wwsim scenario",
    description: "A wwsim scenario file: hosts, services, workload and faults (see the README, 'Scenario files').",
    ...rest,
  }
}

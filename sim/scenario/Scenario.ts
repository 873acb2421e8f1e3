/**
 * The validated, unit-free scenario the engine runs.
 *
 * Every time is in seconds, every rate is per second, every size in bytes. The loader
 * (`sim/scenario/load.ts`) turns a user's YAML/JSON with units into this shape; the engine
 * never sees a unit string.
 *
 * @example
 * const s: Scenario = {
 *   name: "mm1", seed: 1, warmup: 0, duration: 60,
 *   hosts: { app: { count: 1, cores: 1 } },
 *   services: { server: { host: "app", workers: 1, queue: null, cpu: { kind: "exp", mean: 0.01 } } },
 *   workload: { ping: { rate: 50, to: "server" } },
 *   faults: [], seriesStep: null,
 * }
 */
import type { Dist } from "../kernel/Dist.ts"
import type { SloSpec } from "../slo/Slo.ts"
import type { TraceSpec } from "../calibrate/trace.ts"
import type { RedeliverySpec } from "../model/Redelivery.ts"

export type { Dist } from "../kernel/Dist.ts"

/** A class of identical hosts; instances are `<class>-1 … <class>-<count>`. */
export interface HostClass {
  readonly count: number
  readonly cores: number
  /** How calls share the cores: `fifo` (default) queues for a core; `ps` shares them among all (processor sharing). */
  readonly scheduling?: "fifo" | "ps"
  /** NIC bandwidth per direction, bits/s; `null`: the network is not modelled for this class. */
  readonly nicBps?: number | null
  /** Ephemeral ports for proxied client connections; `null`: unlimited (not an access host). */
  readonly ports?: number | null
  /** Whether `ports` counts per host (the seed's reading, default) or per upstream destination (Linux reuses a port toward another ip:port). */
  readonly portsPer?: "host" | "destination"
  /** Ports long connections may not take, kept for short requests (default: the seed's 1,232 of 28,232, scaled to `ports`). */
  readonly portReserve?: number
  /** Seconds a closed connection holds its port (TIME_WAIT). */
  readonly timeWait?: number
  /** Disk bandwidth in bytes/s; `null`: no disk modelled. */
  readonly disk?: { readonly writeBps: number; readonly readBps: number; readonly iops?: number | null } | null
  /** Active/standby pair behind a virtual IP: calls go to the first instance up; a takeover after `failover` s. */
  readonly vip?: { readonly failover: number } | null
}

/** Long connections' life: where they terminate, how long they last, how clients reconnect. */
export interface LongConnectionSpec {
  /** The service whose instance (by uin) terminates a user's long connection; its host down drops them. `null`: none. */
  readonly via: string | null
  /** Mean lifetime of a long connection, exponential (network changes, NAT timeouts); `null`: held until a fault. */
  readonly lifetime: number | null
  /** Delay from a dropped connection (or a failed connect) to the client's next connect. */
  readonly reconnect: Dist
  /** The workload kind a reconnect issues (its login), or `null` for none. */
  readonly login: string | null
  /** How the load balancer places a (re)connecting client on an access host. */
  readonly balance: "least-connections" | "hash"
}

/** A Svrkit server: one instance on every host of its host class. */
export interface ServiceSpec {
  readonly host: string
  /** Requests one instance serves at once (Svrkit coroutines). */
  readonly workers: number
  /** InQueue capacity; `null` is unbounded, `0` is a loss system. */
  readonly queue: number | null
  /** CPU time per request: holds the worker and one core of its host. */
  readonly cpu: Dist
  /**
   * Extra CPU time, seconds, for a request that finds a free worker and its host's cores idle: the
   * sleeping process is woken (scheduler, idle-state exit, cold caches); a worker that takes the
   * next request from the InQueue never slept. Why CPU per request falls as load rises.
   */
  readonly wakeup?: number
  /** Server overload protection (fast reject); absent or null: off. */
  readonly fastReject?: FastRejectSpec | null
  /** Drop InQueue requests that waited longer than this (their client has given up); absent: serve them. */
  readonly dropAfter?: number | null
  /** Callers' automatic shielding of this service's instances. */
  readonly shield?: ShieldSpec
}

/** Fast reject: the pass rate falls fast and rises slowly while queue wait or CPU is too high. */
export interface FastRejectSpec {
  readonly windowS: number
  readonly waitThresholdS: number
  readonly cpuLimit: number
  readonly downStep: number
  readonly upStep: number
  readonly minPass: number
  /** `uin`: admit by a priority from the request's uin hash, the same at every hop (WeChat's DAGOR); `random`: each call independently. */
  readonly priority?: "random" | "uin"
  /** How long a caller keeps rejecting locally after a reject reply (client-side fast reject). */
  readonly clientCacheS: number
  /** `caller` (default): the cached reject is per calling machine (seed 004); `callee`: per instance, seen by every caller. */
  readonly clientCacheScope?: "caller" | "callee"
}

/** Automatic shielding: a leaky bucket of failures, and a failure rate, per (calling host, endpoint). */
export interface ShieldSpec {
  readonly threshold: number
  readonly leakPerS: number
  readonly shieldS: number
  /** Share of failed calls in a window that shields; 0: the count alone. */
  readonly failureRate?: number
  readonly minCalls?: number
  readonly rateWindowS?: number
  /** `caller` (default): each calling host keeps its own state (seed 004); `callee`: one state per endpoint, shared by all callers. */
  readonly scope?: "caller" | "callee"
}

/** How a call picks the instance of its target service. */
export type Route =
  /** Round-robin over the instances that are up and not shielded (nginx's weighted round-robin with equal weights). */
  | "round-robin"
  /** Consistent hashing of the request's uin over the instances (the logic layer). */
  | "uin"
  /** The uin's storage group (three consecutive instances), a member chosen by uin, retries within the group. */
  | "group"
  /** The access host that holds the user's connection. */
  | "user"
  /** The active host of an active/standby (`vip`) host class. */
  | "vip"
  /** The instance of `longConnections.via` holding the user's long connection (wwlpush → wwlconn). */
  | "connection"

/** An async request started by a call after it is served: the MQ hand-off, a push, a file download. */
export interface SpawnSpec {
  readonly kind: string
  /** Requests started per spawn (e.g. recipients of a message). */
  readonly count: Dist
  /** Chance that the spawn happens at all. */
  readonly probability: number
  /** `same`: the request keeps the uin; `random`: a random user (a recipient). */
  readonly uin: "same" | "random"
  /** `origin`: the spawned request's latency runs from the original request's arrival. */
  readonly clock: "origin" | "spawn"
  /** `server`: the spawning server makes the request (an MQ hand-off); `user`: the user does (a download). */
  readonly by: "server" | "user"
}

/**
 * One Svrkit RPC in a request's call tree: the caller holds its worker (not a core) until the
 * reply, a timeout, or the last failed try.
 */
export interface CallSpec {
  readonly to: string
  /** CPU time for this call; `null`: the service's own `cpu`. */
  readonly cpu: Dist | null
  readonly requestBytes: number
  readonly replyBytes: number
  /** Caller's timeout per try; `null`: waits forever. */
  readonly timeout: number | null
  /** Tries in all, each on a different machine, for system failures only. */
  readonly tries: number
  readonly route: Route
  /** Disk work on the callee's host after its CPU, bytes. */
  readonly diskWrite: number
  readonly diskRead: number
  /** Replicas in the callee's storage group that must acknowledge a write (itself included); 0: none. */
  readonly quorum: number
  /**
   * Members of the callee's storage group that must be reachable for a read (itself included; a
   * Paxos read needs a majority); absent or 0: the member that took the call is enough.
   */
  readonly readQuorum?: number
  /**
   * Seconds the caller waits for a connect to a host that cannot answer (powered off, or cut off by
   * a partition: no RST) before the try fails with -201; absent: the scenario's `connectTimeout`.
   */
  readonly connectTimeout?: number
  /** Taken only when the request's user is online / offline / always. */
  readonly when: "always" | "online" | "offline"
  /** Fixed extra latency of an external system behind this call (a vendor push service). */
  readonly externalLatency: Dist | null
  /** Bytes sent on to the user over its connection (a push), out of the callee's NIC. */
  readonly toClientBytes: number
  /** Retries may go back to a machine already tried when no other is left (a plain client, not Svrkit). */
  readonly retrySame?: boolean
  /** Retries allowed as a share of first tries (a retry budget, token bucket); absent: unlimited. */
  readonly retryBudget?: number | null
  /** Client-side adaptive throttling (Google SRE): reject locally with p = (requests − k·accepts)/(requests + 1). */
  readonly throttle?: { readonly k: number; readonly windowS: number } | null
  /** Synchronous downstream calls, made in order after the CPU. */
  readonly calls: ReadonlyArray<CallSpec>
  readonly spawn: ReadonlyArray<SpawnSpec>
}

/** A stream of requests of one kind: Poisson at `rate` (0: started only by `spawn`). */
export interface WorkloadSpec {
  readonly rate: number
  /** The entry service (shorthand for `call: { to }`). */
  readonly to: string
  /** The full call tree; absent: one call to `to` with the service's defaults. */
  readonly call?: CallSpec
  /** Senders: uniform over all users, or over the active ones. */
  readonly senders?: "all" | "active"
  /** Access-host port per request: `pooled` held while in flight (nginx upstream keep-alive), `short` then TIME_WAIT too, `none` no port. */
  readonly connection?: "none" | "pooled" | "short"
  /** The entry service persists the requests and redelivers failed ones (an MQ); absent: a failure is final. */
  readonly redeliver?: RedeliverySpec | null
}

/** The fault actions of the timeline (README "Faults"). */
export type FaultAction =
  | "host-down" | "host-up" | "service-crash" | "nic-degrade" | "disk-slow" | "partition"
  | "push-outage" | "long-conn-blocked" | "shield" | "config" | "load" | "login-storm" | "replay"

/** One step of a replayed trace: from `t` seconds after the fault's start, rates × `factor`. */
export interface TraceStep {
  readonly t: number
  readonly factor: number
}

/**
 * One entry of the fault timeline; times are from the start of the run, warm-up included.
 * `target` names hosts (instances or classes), services or request kinds depending on the action;
 * the other fields are the action's parameters (absent when it has none).
 */
export interface FaultSpec {
  readonly at: number
  /** `null`: to the end of the run. */
  readonly for: number | null
  readonly action: FaultAction
  readonly target: ReadonlyArray<string>
  /** partition: the hosts on the other side. service-crash, shield: the instances affected (all when absent). */
  readonly peer?: ReadonlyArray<string>
  readonly hosts?: ReadonlyArray<string>
  /** nic-degrade: capacity factor (0, 1], added latency (s), message loss ratio. */
  readonly bandwidth?: number
  readonly latency?: number
  readonly loss?: number
  /** disk-slow: times slower (≥ 1). load: rate multiplier. host-down/host-up: cold-start CPU factor. */
  readonly factor?: number
  /** load: seconds to reach `factor` linearly. host-down/host-up: seconds a returning host stays cold. */
  readonly ramp?: number
  /** login-storm: users logging in within the fault's window. */
  readonly users?: number
  /** shield: percentage of calls skipped by uin hash; absent: a global (operator) shield. */
  readonly percent?: number
  /** config: new tries, timeout and fast-reject settings for calls to / instances of the target services. */
  readonly tries?: number
  readonly timeout?: number | null
  readonly fastReject?: FastRejectSpec | null
  /** long-conn-blocked: how often clients poll instead (default 30 s). push-outage: when ss5 gives up (-203). */
  readonly interval?: number
  /** replay: the trace, read from the CSV file named in the scenario. */
  readonly trace?: ReadonlyArray<TraceStep>
  /** replay: the CSV file as written (relative to the scenario file). */
  readonly file?: string
  /** replay: the built-in daily profile instead of a file (`sim/faults/daily.ts`). */
  readonly profile?: "daily"
  /** replay with a profile: the time of day at `at`, in seconds after midnight. */
  readonly start?: number
}

export interface Scenario {
  readonly name: string
  readonly seed: number
  readonly warmup: number
  readonly duration: number
  /**
   * `warmup: auto`: the warm-up is chosen by MSER-5 after a first run (`sim/warmupAuto.ts`);
   * `warmup` is then 0 and `duration` the whole run.
   */
  readonly warmupAuto?: boolean
  readonly hosts: Readonly<Record<string, HostClass>>
  readonly services: Readonly<Record<string, ServiceSpec>>
  readonly workload: Readonly<Record<string, WorkloadSpec>>
  readonly faults: ReadonlyArray<FaultSpec>
  /** Population for uin-keyed routing and connections; 0: no users modelled. */
  readonly users?: number
  readonly activeRatio?: number
  /** Users holding a long connection (push over wwlconn); the rest get vendor push. */
  readonly onlineRatio?: number
  /** Host class whose hosts hold users' connections (ports); `null`: none. */
  readonly accessClass?: string | null
  /** Long connections each online user holds (devices online at once: PC + phone); default 1. */
  readonly connectionsPerUser?: number
  /** How long connections end, reconnect and are placed (`sim/model/Users.ts`). */
  readonly longConnections?: LongConnectionSpec
  /** Every call's connect timeout unless the call sets its own (seconds); absent: 1 s. */
  readonly connectTimeout?: number
  /** Series step in seconds; `null` picks 1 s, coarsened to keep ≤ ~2,000 points. */
  readonly seriesStep: number | null
  /** `recovery:` what a series step needs to count as recovered from a fault (`sim/report/recovery.ts`); absent: 99% success. */
  readonly recovery?: RecoveryCriteria
  /** Service level objectives checked after the run (`sim/slo/`); absent: none. */
  readonly slo?: ReadonlyArray<SloSpec>
  /** Arrivals replayed from an access log (`sim/calibrate/trace.ts`). */
  readonly trace?: TraceSpec
}

/** Latency bounds in seconds: one for every kind, or per kind (kinds not named are unbounded). */
export type LatencyBounds = number | Readonly<Record<string, number>>

/** What makes a series step healthy after a fault (`recovery:` in a scenario; `sim/report/recovery.ts`). */
export interface RecoveryCriteria {
  /** Least success (ok / finished) of a healthy step. */
  readonly healthy: number
  /** Most p99 of ok requests of a healthy step, in seconds; absent: success alone decides. */
  readonly p99?: LatencyBounds
}

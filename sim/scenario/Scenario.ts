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

/** A positive random variable, in seconds. */
export type Dist =
  | { readonly kind: "const"; readonly value: number }
  | { readonly kind: "exp"; readonly mean: number }
  | { readonly kind: "uniform"; readonly min: number; readonly max: number }
  | { readonly kind: "lognormal"; readonly mean: number; readonly cv: number }

/** A class of identical hosts; instances are `<class>-1 … <class>-<count>`. */
export interface HostClass {
  readonly count: number
  readonly cores: number
  /** NIC bandwidth per direction, bits/s; `null`: the network is not modelled for this class. */
  readonly nicBps?: number | null
  /** Ephemeral ports for proxied client connections; `null`: unlimited (not an access host). */
  readonly ports?: number | null
  /** Seconds a closed connection holds its port (TIME_WAIT). */
  readonly timeWait?: number
  /** Disk bandwidth in bytes/s; `null`: no disk modelled. */
  readonly disk?: { readonly writeBps: number; readonly readBps: number } | null
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
  /** Server overload protection (fast reject); absent or null: off. */
  readonly fastReject?: FastRejectSpec | null
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
  /** How long a caller keeps rejecting locally after a reject reply (client-side fast reject). */
  readonly clientCacheS: number
}

/** Automatic shielding: a leaky bucket of failures per endpoint. */
export interface ShieldSpec {
  readonly threshold: number
  readonly leakPerS: number
  readonly shieldS: number
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
  /** Taken only when the request's user is online / offline / always. */
  readonly when: "always" | "online" | "offline"
  /** Fixed extra latency of an external system behind this call (a vendor push service). */
  readonly externalLatency: Dist | null
  /** Bytes sent on to the user over its connection (a push), out of the callee's NIC. */
  readonly toClientBytes: number
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
}

/** One entry of the fault timeline; times are from the start of the run, warm-up included. */
export interface FaultSpec {
  readonly at: number
  /** `null`: to the end of the run. */
  readonly for: number | null
  readonly action: "host-down"
  /** Instances or host classes, as written by the user. */
  readonly target: ReadonlyArray<string>
}

export interface Scenario {
  readonly name: string
  readonly seed: number
  readonly warmup: number
  readonly duration: number
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
  /** Series step in seconds; `null` picks 1 s, coarsened to keep ≤ ~2,000 points. */
  readonly seriesStep: number | null
}

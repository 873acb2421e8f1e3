import type { Sampler } from "../kernel/Random.ts"
import type { Route } from "../scenario/Scenario.ts"
import type { RetryBudget, Throttle } from "./ClientPolicy.ts"
import type { Kind } from "./Kind.ts"
import type { Service } from "./Service.ts"
import type { TimerList } from "./TimerList.ts"

/** A spawn compiled: the kind it starts, how many, with what chance. */
export interface SpawnNode {
  readonly kind: Kind
  readonly count: Sampler
  readonly probability: number
  readonly sameUin: boolean
  /** Latency of the spawned request runs from the origin request's arrival (push: send → delivered). */
  readonly fromOrigin: boolean
  /** The spawned request is made by the user (from the internet), not by the spawning server. */
  readonly byUser: boolean
}

/**
 * One node of a kind's call tree, compiled against the model: services resolved, samplers built.
 * The origin of a request is a node with no service whose single child is the kind's root call.
 */
export interface CallNode {
  readonly service: Service | null
  readonly cpu: Sampler | null
  readonly requestBytes: number
  readonly replyBytes: number
  /** Mutable: a `config` fault may change timeouts and tries while the run goes on. */
  timeout: number | null
  /** Pending deadlines of tries made at this call site; `null` when it has no timeout. */
  timers: TimerList | null
  tries: number
  readonly route: Route
  readonly diskWrite: number
  readonly diskRead: number
  readonly quorum: number
  /** Members of the group that must be reachable to serve a read (Paxos: a majority); 0: itself. */
  readonly readQuorum: number
  /** Seconds a connect to a host that cannot answer (down, partitioned) takes to fail with -201. */
  readonly connectTimeout: number
  /** Pending connect deadlines of tries to unreachable hosts; made on first use. */
  connectTimers: TimerList | null
  readonly when: "always" | "online" | "offline"
  readonly externalLatency: Sampler | null
  readonly toClientBytes: number
  readonly retrySame: boolean
  readonly retryBudget: RetryBudget | null
  readonly throttle: Throttle | null
  readonly calls: ReadonlyArray<CallNode>
  readonly spawn: ReadonlyArray<SpawnNode>
}

import type { Sampler, Uniform } from "../kernel/Random.ts"
import { LatencyRecorder } from "../stats/LatencyRecorder.ts"
import type { CallNode } from "./CallNode.ts"
import type { Redelivery } from "./Redelivery.ts"

/** A kind's arrival rate over time when faults change it (`sim/faults/load.ts`). */
export interface RateProfile {
  /** The largest rate the profile reaches: candidates are drawn at it and thinned. */
  readonly maxRate: number
  rateAt(t: number): number
}

/**
 * A request kind (a scenario's `workload` entry, a report's `requests` entry): its arrival stream
 * (if any), its call tree, and its statistics, which `sim/measure/Window.ts` records.
 */
export class Kind {
  issued = 0
  ok = 0
  failed = 0
  rejected = 0
  /** Final codes other than 0; ok requests are counted in `ok`. */
  readonly codes = new Map<number, number>()
  /** Ok requests that arrived in the window. */
  readonly latency = new LatencyRecorder()
  /** Ok replies in the current series step, whatever their arrival time. */
  readonly stepLatency = new LatencyRecorder()
  /** Bytes between users and the access tier inside the window: requests up, replies and pushes down. */
  edgeUpBytes = 0
  edgeDownBytes = 0
  stepFailed = 0
  stepRejected = 0
  /** Tries of this kind's requests whose caller timed out in the current step, retried or not. */
  stepTimeouts = 0
  /** Set once the model is built: the origin node whose single child is the root call. */
  origin: CallNode = null as unknown as CallNode
  /** Set when a fault changes the kind's rate over time: arrivals are thinned to it. */
  profile: RateProfile | null = null
  /** Draws for thinning. */
  thinning: Uniform | null = null
  /** Set when the kind's entry service persists its requests and redelivers failed ones (an MQ). */
  redelivery: Redelivery | null = null
  /** Set when the request is a single plain call the engine may run without an origin. */
  direct: CallNode | null = null

  constructor(
    /** The kind's place in the model's list. */
    readonly index: number,
    readonly name: string,
    /** Poisson interarrival sampler; `null` for kinds only spawned by other requests. */
    readonly interarrival: Sampler | null,
    /** Draws the sender's uin (uniform over the senders). */
    readonly uinStream: Uniform,
    /** Senders are uins 0 … senders−1. */
    readonly senders: number,
    /** Hold an access-host port per request: "pooled" (returned at once), "short" (TIME_WAIT), or none. */
    readonly connection: "none" | "pooled" | "short",
  ) {}
}

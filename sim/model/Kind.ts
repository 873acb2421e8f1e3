import type { Sampler, Uniform } from "../kernel/Random.ts"
import { LatencyRecorder } from "../stats/LatencyRecorder.ts"
import type { CallNode } from "./CallNode.ts"
import { isOverload } from "./retry.ts"

/**
 * A request kind: its arrival stream (if any), its call tree, and its statistics over the
 * measured window.
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
  /** Set once the model is built: the origin node whose single child is the root call. */
  origin: CallNode = null as unknown as CallNode
  /** Set when a fault changes the kind's rate over time: arrivals are thinned to it. */
  profile: import("../engine/Load.ts").LoadProfile | null = null
  /** Draws for thinning. */
  thinning: Uniform | null = null
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

  /** An ok reply after `latency` seconds; `counted` when the request arrived in the window. */
  replied(latency: number, counted: boolean): void {
    if (counted) {
      this.ok++
      this.stepLatency.recordBoth(this.latency, latency)
    } else {
      this.stepLatency.record(latency)
    }
  }

  /** A request ended with a non-zero code. */
  failedWith(code: number, counted: boolean): void {
    const overload = isOverload(code)
    if (overload) this.stepRejected++
    else this.stepFailed++
    if (!counted) return
    if (overload) this.rejected++
    else this.failed++
    this.codes.set(code, (this.codes.get(code) ?? 0) + 1)
  }
}


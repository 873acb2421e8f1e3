import type { Sampler } from "../kernel/Random.ts"
import { LatencyRecorder } from "../stats/LatencyRecorder.ts"
import type { Service } from "./Service.ts"

/** Return codes, as Svrkit reports them. */
export const Code = {
  ok: 0,
  /** Arrived to a full InQueue: refused by overload protection. */
  overload: -206,
} as const

/**
 * A request kind (a workload entry): its Poisson arrival stream and its statistics over the
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

  constructor(
    readonly name: string,
    readonly entry: Service,
    readonly interarrival: Sampler,
  ) {}

  /** An ok reply after `latency` seconds; `counted` when the request arrived in the window. */
  replied(latency: number, counted: boolean): void {
    this.stepLatency.record(latency)
    if (counted) {
      this.ok++
      this.latency.record(latency)
    }
  }

  /** A counted request ended with a non-zero code. */
  failedWith(code: number): void {
    if (code === Code.overload) this.rejected++
    else this.failed++
    this.codes.set(code, (this.codes.get(code) ?? 0) + 1)
  }
}

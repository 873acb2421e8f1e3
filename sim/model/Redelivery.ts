import { TimeWeighted } from "../stats/TimeWeighted.ts"

/** A workload's `redeliver` policy, unit-free (`sim/scenario/Scenario.ts`). */
export interface RedeliverySpec {
  /** Messages one instance of the entry service (the MQ) holds for redelivery; one more is refused. */
  readonly backlog: number
  /** Wait before the first redelivery, s. */
  readonly interval: number
  /** Each further wait is this many times the previous… */
  readonly backoff: number
  /** …up to this, s. */
  readonly maxInterval: number
  /** A message older than this (from its request's arrival) is given up, s. */
  readonly maxAge: number
}

/**
 * A persistent queue at a kind's entry service (wwlmqasyncsvr for WeCom's pushes): a request that
 * failed after reaching an instance of it waits in that instance's backlog and is sent again later,
 * instead of being lost (`sim/request/redeliver.ts`). Holds the per-instance counts the bound is
 * checked against and the total backlog over time the report draws.
 */
export class Redelivery {
  /** Messages waiting, per instance of the entry service. */
  readonly waiting: Int32Array
  /** Messages waiting in all instances, over time. */
  readonly backlog = new TimeWeighted()
  /** Redeliveries made since time 0, and when the window started. */
  redelivered = 0
  redeliveredAtStart = 0

  constructor(readonly spec: RedeliverySpec, instances: number) {
    this.waiting = new Int32Array(Math.max(1, instances))
  }

  /** The wait before redelivery number `n` (1, 2, …): interval × backoff^(n−1), capped. */
  delay(n: number): number {
    const s = this.spec
    return Math.min(s.maxInterval, s.interval * s.backoff ** (n - 1))
  }
}

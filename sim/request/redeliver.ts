import type { Call } from "../model/Call.ts"
import { Code } from "../model/Code.ts"
import { REDELIVER } from "./events.ts"
import { nextChild } from "./send.ts"
import { scheduleCall, type Sim } from "./Sim.ts"

/**
 * A persistent MQ (a kind's `redeliver`, wwlmqasyncsvr for WeCom's pushes): the hand-off is on its
 * disk, so a request that failed after reaching an instance of the entry service waits in that
 * instance's backlog and is sent again after the policy's interval (× backoff, capped), until it
 * succeeds. It is dropped only when the instance holds `backlog` messages already (−301) or it is
 * older than `maxAge` (−302). A request no instance was tried for never reached the MQ: it fails
 * as it would without one. Latency still runs from the request's arrival, so a late delivery shows.
 *
 * Returns the code the request ends with: `Code.ok` when it was parked for redelivery (it has not
 * ended), otherwise `code` or the MQ's own drop code.
 */
export function park(sim: Sim, origin: Call, code: number): number {
  const r = origin.kind.redelivery!
  if (origin.tries === 0) return code
  const now = sim.queue.time
  const n = origin.redeliveries + 1
  const at = now + r.delay(n)
  if (at - origin.arrival > r.spec.maxAge) return Code.expired
  const index = origin.tried[origin.tries - 1]
  if (r.waiting[index] >= r.spec.backlog) return Code.backlogFull
  r.waiting[index]++
  r.backlog.add(now, 1)
  origin.redeliveries = n
  origin.parkedAt = index
  scheduleCall(sim, at, REDELIVER, origin)
  return Code.ok
}

/** The wait is over: the MQ sends the request again, to whoever holds the user's connection now. */
export function redeliver(sim: Sim, origin: Call, now: number): void {
  const r = origin.kind.redelivery!
  r.waiting[origin.parkedAt]--
  r.backlog.add(now, -1)
  r.redelivered++
  origin.parkedAt = -1
  origin.childIndex = 0
  nextChild(sim, origin, now)
}

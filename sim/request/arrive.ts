import { requestFailed, requestIssued, requestOk } from "../measure/Window.ts"
import type { Call } from "../model/Call.ts"
import type { CallNode } from "../model/CallNode.ts"
import { Code } from "../model/Code.ts"
import type { Host } from "../model/Host.ts"
import type { Kind } from "../model/Kind.ts"
import { NEW_REQUEST, POLL_DELIVERY } from "./events.ts"
import { admit } from "./queue.ts"
import { route } from "./route.ts"
import { park } from "./redeliver.ts"
import { nextChild } from "./send.ts"
import { scheduleCall, type Sim } from "./Sim.ts"

/**
 * A workload arrival: a new request from a user, and the next arrival scheduled. With a load
 * profile the candidate is thinned (Lewis–Shedler): kept with probability rate(now) / peak.
 */
export function arrival(sim: Sim, kind: Kind, now: number): void {
  const next = now + kind.interarrival!()
  if (next < sim.end) sim.queue.schedule(next, NEW_REQUEST, kind.index)
  const profile = kind.profile
  if (profile !== null && kind.thinning!() * profile.maxRate >= profile.rateAt(now)) return
  const uin = kind.senders > 0 ? Math.floor(kind.uinStream() * kind.senders) : 0
  if (kind.direct === null) startRequest(sim, kind, uin, now, null, now)
  else startDirect(sim, kind, kind.direct, uin)
}

/**
 * The fast path for a kind whose request is one plain call (a queueing model): no origin, no
 * client logic; the call itself ends the request. Same outcome as the general path, one call
 * object and a few branches fewer per customer.
 */
function startDirect(sim: Sim, kind: Kind, node: CallNode, uin: number): void {
  const now = sim.queue.time
  const c = sim.pool.take()
  c.kind = kind
  c.node = node
  c.uin = uin
  c.arrival = now
  c.counted = requestIssued(sim.window, kind, now)
  c.instance = route(node.route, node.service!, c, sim.model.users, now)
  if (c.instance === null) endRequest(sim, c, Code.connect)
  else admit(sim, c)
}

/**
 * Starts a request: its origin call, whose one child is the kind's root call. `from` is the host
 * that started it (a spawned request), `null` for a user on the internet.
 */
export function startRequest(sim: Sim, kind: Kind, uin: number, arrival: number, from: Host | null, now: number): void {
  const origin = sim.pool.take()
  origin.kind = kind
  origin.node = kind.origin
  origin.uin = uin
  origin.arrival = arrival
  origin.counted = requestIssued(sim.window, kind, arrival)
  origin.from = from
  nextChild(sim, origin, now)
}

/**
 * The origin's root call is settled: the request ends with `code`, or, when its result must wait
 * for the user's next poll, at that poll (POLL_DELIVERY).
 */
export function endRequest(sim: Sim, origin: Call, code: number): void {
  const now = sim.queue.time
  if (code !== Code.ok && origin.kind.redelivery !== null) {
    // A persistent MQ holds it for a later try, unless it drops it.
    code = park(sim, origin, code)
    if (code === Code.ok) return
  }
  if (code === Code.ok && origin.deliverAt > now) {
    scheduleCall(sim, origin.deliverAt, POLL_DELIVERY, origin)
    return
  }
  if (code === Code.ok) requestOk(origin.kind, now - origin.arrival, origin.counted)
  else requestFailed(origin.kind, code, origin.counted)
  sim.pool.finish(origin)
}

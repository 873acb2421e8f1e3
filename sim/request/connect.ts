import { reconnected } from "../measure/Window.ts"
import { startRequest } from "./arrive.ts"
import { CHURN, RECONNECT } from "./events.ts"
import type { Sim } from "./Sim.ts"

/**
 * Long connections' life (`sim/model/Users.ts`): a dropped connection is retried after the
 * client's reconnect delay, through the load balancer, and a reconnect logs in again (the
 * scenario's `longConnections.login` kind); connections end at random (churn) and reconnect
 * the same way. These events are per connection, not per message.
 */

/** Schedules a reconnect for every slot the model dropped (a fault, a failed start-up connect). */
export function scheduleDropped(sim: Sim, now: number): void {
  const users = sim.model.users
  const delay = users.reconnectDelay
  const dropped = users.dropped
  for (let k = 0; k < dropped.length; k++) {
    const at = now + (delay === null ? 0 : delay())
    if (at < sim.end) sim.queue.schedule(at, RECONNECT, dropped[k])
  }
  dropped.length = 0
}

/** A client's reconnect is due: it connects and logs in, or tries again after another delay. */
export function reconnect(sim: Sim, slot: number, now: number): void {
  const users = sim.model.users
  if (users.reconnect(slot, now)) {
    reconnected(sim.window)
    const login = users.login
    if (login !== null) startRequest(sim, login, Math.floor(slot / users.perUser), now, null, now)
    return
  }
  if (!users.wantsConnection(slot)) return
  const at = now + (users.reconnectDelay === null ? 1 : users.reconnectDelay())
  if (at < sim.end) {
    users.markPending(slot)
    sim.queue.schedule(at, RECONNECT, slot)
  }
}

/**
 * Churn: connection lifetimes are exponential, so the next end among all slots is a Poisson
 * process of rate slots / lifetime, thinned to the slots connected (memoryless: exact).
 */
export function churn(sim: Sim, now: number): void {
  const users = sim.model.users
  const slot = Math.floor(users.churnPick!() * users.slots)
  if (users.expire(slot, now)) {
    users.markPending(slot)
    const at = now + (users.reconnectDelay === null ? 0 : users.reconnectDelay())
    if (at < sim.end) sim.queue.schedule(at, RECONNECT, slot)
  }
  scheduleChurn(sim, now)
}

/** The next churn candidate, if connections have a lifetime. */
export function scheduleChurn(sim: Sim, now: number): void {
  const users = sim.model.users
  if (users.churnGap === null || users.slots === 0) return
  const at = now + users.churnGap()
  if (at < sim.end) sim.queue.schedule(at, CHURN, 0)
}

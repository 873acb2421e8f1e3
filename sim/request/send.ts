import { clientRejected, edgeUp, retried } from "../measure/Window.ts"
import type { Call } from "../model/Call.ts"
import type { CallNode } from "../model/CallNode.ts"
import { Code } from "../model/Code.ts"
import type { Host } from "../model/Host.ts"
import type { Instance } from "../model/Service.ts"
import { TimerList } from "../model/TimerList.ts"
import { endRequest } from "./arrive.ts"
import { CALL_IN } from "./events.ts"
import { transfer } from "./network.ts"
import { admissionDraw, admit, callerSlot } from "./queue.ts"
import { complete } from "./reply.ts"
import { childFailed, giveUp, mayRetry } from "./retry.ts"
import { route, shieldCaller, shieldsOf } from "./route.ts"
import { scheduleCall, type Sim } from "./Sim.ts"
import { armTimer } from "./timeout.ts"

/**
 * Makes the next child call of `c` that applies, or completes `c` when none is left. A child for
 * online (or offline) users applies by the user's state now, as the server making the call sees
 * it (wwlpush asks whether the user holds a long connection when it pushes), not at the request's
 * start: a connection dropped while the push waited in the MQ sends it the offline way.
 */
export function nextChild(sim: Sim, c: Call, now: number): void {
  const calls = c.node.calls
  while (c.childIndex < calls.length) {
    const child = calls[c.childIndex]
    if (child.when === "always" || (child.when === "online") === sim.model.users.isOnline(c.uin)) {
      c.tries = 0
      tryCall(sim, c, child, now)
      return
    }
    c.childIndex++
  }
  if (c.instance === null) endRequest(sim, c, Code.ok)
  else complete(sim, c, Code.ok, false)
}

/**
 * One try of a child call, by the caller's Svrkit client: adaptive throttling, the retry budget,
 * a machine by the call's route, the client-side reject cache, an access-host port, the timer;
 * then the request goes over the network (CALL_IN). `lastCode` is what the previous try met.
 */
export function tryCall(sim: Sim, parent: Call, node: CallNode, now: number, lastCode: number = Code.connect): void {
  const service = node.service!
  const throttle = node.throttle
  if (throttle !== null) {
    // Adaptive throttling: the client rejects locally when its backend has been rejecting.
    const p = throttle.rejectProbability(now)
    throttle.onRequest(now)
    if (p > 0 && service.admission() < p) {
      clientRejected(sim.window)
      giveUp(sim, parent, Code.clientReject, true, now)
      return
    }
  }
  if (!mayRetry(parent, node)) {
    // Out of retry budget: fail with what the last try met.
    giveUp(sim, parent, lastCode, true, now)
    return
  }
  let inst = route(node.route, service, parent, sim.model.users, now)
  if (inst === null && node.retrySame && parent.tries > 0) {
    // A plain client may try the same machine again when it has no other.
    const tries = parent.tries
    parent.tries = 0
    inst = route(node.route, service, parent, sim.model.users, now)
    parent.tries = tries
  }
  if (inst === null) {
    // No machine left to try: the call ends with the last failure it met.
    giveUp(sim, parent, lastCode, parent.tries > 0, now)
    return
  }
  if (parent.tries > 0) retried(sim.window)
  parent.tried[parent.tries++] = inst.index
  const host = inst.host
  const from = parent.instance?.host ?? parent.from
  if (host.down || (from !== null && from.partitioned.size > 0 && from.partitioned.has(host))) {
    // A powered-off or cut-off host sends no RST: the connect fails only at its timeout.
    if (node.connectTimeout > 0) {
      connectUnanswered(sim, parent, node, inst, from, now)
      return
    }
    shieldsOf(service, parent)?.onFailure(now, inst.index, shieldCaller(parent))
    childFailed(sim, parent, node, Code.connect, false, now)
    return
  }
  // Client-side fast reject: a cached reject reply answers locally, without a round trip.
  // With uin priority the cached reject refuses the same requests the server would: consistent.
  const cached = callerSlot(service, from) * service.instances.length + inst.index
  if (service.clientRejectUntil[cached] > now && admissionDraw(service, parent.uin) >= service.clientRejectPass[cached]) {
    clientRejected(sim.window)
    childFailed(sim, parent, node, Code.clientReject, false, now)
    return
  }
  const kind = parent.kind
  let portHost: Host | null = null
  let portDest = 0
  if (parent.parent === null && kind.connection !== "none" && host.ports !== null) {
    const ports = host.ports
    if (ports.destinations > 1) portDest = ports.nextDestination()
    if (!ports.tryAcquire(now, portDest)) {
      childFailed(sim, parent, node, Code.connect, false, now)
      return
    }
    portHost = host
  }
  const c = childCall(sim, parent, node, inst, from)
  c.portHost = portHost
  c.portEpoch = host.epoch
  c.portDest = portDest
  parent.waiting = c
  if (node.timers !== null) armTimer(sim, node.timers, c, now)
  if (c.from === null) edgeUp(sim.window, kind, node.requestBytes, now)
  const at = transfer(sim, c.from, host, node.requestBytes, now)
  if (at === now) admit(sim, c)
  else if (at < 0) {
    // Lost on the way (partition, packet loss): nobody answers; the caller's timer will fire.
    sim.pool.finish(c)
  } else {
    scheduleCall(sim, at, CALL_IN, c)
  }
}

/**
 * A try whose SYN nobody answers: the caller waits its connect timeout, then the try fails with
 * −201 (the timeout's expiry, `timeout.ts`, feeds the shields and the retry rule). If the try's own
 * timeout is shorter, that fires first and the try fails with −202. Nothing answers, so the try is
 * finished from the start; its timer holds it by generation only.
 */
function connectUnanswered(sim: Sim, parent: Call, node: CallNode, inst: Instance, from: Host | null, now: number): void {
  const c = childCall(sim, parent, node, inst, from)
  c.finished = true
  parent.waiting = c
  if (node.timers !== null && node.timers.timeout < node.connectTimeout) {
    armTimer(sim, node.timers, c, now)
    return
  }
  let timers = node.connectTimers
  if (timers === null) timers = node.connectTimers = new TimerList(node.connectTimeout, Code.connect)
  armTimer(sim, timers, c, now)
}

/** A pooled call for `node` to `inst`, carrying its parent's request: kind, uin, arrival, counted. */
function childCall(sim: Sim, parent: Call, node: CallNode, inst: Instance, from: Host | null): Call {
  const c = sim.pool.take()
  c.kind = parent.kind
  c.node = node
  c.parent = parent
  c.instance = inst
  c.from = from
  c.uin = parent.uin
  c.arrival = parent.arrival
  c.counted = parent.counted
  return c
}

import { edgeDown, served } from "../measure/Window.ts"
import { type Call, isLost } from "../model/Call.ts"
import { Code, isOverload, isSystemFailure } from "../model/Code.ts"
import { endRequest } from "./arrive.ts"
import { REPLY_IN } from "./events.ts"
import { releasePort, transfer } from "./network.ts"
import { releaseWorker } from "./queue.ts"
import { childFailed } from "./retry.ts"
import { shieldCaller, shieldsOf } from "./route.ts"
import { nextChild } from "./send.ts"
import { scheduleCall, type Sim } from "./Sim.ts"
import { spawn } from "./spawn.ts"

/** The call is done (ok or failed): free the worker, start spawns, send the reply. */
export function complete(sim: Sim, c: Call, code: number, propagated: boolean): void {
  const now = sim.queue.time
  const inst = c.instance!
  if (c.worker) {
    c.worker = false
    releaseWorker(sim, inst)
  }
  served(sim.window, inst, now)
  if (code === Code.ok) {
    const spawns = c.node.spawn
    for (let i = 0; i < spawns.length; i++) spawn(sim, spawns[i], c, now)
  }
  sendReply(sim, c, code, propagated)
}

/** The callee answers: the reply travels back to the caller (REPLY_IN), or is lost on the way. */
export function sendReply(sim: Sim, c: Call, code: number, propagated: boolean): void {
  const now = sim.queue.time
  if (c.parent === null) {
    // A direct call (see arrive.ts): its reply is the request's end.
    endRequest(sim, c, code)
    return
  }
  c.code = code
  c.propagated = propagated
  if (c.from === null) edgeDown(sim.window, c.kind, c.node.replyBytes, now)
  const at = transfer(sim, c.instance!.host, c.from, c.node.replyBytes, now)
  if (at === now) reply(sim, c, now)
  else if (at < 0) {
    // The reply is lost: the caller's timer will fire.
    c.finished = true
    if (c.portHost !== null) releasePort(c, now)
    sim.pool.release(c)
  } else {
    scheduleCall(sim, at, REPLY_IN, c)
  }
}

/**
 * The reply of child try `c` reaches its caller: ok goes on to the caller's next child; a failure
 * feeds the shields and goes to the retry rule.
 */
export function reply(sim: Sim, c: Call, now: number): void {
  const parent = c.parent!
  c.finished = true
  if (c.portHost !== null) releasePort(c, now)
  if (parent.waiting !== c) {
    // A reply to a caller that gave up (timeout).
    sim.pool.release(c)
    return
  }
  parent.waiting = null
  if (isLost(parent)) {
    // The caller died with its host.
    sim.pool.drop(parent)
    sim.pool.release(c)
    return
  }
  const node = c.node
  const service = node.service!
  const code = c.code
  const propagated = c.propagated
  const index = c.instance!.index
  sim.pool.release(c)
  if (node.throttle !== null && !isOverload(code)) node.throttle.onAccept(now)
  if (code === Code.ok) {
    shieldsOf(service, parent)?.onSuccess(now, index, shieldCaller(parent))
    parent.childIndex++
    nextChild(sim, parent, now)
    return
  }
  if (!propagated && isSystemFailure(code)) shieldsOf(service, parent)?.onFailure(now, index, shieldCaller(parent))
  childFailed(sim, parent, node, code, propagated, now)
}

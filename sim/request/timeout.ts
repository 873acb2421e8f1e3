import { type Call, isLost } from "../model/Call.ts"
import { Code } from "../model/Code.ts"
import type { TimerList } from "../model/TimerList.ts"
import { TIMER_TICK } from "./events.ts"
import { releasePort } from "./network.ts"
import { childFailed } from "./retry.ts"
import { shieldCaller, shieldsOf } from "./route.ts"
import type { Sim } from "./Sim.ts"

/**
 * Timeouts fire on a 1 ms tick, as Svrkit's timers do (libco's timer wheel has millisecond
 * slots): a try times out at the first tick at or after its deadline. One event then expires every
 * try of a call site due in that millisecond.
 */
const TIMER_TICK_S = 0.001

const timerTick = (deadline: number): number => Math.ceil(deadline / TIMER_TICK_S) * TIMER_TICK_S

/** The caller starts try `c`'s timer at its call site's list; the list's head has a tick pending. */
export function armTimer(sim: Sim, timers: TimerList, c: Call, now: number): void {
  timers.calls.push(c)
  timers.deadlines.push(now + timers.timeout)
  timers.gens.push(c.gen)
  if (!timers.armed) {
    timers.armed = true
    if (timers.id < 0) timers.id = sim.timerLists.push(timers) - 1
    sim.queue.schedule(timerTick(now + timers.timeout), TIMER_TICK, timers.id)
  }
}

/** Deadlines of one call site passed: time out the tries still unanswered, re-arm for the next. */
export function expire(sim: Sim, timers: TimerList, now: number): void {
  const { calls, deadlines, gens } = timers
  // The tick can round a hair below a deadline in floating point: expire up to now + 1 ns.
  while (deadlines.length > 0 && deadlines.peek() <= now + 1e-9) {
    deadlines.shift()
    const c = calls.shift()!
    if (gens.shift() === c.gen) timeout(sim, c, timers.code, now)
  }
  // Tries already answered need no tick: drop them now, so the next tick is the first try still
  // waiting's (without this the list ticks every millisecond it has any deadline, answered or not).
  while (deadlines.length > 0) {
    const c = calls.peek()!
    if (gens.peek() === c.gen && c.parent!.waiting === c) break
    deadlines.shift()
    calls.shift()
    gens.shift()
  }
  if (deadlines.length > 0) sim.queue.schedule(timerTick(deadlines.peek()), TIMER_TICK, timers.id)
  else timers.armed = false
}

/**
 * The caller's timer for try `c` fired: unless answered, the try failed with −202 (or, for a
 * connect to a host that cannot answer, −201: `timers.code`).
 */
function timeout(sim: Sim, c: Call, code: number, now: number): void {
  const parent = c.parent!
  // Answered in time: nothing to do.
  if (parent.waiting !== c) return
  if (c.portHost !== null) releasePort(c, now)
  if (isLost(parent)) {
    parent.waiting = null
    sim.pool.drop(parent)
    sim.pool.release(c)
    return
  }
  // The callee may still be working on it; its late reply will find nobody waiting.
  shieldsOf(c.node.service!, parent)?.onFailure(now, c.instance!.index, shieldCaller(parent))
  // a retry may hide it from the outcome; the report's series still show that it happened
  if (code === Code.timeout) c.kind.stepTimeouts++
  childFailed(sim, parent, c.node, code, false, now)
  sim.pool.release(c)
}

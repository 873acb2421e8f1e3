import { coresBusy, edgeDown } from "../measure/Window.ts"
import { type Call, isLost } from "../model/Call.ts"
import { Code } from "../model/Code.ts"
import type { Host } from "../model/Host.ts"
import { CPU_DONE, CPU_SHARED_DONE, IO_DONE } from "./events.ts"
import { complete } from "./reply.ts"
import { nextChild } from "./send.ts"
import { scheduleCall, type Sim } from "./Sim.ts"
import { storageIo } from "./storage.ts"

/**
 * A call holding a worker waits FIFO for a core of its host, or shares them (`scheduling: ps`).
 * `wakeup`: the CPU it adds if it finds the cores idle (its service's, for a call that found a
 * free worker; 0 for one a busy worker takes from the InQueue).
 */
export function acquireCore(sim: Sim, c: Call, host: Host, wakeup: number): void {
  const now = sim.queue.time
  const shared = host.sharedCpu
  if (shared !== null) {
    shared.advance(now)
    // a core was idle: the process sleeping on it must be woken
    const idle = shared.n < host.cores
    if (idle) coresBusy(host, now, 1)
    shared.add(c, idle ? cpuTime(c, host, now) + wakeup : cpuTime(c, host, now))
    rescheduleShared(sim, host, now)
    return
  }
  if (host.busyCores.value < host.cores) {
    coresBusy(host, now, 1)
    startCpu(sim, c, wakeup)
  } else {
    host.coreQueue.push(c)
  }
}

/** The call's CPU time, slower on a host warming up after a restart. */
function cpuTime(c: Call, host: Host, now: number): number {
  const cpu = c.node.cpu ?? c.instance!.service.cpu
  return now < host.coldUntil ? cpu() * host.cpuFactor(now) : cpu()
}

/** Starts the call's CPU on a core; `wakeup` when the core was idle (0 when it passes from a call). */
function startCpu(sim: Sim, c: Call, wakeup: number): void {
  const now = sim.queue.time
  scheduleCall(sim, now + cpuTime(c, c.instance!.host, now) + wakeup, CPU_DONE, c)
}

/** Schedules the shared cores' next completion, unless one is already due then. */
function rescheduleShared(sim: Sim, host: Host, now: number): void {
  const shared = host.sharedCpu!
  const at = shared.nextDone(now)
  if (at === shared.dueAt || Number.isNaN(at)) {
    if (Number.isNaN(at)) shared.dueAt = at
    return
  }
  shared.dueAt = at
  sim.queue.schedule(at, CPU_SHARED_DONE, host.id)
}

/**
 * A completion on shared cores: every call whose work is done leaves (a stale event, for a time
 * no longer due, does nothing), then the next completion is scheduled.
 */
export function sharedCpuDone(sim: Sim, host: Host, now: number): void {
  const shared = host.sharedCpu!
  if (now !== shared.dueAt) return
  shared.dueAt = Number.NaN
  shared.advance(now)
  let c = shared.popDone()
  while (c !== undefined) {
    if (shared.n < host.cores) coresBusy(host, now, -1)
    // Calls whose host went down were dropped with the shared cores' contents (`clear`).
    afterCpu(sim, c)
    shared.advance(now)
    c = shared.popDone()
  }
  rescheduleShared(sim, host, now)
}

/**
 * CPU done: the core passes to the next call waiting for one; then the call's external wait, push
 * to the user and disk work (IO_DONE when they take time), or straight on.
 */
export function cpuDone(sim: Sim, c: Call): void {
  const now = sim.queue.time
  const inst = c.instance!
  const host = inst.host
  if (c.hostEpoch !== host.epoch) {
    // The host went down under it: cores and all were reset then.
    sim.pool.drop(c)
    return
  }
  // The core passes straight to the next call waiting for one on this host (skipping calls
  // whose instance lost its work meanwhile).
  let waiting = host.coreQueue.shift()
  while (waiting !== undefined && isLost(waiting)) {
    sim.pool.drop(waiting)
    waiting = host.coreQueue.shift()
  }
  if (waiting !== undefined) startCpu(sim, waiting, 0)
  else coresBusy(host, now, -1)
  afterCpu(sim, c)
}

/** After the CPU: the call's external wait, push to the user and disk work, or straight on. */
function afterCpu(sim: Sim, c: Call): void {
  const now = sim.queue.time
  const inst = c.instance!
  const host = inst.host
  if (isLost(c)) {
    sim.pool.drop(c)
    return
  }

  const node = c.node
  let done = now
  if (node.externalLatency !== null) {
    const down = inst.service.externalDownFor
    if (down > 0) {
      // The vendor is unreachable: ss5 gives up after its proxy timeout (-203).
      done += down
      c.pendingCode = Code.write
    } else {
      done += node.externalLatency()
    }
  }
  if (node.toClientBytes > 0) {
    edgeDown(sim.window, c.kind, node.toClientBytes, now)
    if (host.nicOut !== null) done = Math.max(done, host.nicOut.transmit(now, node.toClientBytes))
    // Long connections blocked: the message waits on the server for the client's next poll,
    // so the request ends then (the worker does not wait for it).
    const users = sim.model.users
    if (users.pollInterval > 0) {
      // Up the chain of callers still waiting: a call whose caller gave up on it (timed out)
      // keeps a stale parent pointer, which may by now name a recycled call, even one of its
      // own children (a cycle: this walk spun forever). Its result reaches nobody.
      let origin = c
      while (origin.parent !== null && origin.parent.waiting === origin) origin = origin.parent
      if (origin.parent === null) origin.deliverAt = Math.max(origin.deliverAt, users.nextPoll(c.uin, now))
    }
  }
  if (node.diskWrite > 0 || node.diskRead > 0 || node.quorum > 0 || node.readQuorum > 1) {
    const t = storageIo(c, node, now)
    if (t < 0) {
      complete(sim, c, Code.quorumLost, false)
      return
    }
    if (t > done) done = t
  }
  if (done > now) {
    scheduleCall(sim, done, IO_DONE, c)
    return
  }
  proceed(sim, c)
}

/** The call's disk, external or push wait is over. */
export function ioDone(sim: Sim, c: Call): void {
  if (isLost(c)) sim.pool.drop(c)
  else proceed(sim, c)
}

/** After CPU and disk: the downstream calls, then the reply. */
function proceed(sim: Sim, c: Call): void {
  const now = sim.queue.time
  if (c.pendingCode !== 0) {
    complete(sim, c, c.pendingCode, false)
    return
  }
  c.childIndex = 0
  if (c.node.calls.length === 0) complete(sim, c, Code.ok, false)
  else nextChild(sim, c, now)
}

import { fastRejected, queued, rejected, waited, waitedNone, workersBusy } from "../measure/Window.ts"
import type { Call } from "../model/Call.ts"
import { Code } from "../model/Code.ts"
import { uinHash, uinUniform } from "../model/HashRing.ts"
import type { Host } from "../model/Host.ts"
import type { Instance, Service } from "../model/Service.ts"
import { sendReply } from "./reply.ts"
import { acquireCore } from "./serve.ts"
import type { Sim } from "./Sim.ts"

/** Salt of the uin priority used by fast reject's `priority: uin`: one value per request, at every hop. */
const PRIORITY_SALT = 0x0da60

/**
 * A call reaches its instance (the Svrkit server): a crashed worker's reject, fast reject, a free
 * worker, a place in the InQueue, or an overload reject when the InQueue is full.
 */
export function admit(sim: Sim, c: Call): void {
  const now = sim.queue.time
  const inst = c.instance!
  const host = inst.host
  if (host.down) {
    // Sent to a machine that died on the way: nobody answers; the caller's timer will fire.
    sim.pool.finish(c)
    return
  }
  c.epoch = inst.epoch
  c.hostEpoch = host.epoch
  const service = inst.service
  if (inst.crashed) {
    // Core-dumped workers: the framework answers at once with a fast reject.
    sendReply(sim, c, Code.workerCrash, false)
    return
  }
  const fr = inst.fastReject
  if (fr !== null && !fr.admit(now, admissionDraw(service, c.uin))) {
    fastRejected(sim.window)
    rejected(sim.window, inst, now)
    // The reject reply carries the pass rate; the calling machine caches it (client-side fast reject).
    const k = callerSlot(service, c.from) * service.instances.length + inst.index
    service.clientRejectUntil[k] = now + service.clientCacheS
    service.clientRejectPass[k] = fr.passRate
    sendReply(sim, c, Code.overloadReject, false)
    return
  }
  if (inst.busyWorkers.value < service.workers) {
    workersBusy(inst, now, 1)
    c.worker = true
    waitedNone(sim.window, inst, now)
    fr?.observeWait(now, 0)
    acquireCore(sim, c, host, service.wakeup)
    return
  }
  if (inst.inQueue.length >= service.queueCapacity) {
    rejected(sim.window, inst, now)
    sendReply(sim, c, Code.overload, false)
    return
  }
  c.enqueued = now
  inst.inQueue.push(c)
  queued(inst, now, 1)
}

/**
 * A worker frees up: it takes the next call from the InQueue (dropping those that waited past
 * the service's `dropAfter`), or goes idle.
 */
export function releaseWorker(sim: Sim, inst: Instance): void {
  const now = sim.queue.time
  let next = inst.inQueue.shift()
  // A server that drops what waited past its client's patience serves only fresh work.
  while (next !== undefined && now - next.enqueued > inst.service.dropAfter) {
    queued(inst, now, -1)
    sim.pool.drop(next)
    next = inst.inQueue.shift()
  }
  if (next === undefined) {
    workersBusy(inst, now, -1)
    return
  }
  queued(inst, now, -1)
  const wait = now - next.enqueued
  waited(sim.window, inst, wait, now)
  inst.fastReject?.observeWait(now, wait)
  next.worker = true
  // taken from the InQueue by a worker that just finished: the process never slept, no wake-up
  acquireCore(sim, next, inst.host, 0)
}

/**
 * The slot of the machine a call comes from in its callee's client reject cache: the calling host,
 * or one slot for users on the internet; 0 for every caller when the cache is per instance.
 */
export function callerSlot(service: Service, from: Host | null): number {
  if (service.callerSlots === 1) return 0
  return from === null ? service.callerSlots - 1 : from.id
}

/** Fast reject's draw: the request's uin priority (the same at every hop), or a fresh random one. */
export function admissionDraw(service: Service, uin: number): number {
  return service.uinPriority ? uinUniform(uinHash(uin), PRIORITY_SALT) : service.admission()
}

import { EventQueue } from "../kernel/EventQueue.ts"
import type { Scenario } from "../scenario/Scenario.ts"
import { Call, CallPool } from "../model/Call.ts"
import type { CallNode } from "../model/CallNode.ts"
import type { Host } from "../model/Host.ts"
import type { Kind } from "../model/Kind.ts"
import { Code as Codes, isOverload, isSystemFailure } from "../model/retry.ts"
import type { Instance, Service } from "../model/Service.ts"
import { Faults, type FaultEvent } from "./Faults.ts"
import { buildModel, type Model } from "./Model.ts"
import { route, shieldsOf } from "./Routing.ts"
import { SeriesRecorder } from "./SeriesRecorder.ts"
import { storageIo } from "./Storage.ts"
import { uinHash, uinUniform } from "../model/HashRing.ts"

/** Salt of the uin priority used by fast reject's `priority: uin`: one value per request, at every hop. */
const PRIORITY_SALT = 0x0da60
import type { TimerList } from "./Timers.ts"

const ARRIVAL = 0
const ARRIVE = 1
const CPU_DONE = 2
const DISK_DONE = 3
const REPLY = 4
const TIMEOUT = 5
const FAULT = 6
const WINDOW_START = 7
const STEP = 8
const END = 9
const DELIVER = 10

/**
 * Timeouts fire on a 1 ms tick, as Svrkit's timers do (libco's timer wheel has millisecond
 * slots): a try times out at the first tick at or after its deadline. One event then expires every
 * try of a call site due in that millisecond.
 */
const TIMER_TICK_S = 0.001
const timerTick = (deadline: number): number => Math.ceil(deadline / TIMER_TICK_S) * TIMER_TICK_S

/** Called on simulated-time progress, once per series step. */
export type ProgressListener = (simTimeS: number, totalS: number) => void

/** Counts of the Svrkit client's and server's protective actions since time 0. */
export interface Resilience {
  retries: number
  fastRejects: number
  clientRejects: number
}

/**
 * The discrete-event engine: a plain loop over the event queue, dispatching on small integer
 * event types; nothing here allocates per event once the call pool is warm.
 *
 * A call arrives at an instance of its service (chosen by the caller's route), waits FIFO in the
 * InQueue for a worker, then FIFO for a core of its host, holds both for its CPU time, releases
 * the core, does its disk work, then makes its downstream calls in order while holding the worker
 * (Svrkit coroutines: waiting costs no core), and replies. The caller's Svrkit client applies the
 * timeout, retries system failures on another machine, and feeds the shields.
 *
 * The methods a customer passes through on the plain path (admit … endRequest) read the clock
 * (`this.queue.time`) instead of taking `now`: a float passed to a call V8 does not inline is boxed
 * into a fresh heap number, and that was most of the loop's garbage (measured on M/M/24: 47
 * young-generation collections a run before, 12 after).
 *
 * @example
 * const engine = new Engine(scenario)
 * engine.run()
 * engine.model.kinds[0].latency.percentiles()
 */
export class Engine {
  readonly model: Model
  readonly queue = new EventQueue(4096)
  readonly windowStart: number
  readonly end: number
  readonly series: SeriesRecorder
  readonly resilience: Resilience = { retries: 0, fastRejects: 0, clientRejects: 0 }
  /** The counters when the window started, and the shields' activations then. */
  readonly resilienceAtWindow: Resilience = { retries: 0, fastRejects: 0, clientRejects: 0 }
  shieldActivationsAtWindow = 0
  readonly faults: Faults
  events = 0
  private readonly pool = new CallPool()
  /** What TIMEOUT and FAULT events name by number (ARRIVAL names a kind, the others a call). */
  private readonly timerLists: TimerList[] = []
  private timeline: FaultEvent[] = []
  private stepsScheduled = 0

  constructor(
    readonly scenario: Scenario,
    private readonly onProgress?: ProgressListener,
  ) {
    this.model = buildModel(scenario)
    this.windowStart = scenario.warmup
    this.end = scenario.warmup + scenario.duration
    this.series = new SeriesRecorder(this.model, this.end, scenario.seriesStep, this.resilience)
    this.faults = new Faults(this.model, scenario.faults, this.end)
  }

  /** Runs from time 0 to the end of the window; arrivals stop there and in-flight work is left. */
  run(): void {
    const q = this.queue
    q.schedule(this.windowStart, WINDOW_START, 0)
    this.scheduleNextStep()
    q.schedule(this.end, END, 0)
    // Sorted by time; at equal times a fault's end comes before another's start.
    this.timeline = [...this.faults.events].sort((a, b) => a.at - b.at || (a.phase === "end" ? -1 : 1) - (b.phase === "end" ? -1 : 1))
    this.timeline.forEach((f, i) => {
      if (f.at < this.end) q.schedule(f.at, FAULT, i)
    })
    for (const kind of this.model.kinds) {
      if (kind.interarrival !== null) q.schedule(kind.interarrival(), ARRIVAL, kind.index)
    }
    const kinds = this.model.kinds
    const pool = this.pool
    let events = 0
    while (q.pop()) {
      events++
      const now = q.time
      switch (q.type) {
        case ARRIVAL:
          this.arrival(kinds[q.id], now)
          break
        case ARRIVE: {
          const c = pool.at(q.id)
          c.events--
          this.admit(c)
          break
        }
        case CPU_DONE:
          this.cpuDone(pool.at(q.id))
          break
        case DISK_DONE: {
          const c = pool.at(q.id)
          c.events--
          if (this.lost(c)) this.drop(c)
          else this.proceed(c)
          break
        }
        case REPLY: {
          const c = pool.at(q.id)
          c.events--
          this.reply(c, now)
          break
        }
        case TIMEOUT:
          this.expire(this.timerLists[q.id], now)
          break
        case DELIVER: {
          const origin = pool.at(q.id)
          origin.events--
          this.endRequest(origin, Codes.ok)
          break
        }
        case FAULT:
          this.faults.apply(this.timeline[q.id], now, this)
          break
        case WINDOW_START:
          this.startWindow(now)
          break
        case STEP:
          this.observeCpu(now)
          this.series.takeStep(now)
          this.scheduleNextStep()
          this.onProgress?.(now, this.end)
          break
        case END:
          this.events = events
          this.series.finish(this.end)
          this.onProgress?.(this.end, this.end)
          return
      }
    }
    this.events = events
  }

  /** Step times are multiples of the step, not running sums, so they never drift. */
  private scheduleNextStep(): void {
    const at = ++this.stepsScheduled * this.series.step
    if (at < this.end) this.queue.schedule(at, STEP, 0)
  }

  private inWindow(now: number): boolean {
    return now >= this.windowStart
  }

  // ---- requests --------------------------------------------------------------------------

  /** A workload arrival: a new request from a user. */
  private arrival(kind: Kind, now: number): void {
    const next = now + kind.interarrival!()
    if (next < this.end) this.queue.schedule(next, ARRIVAL, kind.index)
    const profile = kind.profile
    // Thinning: a candidate at the profile's peak rate is kept with probability rate(now) / peak.
    if (profile !== null && kind.thinning!() * profile.maxRate >= profile.rateAt(now)) return
    const uin = kind.senders > 0 ? Math.floor(kind.uinStream() * kind.senders) : 0
    if (kind.direct === null) this.startRequest(kind, uin, now, null, now)
    else this.startDirect(kind, kind.direct, uin)
  }

  /**
   * The fast path for a kind whose request is one plain call (a queueing model): no origin, no
   * client logic; the call itself ends the request. Same outcome as the general path, one call
   * object and a few branches fewer per customer.
   */
  private startDirect(kind: Kind, node: CallNode, uin: number): void {
    const now = this.queue.time
    const c = this.pool.take()
    c.kind = kind
    c.node = node
    c.uin = uin
    c.arrival = now
    c.counted = now >= this.windowStart
    if (c.counted) kind.issued++
    c.instance = route(node.route, node.service!, c, this.model.users, now)
    if (c.instance === null) this.endRequest(c, Codes.connect)
    else this.admit(c)
  }

  /** Starts a request: its origin call, whose one child is the kind's root call. */
  startRequest(kind: Kind, uin: number, arrival: number, from: Host | null, now: number): void {
    const origin = this.pool.take()
    origin.kind = kind
    origin.node = kind.origin
    origin.uin = uin
    origin.arrival = arrival
    origin.counted = arrival >= this.windowStart
    origin.online = this.model.users.isOnline(uin)
    origin.from = from
    if (origin.counted) kind.issued++
    this.nextChild(origin, now)
  }

  /** The origin's root call is settled: the request ends with `code`. */
  private endRequest(origin: Call, code: number): void {
    const now = this.queue.time
    if (code === Codes.ok && origin.deliverAt > now) {
      origin.events++
      this.queue.schedule(origin.deliverAt, DELIVER, origin.id)
      return
    }
    const kind = origin.kind
    if (code === Codes.ok) kind.replied(now - origin.arrival, origin.counted)
    else kind.failedWith(code, origin.counted)
    origin.finished = true
    this.pool.release(origin)
  }

  // ---- the caller's side: the Svrkit client --------------------------------------------

  /** Makes the next child call of `c` that applies, or completes `c` when none is left. */
  private nextChild(c: Call, now: number): void {
    const calls = c.node.calls
    while (c.childIndex < calls.length) {
      const child = calls[c.childIndex]
      if (child.when === "always" || (child.when === "online") === c.online) {
        c.tries = 0
        this.tryCall(c, child, now)
        return
      }
      c.childIndex++
    }
    if (c.instance === null) this.endRequest(c, Codes.ok)
    else this.complete(c, Codes.ok, false)
  }

  /** One try of a child call: pick a machine, connect, send. */
  private tryCall(parent: Call, node: CallNode, now: number, lastCode: number = Codes.connect): void {
    const service = node.service!
    const throttle = node.throttle
    if (throttle !== null) {
      // Adaptive throttling: the client rejects locally when its backend has been rejecting.
      const p = throttle.rejectProbability(now)
      throttle.onRequest(now)
      if (p > 0 && service.admission() < p) {
        this.resilience.clientRejects++
        this.giveUp(parent, Codes.clientReject, true, now)
        return
      }
    }
    const budget = node.retryBudget
    if (budget !== null) {
      if (parent.tries === 0) budget.onFirstTry()
      else if (!budget.tryRetry()) {
        // Out of retry budget: fail with what the last try met.
        this.giveUp(parent, lastCode, true, now)
        return
      }
    }
    let inst = route(node.route, service, parent, this.model.users, now)
    if (inst === null && node.retrySame && parent.tries > 0) {
      // A plain client may try the same machine again when it has no other.
      const tries = parent.tries
      parent.tries = 0
      inst = route(node.route, service, parent, this.model.users, now)
      parent.tries = tries
    }
    if (inst === null) {
      // No machine left to try: the call ends with the last failure it met.
      this.giveUp(parent, lastCode, parent.tries > 0, now)
      return
    }
    if (parent.tries > 0) this.resilience.retries++
    parent.tried[parent.tries++] = inst.index
    const host = inst.host
    if (host.down) {
      shieldsOf(service, parent)?.onFailure(now, inst.index)
      this.childFailed(parent, node, Codes.connect, false, now)
      return
    }
    // Client-side fast reject: a cached reject reply answers locally, without a round trip.
    // With uin priority the cached reject refuses the same requests the server would: consistent.
    if (inst.clientRejectUntil > now && this.admissionDraw(service, parent.uin) >= inst.clientRejectPass) {
      this.resilience.clientRejects++
      this.childFailed(parent, node, Codes.clientReject, false, now)
      return
    }
    const kind = parent.kind
    let portHost: Host | null = null
    if (parent.parent === null && kind.connection !== "none" && host.ports !== null) {
      if (!host.ports.tryAcquire(now)) {
        this.childFailed(parent, node, Codes.connect, false, now)
        return
      }
      portHost = host
    }
    const c = this.pool.take()
    c.kind = kind
    c.node = node
    c.parent = parent
    c.instance = inst
    c.from = parent.instance?.host ?? parent.from
    c.uin = parent.uin
    c.arrival = parent.arrival
    c.counted = parent.counted
    c.online = parent.online
    c.portHost = portHost
    c.portEpoch = host.epoch
    parent.waiting = c
    const timers = node.timers
    if (timers !== null) {
      timers.calls.push(c)
      timers.deadlines.push(now + timers.timeout)
      timers.gens.push(c.gen)
      if (!timers.armed) {
        timers.armed = true
        if (timers.id < 0) timers.id = this.timerLists.push(timers) - 1
        this.queue.schedule(timerTick(now + timers.timeout), TIMEOUT, timers.id)
      }
    }
    if (c.from === null && this.inWindow(now)) kind.edgeUpBytes += node.requestBytes
    const at = this.transfer(c.from, host, node.requestBytes, now)
    if (at === now) this.admit(c)
    else if (at < 0) {
      // Lost on the way (partition, packet loss): nobody answers; the caller's timer will fire.
      c.finished = true
      this.pool.release(c)
    } else {
      c.events++
      this.queue.schedule(at, ARRIVE, c.id)
    }
  }

  /**
   * Bytes from one host to another through both NICs; returns when the last byte is in, or −1 when
   * the message is lost (a partition between the hosts, or a degraded NIC's loss).
   */
  private transfer(from: Host | null, to: Host | null, bytes: number, now: number): number {
    if (from === to) return now
    let t = now
    if (from !== null) {
      if (from.partitioned.size > 0 && to !== null && from.partitioned.has(to)) return -1
      if (from.loss > 0 && this.model.faultStream() < from.loss) return -1
      t += from.extraLatency
      if (from.nicOut !== null && bytes > 0) t = from.nicOut.transmit(t, bytes)
    }
    if (to !== null) {
      if (to.loss > 0 && this.model.faultStream() < to.loss) return -1
      t += to.extraLatency
      if (to.nicIn !== null && bytes > 0) t = to.nicIn.transmit(t, bytes)
    }
    return t
  }

  /** A try failed before or after reaching the callee: retry elsewhere, or give up. */
  private childFailed(parent: Call, node: CallNode, code: number, propagated: boolean, now: number): void {
    parent.waiting = null
    if (!propagated && isSystemFailure(code) && parent.tries < node.tries) {
      this.tryCall(parent, node, now, code)
      return
    }
    this.giveUp(parent, code, true, now)
  }

  /** The caller's current child failed for good: the caller fails with its code. */
  private giveUp(parent: Call, code: number, propagated: boolean, now: number): void {
    parent.waiting = null
    if (parent.instance === null) this.endRequest(parent, code)
    else this.complete(parent, code, propagated)
  }

  /** The reply of child try `c` reaches its caller. */
  private reply(c: Call, now: number): void {
    const parent = c.parent!
    c.finished = true
    if (c.portHost !== null) this.releasePort(c, now)
    if (parent.waiting !== c) {
      // A reply to a caller that gave up (timeout).
      this.pool.release(c)
      return
    }
    parent.waiting = null
    if (this.lost(parent)) {
      // The caller died with its host.
      this.drop(parent)
      this.pool.release(c)
      return
    }
    const node = c.node
    const service = node.service!
    const code = c.code
    const propagated = c.propagated
    const index = c.instance!.index
    this.pool.release(c)
    if (node.throttle !== null && !isOverload(code)) node.throttle.onAccept(now)
    if (code === Codes.ok) {
      shieldsOf(service, parent)?.onSuccess(now, index)
      parent.childIndex++
      this.nextChild(parent, now)
      return
    }
    if (!propagated && isSystemFailure(code)) shieldsOf(service, parent)?.onFailure(now, index)
    this.childFailed(parent, node, code, propagated, now)
  }

  /** Deadlines of one call site passed: time out the tries still unanswered, re-arm for the next. */
  private expire(timers: TimerList, now: number): void {
    const { calls, deadlines, gens } = timers
    // The tick can round a hair below a deadline in floating point: expire up to now + 1 ns.
    while (deadlines.length > 0 && deadlines.peek() <= now + 1e-9) {
      deadlines.shift()
      const c = calls.shift()!
      if (gens.shift() === c.gen) this.timeout(c, now)
    }
    if (deadlines.length > 0) this.queue.schedule(timerTick(deadlines.peek()), TIMEOUT, timers.id)
    else timers.armed = false
  }

  /** The caller's timer for try `c` fired. */
  private timeout(c: Call, now: number): void {
    const parent = c.parent!
    // Answered in time: nothing to do.
    if (parent.waiting !== c) return
    if (c.portHost !== null) this.releasePort(c, now)
    if (this.lost(parent)) {
      parent.waiting = null
      this.drop(parent)
      this.pool.release(c)
      return
    }
    // The callee may still be working on it; its late reply will find nobody waiting.
    shieldsOf(c.node.service!, parent)?.onFailure(now, c.instance!.index)
    this.childFailed(parent, c.node, Codes.timeout, false, now)
    this.pool.release(c)
  }

  private releasePort(c: Call, now: number): void {
    const host = c.portHost!
    c.portHost = null
    // A host that went down since dropped every connection, this one's port included.
    if (host.epoch !== c.portEpoch) return
    if (c.kind.connection === "short") host.ports!.release(now)
    else host.ports!.releaseImmediately(now)
  }

  // ---- the callee's side: the Svrkit server ---------------------------------------------

  /** A call reaches its instance: fast reject, a free worker, a place in the InQueue, or a reject. */
  admit(c: Call): void {
    const now = this.queue.time
    const inst = c.instance!
    const host = inst.host
    if (host.down) {
      // Sent to a machine that died on the way: nobody answers; the caller's timer will fire.
      c.finished = true
      this.pool.release(c)
      return
    }
    c.epoch = inst.epoch
    c.hostEpoch = host.epoch
    const service = inst.service
    if (inst.crashed) {
      // Core-dumped workers: the framework answers at once with a fast reject.
      this.sendReply(c, Codes.workerCrash, false)
      return
    }
    const fr = inst.fastReject
    if (fr !== null && !fr.admit(now, this.admissionDraw(service, c.uin))) {
      this.resilience.fastRejects++
      if (this.inWindow(now)) inst.rejected++
      inst.clientRejectUntil = now + inst.service.clientCacheS
      inst.clientRejectPass = fr.passRate
      this.sendReply(c, Codes.overloadReject, false)
      return
    }
    if (inst.busyWorkers.value < service.workers) {
      inst.busyWorkers.add(now, 1)
      c.worker = true
      if (this.inWindow(now)) inst.queueWait.recordZero()
      fr?.observeWait(now, 0)
      this.acquireCore(c, host)
      return
    }
    if (inst.inQueue.length >= service.queueCapacity) {
      if (this.inWindow(now)) inst.rejected++
      this.sendReply(c, Codes.overload, false)
      return
    }
    c.enqueued = now
    inst.inQueue.push(c)
    inst.queueLength.add(now, 1)
    service.queueLength.add(now, 1)
  }

  private acquireCore(c: Call, host: Host): void {
    const now = this.queue.time
    if (host.busyCores.value < host.cores) {
      host.busyCores.add(now, 1)
      this.startCpu(c)
    } else {
      host.coreQueue.push(c)
    }
  }

  private startCpu(c: Call): void {
    const now = this.queue.time
    const node = c.node
    const inst = c.instance!
    const cpu = node.cpu ?? inst.service.cpu
    const host = inst.host
    const t = now < host.coldUntil ? cpu() * host.cpuFactor(now) : cpu()
    c.events++
    this.queue.schedule(now + t, CPU_DONE, c.id)
  }

  private cpuDone(c: Call): void {
    const now = this.queue.time
    c.events--
    const inst = c.instance!
    const host = inst.host
    if (c.hostEpoch !== host.epoch) {
      // The host went down under it: cores and all were reset then.
      this.drop(c)
      return
    }
    // The core passes straight to the next call waiting for one on this host (skipping calls
    // whose instance lost its work meanwhile).
    let waiting = host.coreQueue.shift()
    while (waiting !== undefined && this.lost(waiting)) {
      this.drop(waiting)
      waiting = host.coreQueue.shift()
    }
    if (waiting !== undefined) this.startCpu(waiting)
    else host.busyCores.add(now, -1)
    if (this.lost(c)) {
      this.drop(c)
      return
    }

    const node = c.node
    let done = now
    if (node.externalLatency !== null) {
      const down = inst.service.externalDownFor
      if (down > 0) {
        // The vendor is unreachable: ss5 gives up after its proxy timeout (-203).
        done += down
        c.pendingCode = Codes.write
      } else {
        done += node.externalLatency()
      }
    }
    if (node.toClientBytes > 0) {
      if (this.inWindow(now)) c.kind.edgeDownBytes += node.toClientBytes
      if (host.nicOut !== null) done = Math.max(done, host.nicOut.transmit(now, node.toClientBytes))
      // Long connections blocked: the message waits on the server for the client's next poll,
      // so the request ends then (the worker does not wait for it).
      if (this.pollInterval > 0) {
        let origin = c
        while (origin.parent !== null) origin = origin.parent
        origin.deliverAt = Math.max(origin.deliverAt, this.nextPoll(c.uin, now))
      }
    }
    if (node.diskWrite > 0 || node.diskRead > 0 || node.quorum > 0) {
      const t = storageIo(c, node, now)
      if (t < 0) {
        this.complete(c, Codes.quorumLost, false)
        return
      }
      if (t > done) done = t
    }
    if (done > now) {
      c.events++
      this.queue.schedule(done, DISK_DONE, c.id)
      return
    }
    this.proceed(c)
  }

  /** After CPU and disk: the downstream calls, then the reply. */
  private proceed(c: Call): void {
    const now = this.queue.time
    if (c.pendingCode !== 0) {
      this.complete(c, c.pendingCode, false)
      return
    }
    c.childIndex = 0
    if (c.node.calls.length === 0) this.complete(c, Codes.ok, false)
    else this.nextChild(c, now)
  }

  /** The call is done (ok or failed): free the worker, start spawns, send the reply. */
  private complete(c: Call, code: number, propagated: boolean): void {
    const now = this.queue.time
    const inst = c.instance!
    if (c.worker) {
      c.worker = false
      this.releaseWorker(inst)
    }
    if (this.inWindow(now)) inst.served++
    if (code === Codes.ok) {
      const spawns = c.node.spawn
      for (let i = 0; i < spawns.length; i++) this.model.spawner.spawn(this, spawns[i], c, now)
    }
    this.sendReply(c, code, propagated)
  }

  private releaseWorker(inst: Instance): void {
    const now = this.queue.time
    let next = inst.inQueue.shift()
    // A server that drops what waited past its client's patience serves only fresh work.
    while (next !== undefined && now - next.enqueued > inst.service.dropAfter) {
      inst.queueLength.add(now, -1)
      inst.service.queueLength.add(now, -1)
      inst.dropped++
      this.drop(next)
      next = inst.inQueue.shift()
    }
    if (next === undefined) {
      inst.busyWorkers.add(now, -1)
      return
    }
    inst.queueLength.add(now, -1)
    inst.service.queueLength.add(now, -1)
    const wait = now - next.enqueued
    if (this.inWindow(now)) inst.queueWait.record(wait)
    inst.fastReject?.observeWait(now, wait)
    next.worker = true
    this.acquireCore(next, inst.host)
  }

  private sendReply(c: Call, code: number, propagated: boolean): void {
    const now = this.queue.time
    if (c.parent === null) {
      // A direct call (see startDirect): its reply is the request's end.
      this.endRequest(c, code)
      return
    }
    c.code = code
    c.propagated = propagated
    if (c.from === null && this.inWindow(now)) c.kind.edgeDownBytes += c.node.replyBytes
    const at = this.transfer(c.instance!.host, c.from, c.node.replyBytes, now)
    if (at === now) this.reply(c, now)
    else if (at < 0) {
      // The reply is lost: the caller's timer will fire.
      c.finished = true
      if (c.portHost !== null) this.releasePort(c, now)
      this.pool.release(c)
    } else {
      c.events++
      this.queue.schedule(at, REPLY, c.id)
    }
  }

  // ---- host failures ---------------------------------------------------------------------

  /** The call ran on a host that has gone down since it arrived. */
  private lost(c: Call): boolean {
    return c.instance !== null && c.epoch !== c.instance.epoch
  }

  /** Forgets a call lost with its host. */
  private drop(c: Call): void {
    c.finished = true
    c.worker = false
    this.pool.release(c)
  }

  /**
   * Takes a host down: everything queued or running on it is lost (callers find out by timeout),
   * its workers and cores are free again for when it returns.
   */
  hostDown(host: Host, now: number): void {
    if (host.down) return
    host.down = true
    host.downAt = now
    host.epoch++
    for (const service of this.model.services) for (const inst of service.instances) if (inst.host === host) inst.epoch++
    host.coreQueue.drain((c) => this.drop(c))
    host.busyCores.set(now, 0)
    host.ports?.reset(now)
    for (const service of this.model.services) {
      for (const inst of service.instances) {
        if (inst.host !== host) continue
        inst.inQueue.drain((c) => this.drop(c))
        service.queueLength.add(now, -inst.queueLength.value)
        inst.queueLength.set(now, 0)
        inst.busyWorkers.set(now, 0)
      }
    }
    this.model.users.hostDown(host, now)
  }

  /** A host returns, cold: its CPU is `coldFactor` times slower at first, normal after `coldFor`. */
  hostUp(host: Host, now: number, coldFactor = 1, coldFor = 0): void {
    if (!host.down) return
    host.down = false
    if (coldFactor > 1 && coldFor > 0) {
      host.coldFactor = coldFactor
      host.coldFrom = now
      host.coldUntil = now + coldFor
    }
    this.model.users.hostUp(host, now)
  }

  /** A module's workers core-dump: its work in flight is lost and, until `recover`, calls get -218. */
  crash(inst: Instance, now: number): void {
    inst.epoch++
    inst.crashed = true
    inst.inQueue.drain((c) => this.drop(c))
    inst.service.queueLength.add(now, -inst.queueLength.value)
    inst.queueLength.set(now, 0)
    inst.busyWorkers.set(now, 0)
  }

  recover(inst: Instance): void {
    inst.crashed = false
  }

  /** Fast reject's draw: the request's uin priority (the same at every hop), or a fresh random one. */
  private admissionDraw(service: Service, uin: number): number {
    return service.uinPriority ? uinUniform(uinHash(uin), PRIORITY_SALT) : service.admission()
  }

  /** long-conn-blocked: how often clients poll instead of holding a long connection; 0 = not blocked. */
  pollInterval = 0

  /** The user's next poll at or after `now`; each user polls at its own phase. */
  private nextPoll(uin: number, now: number): number {
    const p = this.pollInterval
    const phase = ((uinHash(uin) % 10_000) / 10_000) * p
    return phase + Math.ceil((now - phase) / p) * p
  }

  /** Services whose instance on `host` exist, for faults that target services. */
  servicesOn(host: Host): Service[] {
    return this.model.services.filter((s) => s.instances.some((i) => i.host === host))
  }

  /** Feeds each fast-reject controller its host's CPU use over the last step. */
  private observeCpu(now: number): void {
    for (const host of this.model.hosts) {
      const util = host.busyCores.areaAt(now) - host.cpuAreaAtStep
      host.cpuAreaAtStep += util
      host.cpuUtilAtStep = util / (host.cores * this.series.step)
    }
    for (const service of this.model.services) {
      for (const inst of service.instances) inst.fastReject?.observeCpu(now, inst.host.cpuUtilAtStep)
    }
  }

  /** Shield activations by every caller of every service since time 0. */
  shieldActivations(): number {
    let n = 0
    // A failed probe shields the endpoint again: that is an activation too.
    for (const s of this.model.services) n += (s.shields?.activations ?? 0) + (s.shields?.reshields ?? 0)
    return n
  }

  private startWindow(now: number): void {
    Object.assign(this.resilienceAtWindow, this.resilience)
    this.shieldActivationsAtWindow = this.shieldActivations()
    for (const host of this.model.hosts) {
      host.busyCores.startWindow(now)
      host.nicIn?.startWindow(now)
      host.nicOut?.startWindow(now)
      host.ports?.startWindow(now)
      host.disk?.startWindow(now)
    }
    for (const service of this.model.services) {
      service.queueLength.startWindow(now)
      for (const inst of service.instances) {
        inst.busyWorkers.startWindow(now)
        inst.queueLength.startWindow(now)
      }
    }
  }
}

import { EventQueue } from "../kernel/EventQueue.ts"
import type { Scenario } from "../scenario/Scenario.ts"
import type { Host } from "../model/Host.ts"
import { Code, type Kind } from "../model/Kind.ts"
import { RequestPool, type Request } from "../model/Request.ts"
import type { Instance } from "../model/Service.ts"
import { buildModel, type Model } from "./Model.ts"
import { SeriesRecorder } from "./SeriesRecorder.ts"

const ARRIVAL = 0
const CPU_DONE = 1
const WINDOW_START = 2
const STEP = 3
const END = 4

type EventRef = Kind | Request | null

/** Called on simulated-time progress, once per series step. */
export type ProgressListener = (simTimeS: number, totalS: number) => void

/**
 * The discrete-event engine: a plain loop over the event queue, dispatching on small integer
 * event types. Nothing here allocates per event once the request pool is warm.
 *
 * A request arrives at an instance of its entry service (round-robin), waits FIFO in the InQueue
 * for a worker, then FIFO for a core of its host, holds both for its CPU time, and replies.
 *
 * @example
 * const engine = new Engine(scenario)
 * engine.run()
 * engine.model.kinds[0].latency.percentiles()
 */
export class Engine {
  readonly model: Model
  readonly queue = new EventQueue<EventRef>(4096)
  readonly windowStart: number
  readonly end: number
  readonly series: SeriesRecorder
  events = 0
  private readonly pool = new RequestPool()

  constructor(
    readonly scenario: Scenario,
    private readonly onProgress?: ProgressListener,
  ) {
    this.model = buildModel(scenario)
    this.windowStart = scenario.warmup
    this.end = scenario.warmup + scenario.duration
    this.series = new SeriesRecorder(this.model, this.end, scenario.seriesStep)
  }

  /** Runs from time 0 to the end of the window; arrivals stop there and in-flight work is left. */
  run(): void {
    const q = this.queue
    q.schedule(this.windowStart, WINDOW_START, null)
    // One step event pending at a time keeps the heap as small as the model itself.
    this.scheduleNextStep()
    q.schedule(this.end, END, null)
    for (const kind of this.model.kinds) q.schedule(kind.interarrival(), ARRIVAL, kind)

    let events = 0
    while (q.pop()) {
      events++
      switch (q.type) {
        case ARRIVAL:
          this.arrive(q.ref as Kind, q.time)
          break
        case CPU_DONE:
          this.cpuDone(q.ref as Request, q.time)
          break
        case WINDOW_START:
          this.startWindow(q.time)
          break
        case STEP:
          this.series.takeStep(q.time)
          this.scheduleNextStep()
          this.onProgress?.(q.time, this.end)
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

  private stepsScheduled = 0

  /** Step times are multiples of the step, not running sums, so they never drift. */
  private scheduleNextStep(): void {
    const at = ++this.stepsScheduled * this.series.step
    if (at < this.end) this.queue.schedule(at, STEP, null)
  }

  private arrive(kind: Kind, now: number): void {
    const next = now + kind.interarrival()
    if (next < this.end) this.queue.schedule(next, ARRIVAL, kind)
    const r = this.pool.take()
    r.kind = kind
    r.arrival = now
    r.counted = now >= this.windowStart
    if (r.counted) kind.issued++
    this.admit(r, kind.entry.pick(), now)
  }

  /** A request reaches an instance: a free worker, a place in the InQueue, or a reject. */
  private admit(r: Request, inst: Instance, now: number): void {
    r.instance = inst
    if (inst.busyWorkers.value < inst.service.workers) {
      inst.busyWorkers.add(now, 1)
      if (now >= this.windowStart) inst.queueWait.record(0)
      this.acquireCore(r, inst.host, now)
      return
    }
    if (inst.inQueue.length >= inst.service.queueCapacity) {
      if (now >= this.windowStart) inst.rejected++
      this.finish(r, Code.overload, now)
      return
    }
    r.enqueued = now
    inst.inQueue.push(r)
    inst.queueLength.add(now, 1)
    inst.service.queueLength.add(now, 1)
  }

  private acquireCore(r: Request, host: Host, now: number): void {
    if (host.busyCores.value < host.cores) {
      host.busyCores.add(now, 1)
      this.queue.schedule(now + r.instance.service.cpu(), CPU_DONE, r)
    } else {
      host.coreQueue.push(r)
    }
  }

  private cpuDone(r: Request, now: number): void {
    const inst = r.instance
    const host = inst.host
    // The core passes straight to the next request waiting for one on this host.
    const waiting = host.coreQueue.shift()
    if (waiting !== undefined) this.queue.schedule(now + waiting.instance.service.cpu(), CPU_DONE, waiting)
    else host.busyCores.add(now, -1)

    if (now >= this.windowStart) inst.served++
    const next = inst.inQueue.shift()
    if (next !== undefined) {
      inst.queueLength.add(now, -1)
      inst.service.queueLength.add(now, -1)
      if (now >= this.windowStart) inst.queueWait.record(now - next.enqueued)
      this.acquireCore(next, host, now)
    } else {
      inst.busyWorkers.add(now, -1)
    }
    this.finish(r, Code.ok, now)
  }

  /** The reply reaches the client: final code and latency, then the request returns to the pool. */
  private finish(r: Request, code: number, now: number): void {
    const kind = r.kind
    if (code === Code.ok) kind.replied(now - r.arrival, r.counted)
    else if (r.counted) kind.failedWith(code)
    this.pool.give(r)
  }

  private startWindow(now: number): void {
    for (const host of this.model.hosts) host.busyCores.startWindow(now)
    for (const service of this.model.services) {
      service.queueLength.startWindow(now)
      for (const inst of service.instances) {
        inst.busyWorkers.startWindow(now)
        inst.queueLength.startWindow(now)
      }
    }
  }
}

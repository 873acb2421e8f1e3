import { applyFault } from "../faults/actions.ts"
import { type FaultEvent, Faults } from "../faults/timeline.ts"
import { EventQueue } from "../kernel/EventQueue.ts"
import { observeCpu } from "../measure/cpu.ts"
import { SeriesRecorder } from "../measure/SeriesRecorder.ts"
import { startWindow, Window } from "../measure/Window.ts"
import { Code } from "../model/Code.ts"
import type { Model } from "../model/Model.ts"
import { arrival, endRequest } from "../request/arrive.ts"
import { replayArrival } from "../request/replay.ts"
import { TraceArrivals } from "../calibrate/trace.ts"
import { CALL_IN, CHURN, CPU_DONE, CPU_SHARED_DONE, FIRST_ENGINE_EVENT, IO_DONE, NEW_REQUEST, POLL_DELIVERY, RECONNECT, REDELIVER, REPLY_IN, TIMER_TICK } from "../request/events.ts"
import { redeliver } from "../request/redeliver.ts"
import { churn, reconnect, scheduleChurn, scheduleDropped } from "../request/connect.ts"
import { admit } from "../request/queue.ts"
import { reply } from "../request/reply.ts"
import { cpuDone, ioDone, sharedCpuDone } from "../request/serve.ts"
import { Sim } from "../request/Sim.ts"
import { expire } from "../request/timeout.ts"
import type { Scenario } from "../scenario/Scenario.ts"
import { buildModel } from "./build.ts"
import { memoryProblem, RunOutOfMemory } from "./MemoryGuard.ts"
import { StallGuard } from "./StallGuard.ts"

/** A fault starts or ends; the id is its place on the ordered timeline. */
const FAULT = FIRST_ENGINE_EVENT
/** The warm-up is over: the measured window opens. */
const WINDOW_START = FIRST_ENGINE_EVENT + 1
/** A series step closes. */
const STEP = FIRST_ENGINE_EVENT + 2
/** The run's end. */
const END = FIRST_ENGINE_EVENT + 3
/** The next arrival of a replayed access log (`sim/request/replay.ts`). */
const TRACE = FIRST_ENGINE_EVENT + 4

/**
 * Events per slice of `Engine.runSlice` (2^20: about a third of a second of wall time), the
 * granularity of the no-progress check and of the CLI's chance to handle Ctrl-C.
 */
export const SLICE_EVENTS = 1 << 20
const EVENT_NAMES: Readonly<Record<number, string>> = {
  [NEW_REQUEST]: "new-request", [CALL_IN]: "call-in", [CPU_DONE]: "cpu-done", [IO_DONE]: "io-done",
  [REPLY_IN]: "reply-in", [TIMER_TICK]: "timer-tick", [POLL_DELIVERY]: "poll-delivery",
  [CPU_SHARED_DONE]: "cpu-shared-done", [REDELIVER]: "redeliver", [RECONNECT]: "reconnect", [CHURN]: "churn", [FAULT]: "fault", [WINDOW_START]: "window-start", [STEP]: "series-step",
  [END]: "end", [TRACE]: "trace-arrival",
}

/** Called on simulated-time progress, once per series step. */
export type ProgressListener = (simTimeS: number, totalS: number) => void

/**
 * The discrete-event engine: a plain loop over the event queue, dispatching on small integer
 * event types to the stages of a request's life (`sim/request/`), the faults (`sim/faults/`) and
 * the measurement (`sim/measure/`); nothing here allocates per event once the call pool is warm.
 *
 * A request arrives (`arrive.ts`); each call of its tree is sent by its caller's Svrkit client
 * (`send.ts`: route, throttle, ports, timer) over the network (`network.ts`), queues at its
 * instance for a worker (`queue.ts`), then for a core, is served (`serve.ts`: CPU, disk, external
 * waits), makes its downstream calls, and replies (`reply.ts`); the caller's timer (`timeout.ts`)
 * and retry rule (`retry.ts`) handle failures, and a served call may start others (`spawn.ts`).
 *
 * The stages on the plain path (admit … endRequest) read the clock (`sim.queue.time`) instead of
 * taking `now`: a float passed to a call V8 does not inline is boxed into a fresh heap number, and
 * that was most of the loop's garbage (measured on M/M/24: 47 young-generation collections a run
 * before, 12 after).
 *
 * @example
 * const engine = new Engine(scenario)
 * engine.run()
 * engine.model.kinds[0].latency.percentiles()
 */
export class Engine {
  readonly model: Model
  readonly window: Window
  readonly series: SeriesRecorder
  readonly faults: Faults
  events = 0
  private readonly sim: Sim
  /** The replayed access log, when the scenario has a `trace`. */
  readonly trace: TraceArrivals | null
  private readonly queue = new EventQueue(4096)
  private readonly timeline: FaultEvent[]
  private stepsScheduled = 0
  private started = false
  private ended = false
  private readonly stall: StallGuard

  constructor(
    readonly scenario: Scenario,
    private readonly onProgress?: ProgressListener,
  ) {
    this.stall = new StallGuard(SLICE_EVENTS)
    this.model = buildModel(scenario)
    this.window = new Window(scenario.warmup, scenario.warmup + scenario.duration)
    this.series = new SeriesRecorder(this.model, this.window.end, scenario.seriesStep, this.window.resilience)
    this.faults = new Faults(this.model, scenario.faults, this.window.end)
    this.timeline = this.faults.ordered()
    this.sim = new Sim(this.queue, this.model, this.window, this.window.end)
    this.trace = scenario.trace === undefined ? null
      : new TraceArrivals(scenario.trace, new Map(this.model.kinds.map((k) => [k.name, k.index])), this.window.end, scenario.users ?? 0, scenario.seed)
  }

  /** Runs from time 0 to the end of the window; arrivals stop there and in-flight work is left. */
  run(): void {
    while (!this.runSlice()) {
      // each slice checks that simulated time moves on
    }
  }

  /**
   * Runs the next `SLICE_EVENTS` events (the first call schedules the run's start); true when
   * the run has ended. Callers that must stay responsive (the CLI, for Ctrl-C) yield between
   * slices. Between slices the engine checks that simulated time advanced: a model that keeps
   * scheduling events at one instant would otherwise spin forever (`EngineStalled`); and that
   * the heap has room (`RunOutOfMemory`, naming the longest InQueue, instead of V8's abort).
   */
  runSlice(): boolean {
    if (this.ended) return true
    if (!this.started) this.start()
    const q = this.queue
    const end = this.window.end
    const sim = this.sim
    const kinds = this.model.kinds
    const pool = sim.pool
    const users = this.model.users
    const trace = this.trace
    let events = this.events
    const stop = events + SLICE_EVENTS
    while (events !== stop) {
      if (!q.pop()) {
        this.events = events
        this.ended = true
        return true
      }
      events++
      const now = q.time
      switch (q.type) {
        case NEW_REQUEST:
          arrival(sim, kinds[q.id], now)
          break
        case CALL_IN: {
          const c = pool.at(q.id)
          c.events--
          admit(sim, c)
          break
        }
        case CPU_DONE: {
          const c = pool.at(q.id)
          c.events--
          cpuDone(sim, c)
          break
        }
        case CPU_SHARED_DONE:
          sharedCpuDone(sim, this.model.hosts[q.id], now)
          break
        case IO_DONE: {
          const c = pool.at(q.id)
          c.events--
          ioDone(sim, c)
          break
        }
        case REPLY_IN: {
          const c = pool.at(q.id)
          c.events--
          reply(sim, c, now)
          break
        }
        case TIMER_TICK:
          expire(sim, sim.timerLists[q.id], now)
          break
        case POLL_DELIVERY: {
          const origin = pool.at(q.id)
          origin.events--
          endRequest(sim, origin, Code.ok)
          break
        }
        case REDELIVER: {
          const origin = pool.at(q.id)
          origin.events--
          redeliver(sim, origin, now)
          break
        }
        case FAULT:
          applyFault(this.timeline[q.id], now, this.model, pool)
          if (users.dropped.length > 0) scheduleDropped(sim, now)
          break
        case RECONNECT:
          reconnect(sim, q.id, now)
          break
        case CHURN:
          churn(sim, now)
          break
        case WINDOW_START:
          startWindow(this.window, this.model, now)
          break
        case STEP:
          observeCpu(this.model, now, this.series.step)
          this.series.takeStep(now)
          this.scheduleNextStep()
          this.onProgress?.(now, end)
          break
        case TRACE: {
          const next = replayArrival(sim, trace!, now)
          if (next < end) q.schedule(next, TRACE, 0)
          break
        }
        case END:
          this.events = events
          this.ended = true
          this.series.finish(end)
          this.onProgress?.(end, end)
          return true
      }
    }
    this.events = events
    this.stall.check(q.time, EVENT_NAMES[q.type] ?? `type ${q.type}`)
    const memory = memoryProblem(this.model, q.time)
    if (memory !== undefined) throw new RunOutOfMemory(memory)
    return false
  }

  /** Schedules the window, the steps, the end, the faults and each kind's first arrival. */
  private start(): void {
    this.started = true
    const q = this.queue
    const end = this.window.end
    q.schedule(this.window.start, WINDOW_START, 0)
    this.scheduleNextStep()
    q.schedule(end, END, 0)
    this.timeline.forEach((f, i) => {
      if (f.at < end) q.schedule(f.at, FAULT, i)
    })
    for (const kind of this.model.kinds) {
      if (kind.interarrival !== null) q.schedule(kind.interarrival(), NEW_REQUEST, kind.index)
    }
    if (this.trace !== null) {
      const first = this.trace.next()
      if (first < end) q.schedule(first, TRACE, 0)
    }
    // Clients that found no port at start-up keep trying; connections live out their lifetimes.
    scheduleDropped(this.sim, 0)
    scheduleChurn(this.sim, 0)
  }

  /** Step times are multiples of the step, not running sums, so they never drift. */
  private scheduleNextStep(): void {
    const at = ++this.stepsScheduled * this.series.step
    if (at < this.window.end) this.queue.schedule(at, STEP, 0)
  }
}

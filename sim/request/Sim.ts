import type { EventQueue } from "../kernel/EventQueue.ts"
import type { Window } from "../measure/Window.ts"
import { type Call, CallPool } from "../model/Call.ts"
import type { Model } from "../model/Model.ts"
import type { TimerList } from "../model/TimerList.ts"

/**
 * The state every stage of a request works on: the clock and event queue, the calls in flight, the
 * model, the measured window. One struct of fixed shape, passed first to every stage function,
 * keeps the hot path monomorphic and free of closures.
 */
export class Sim {
  readonly pool = new CallPool()
  /** What TIMER_TICK events name by number. */
  readonly timerLists: TimerList[] = []

  constructor(
    readonly queue: EventQueue,
    readonly model: Model,
    readonly window: Window,
    /** The run's end: arrivals stop here. */
    readonly end: number,
  ) {}
}

/** Schedules an event about call `c`; the call is not recycled while the event is pending. */
export function scheduleCall(sim: Sim, at: number, type: number, c: Call): void {
  c.events++
  sim.queue.schedule(at, type, c.id)
}

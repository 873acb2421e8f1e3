/**
 * The engine's no-progress check: after each slice of events, simulated time must have moved on.
 * A model that keeps executing events at one instant (a livelock) would otherwise spin forever,
 * and in a CI gate a job that never ends is the worst failure there is.
 */

/**
 * Slices in a row without simulated time moving on before the run is declared stuck: with
 * 2^20-event slices, 2^26 ≈ 67 million events at one instant, far beyond the largest burst a
 * valid scenario makes at one instant (a 10^6-recipient spawn is a few million events).
 */
export const STALL_SLICES = 64
/** Time moving on by less than this (1 ns) over a slice counts as not moving. */
const STALL_EPSILON_S = 1e-9

/**
 * The engine kept executing events without simulated time moving on: a livelock in the model.
 * The run cannot finish; the CLI reports it as the simulator's failure (exit 3, one line).
 */
export class EngineStalled extends Error {
  /** Not a crash of the code: the CLI prints the message as it is (exit 3, crash log). */
  readonly simulatorLimit = true
  constructor(readonly events: number, readonly timeS: number, readonly eventType: string) {
    super(`the simulation stopped advancing: ${events.toExponential(1).replace("e+", "e")} events ` +
      `without simulated time moving past ${timeS}s (the last a ${eventType} event)`)
    this.name = "EngineStalled"
  }
}

/**
 * Counts slices without progress; `check` throws `EngineStalled` at the limit.
 *
 * @example
 * const guard = new StallGuard(1 << 20)
 * guard.check(queue.time, "call-in") // after each slice: the time reached and the last event's type
 */
export class StallGuard {
  private progressTime = -Infinity
  private stalled = 0

  constructor(
    private readonly sliceEvents: number,
    private readonly maxSlices: number = STALL_SLICES,
  ) {}

  /** After a slice that ended at simulated time `now` on an event of type `eventType`. */
  check(now: number, eventType: string): void {
    if (now - this.progressTime > STALL_EPSILON_S) {
      this.progressTime = now
      this.stalled = 0
      return
    }
    if (++this.stalled >= this.maxSlices) throw new EngineStalled(this.stalled * this.sliceEvents, now, eventType)
  }
}

import { Fifo, NumberFifo } from "../kernel/Fifo.ts"
import type { Call } from "../model/Call.ts"

/**
 * The timeouts of one call site. Every try made there has the same timeout, so deadlines arrive
 * in the order the tries were made: a FIFO holds them, and only its head has an event in the
 * heap. A try answered in time stays in the FIFO until a tick reaches it, and is dropped then
 * without a tick of its own (each tick drops the answered tries ahead of the first still waiting
 * and is re-armed for that one); that costs O(1) per call instead of a heap insertion, and keeps
 * the heap as small as the model.
 */
export class TimerList {
  readonly calls = new Fifo<Call>()
  /**
   * Each entry's deadline and `gen`, kept here rather than read from the call: a call recycled
   * since it was armed has another gen (and is skipped) and may carry another call's deadline.
   */
  readonly deadlines = new NumberFifo()
  readonly gens = new NumberFifo()
  /** The list's number in the simulation's table, for its timer events; −1 until first armed. */
  id = -1
  /** An event for the head is pending in the heap. */
  armed = false

  /** @param code what a try whose deadline passes fails with: −202 (timeout) or, for connects, −201. */
  constructor(
    readonly timeout: number,
    readonly code: number = -202,
  ) {}
}

/**
 * A piecewise-constant quantity (busy workers, queue length, busy cores) and its time integral,
 * for time averages over the measured window and over each series step.
 *
 * The integral runs from time 0 and is never reset; a window or a step is the difference of two
 * readings, so the warm-up cut and the series share one accumulator.
 *
 * @example
 * const q = new TimeWeighted(); q.set(0, 2); q.set(10, 0)
 * q.areaAt(10) / 10 // mean 2 over [0, 10]
 */
export class TimeWeighted {
  value = 0
  /** Largest value since the window started. */
  max = 0
  private area = 0
  private last = 0
  private windowBase = 0
  private stepBase = 0

  set(now: number, value: number): void {
    this.area += this.value * (now - this.last)
    this.last = now
    this.value = value
    if (value > this.max) this.max = value
  }

  add(now: number, delta: number): void {
    this.set(now, this.value + delta)
  }

  /** Integral of the value from time 0 to `now`. */
  areaAt(now: number): number {
    return this.area + this.value * (now - this.last)
  }

  /** Starts the measured window at `now`: the window's integral and max start here. */
  startWindow(now: number): void {
    this.windowBase = this.areaAt(now)
    this.max = this.value
  }

  /** Integral over the measured window, up to `now`. */
  windowArea(now: number): number {
    return this.areaAt(now) - this.windowBase
  }

  /** Integral since the previous call (or time 0), for one series step. */
  takeStep(now: number): number {
    const a = this.areaAt(now)
    const d = a - this.stepBase
    this.stepBase = a
    return d
  }
}

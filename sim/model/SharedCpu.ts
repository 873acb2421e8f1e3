import type { Call } from "./Call.ts"

/**
 * A host's cores under processor sharing (`scheduling: ps`): every call that wants CPU is served
 * at once, each at rate min(1, cores / n) for n calls — how Linux's scheduler shares a core among
 * runnable processes, as opposed to the default FIFO queue for a core.
 *
 * Kept in virtual time: `v` is the service each call in progress has received since the host
 * began, advancing at the per-call rate; a call entering with work w finishes when `v` reaches
 * v + w. A binary heap of those finish points (parallel arrays, no objects per entry) gives the
 * next completion; only that one is scheduled (`dueAt`), and an event for any other time is stale.
 */
export class SharedCpu {
  /** Virtual time: service per call since the start, at `at`. */
  private v = 0
  private at = 0
  private finish = new Float64Array(16)
  private calls: Array<Call | undefined> = new Array(16)
  /** Calls in progress. */
  n = 0
  /** The time the next completion was scheduled for; NaN when none is. */
  dueAt = Number.NaN

  constructor(readonly cores: number) {}

  /** Per-call service rate with n calls in progress. */
  private rate(): number {
    return this.n <= this.cores ? 1 : this.cores / this.n
  }

  /** Brings virtual time up to `now`. */
  advance(now: number): void {
    if (this.n > 0) this.v += (now - this.at) * this.rate()
    this.at = now
  }

  /** A call starts with `work` seconds of CPU; call `advance(now)` first. */
  add(c: Call, work: number): void {
    if (this.n === this.finish.length) this.grow()
    let i = this.n++
    const f = this.v + work
    // Sift up.
    while (i > 0) {
      const p = (i - 1) >> 1
      if (this.finish[p] <= f) break
      this.finish[i] = this.finish[p]
      this.calls[i] = this.calls[p]
      i = p
    }
    this.finish[i] = f
    this.calls[i] = c
  }

  /** The call whose work is done by now (after `advance(now)`), removed; undefined when none is. */
  popDone(): Call | undefined {
    // A relative nanosecond of slack absorbs rounding in the virtual clock.
    if (this.n === 0 || this.finish[0] > this.v + 1e-9 * Math.max(1, this.v)) return undefined
    return this.pop()
  }

  /** When the next call will finish if nothing joins or leaves (after `advance(now)`); NaN if none. */
  nextDone(now: number): number {
    return this.n === 0 ? Number.NaN : now + Math.max(0, this.finish[0] - this.v) / this.rate()
  }

  /** Removes every call (the host went down), handing each to `drop`. */
  clear(now: number, drop: (c: Call) => void): void {
    for (let i = 0; i < this.n; i++) drop(this.calls[i]!)
    this.calls.fill(undefined, 0, this.n)
    this.n = 0
    this.at = now
    this.dueAt = Number.NaN
  }

  private pop(): Call {
    const top = this.calls[0]!
    const last = --this.n
    const f = this.finish[last]
    const c = this.calls[last]
    this.calls[last] = undefined
    let i = 0
    // Sift down.
    for (;;) {
      let child = 2 * i + 1
      if (child >= last) break
      if (child + 1 < last && this.finish[child + 1] < this.finish[child]) child++
      if (this.finish[child] >= f) break
      this.finish[i] = this.finish[child]
      this.calls[i] = this.calls[child]
      i = child
    }
    if (last > 0) {
      this.finish[i] = f
      this.calls[i] = c
    }
    return top
  }

  private grow(): void {
    const f = new Float64Array(this.finish.length * 2)
    f.set(this.finish)
    this.finish = f
    this.calls.length = f.length
  }
}

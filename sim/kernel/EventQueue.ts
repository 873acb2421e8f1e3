/** Event types are integers below this (the engine has about a dozen). */
const TYPE_SPAN = 64
const TYPE_BITS = 6
/** Ids are integers below this: the type shares their int32 (2^25, 33 million calls in flight). */
const ID_SPAN = 2 ** 25

/**
 * The future event list: a binary heap keyed by (time, insertion sequence), plus a FIFO for
 * events due at the current time.
 *
 * An event is a time, a small integer `type` the engine dispatches on, and an integer `id` naming
 * the object it concerns in a table the caller keeps (a call, a workload, a timer list). Everything
 * lives in typed arrays: no allocation per event, and no garbage-collector write barrier per move,
 * which an array of object references costs (measured on M/M/24: object references made the heap
 * ~15% slower than int32 ids). The id and the type share one int32, `id × 64 + type`, so a move
 * copies three numbers: time, sequence, id-and-type. Events at equal times come out in the order
 * they were scheduled.
 *
 * @example
 * const q = new EventQueue()
 * q.schedule(2, 1, 20); q.schedule(1, 1, 10)
 * q.pop() // true; q.time === 1, q.id === 10
 */
export class EventQueue {
  private times: Float64Array
  private seqs: Float64Array
  private ids: Int32Array
  private size = 0
  private nextSeq = 0

  // Events due now skip the heap: a ring buffer of ids-and-types, so zero-delay hand-offs cost O(1).
  private nowIds: Int32Array
  private nowHead = 0
  private nowCount = 0

  /** Time of the event last popped: the simulation clock. */
  time = 0
  /** Type of the event last popped. */
  type = 0
  /** Id carried by the event last popped. */
  id = 0

  constructor(capacity = 1024) {
    capacity = Math.max(1, capacity)
    this.times = new Float64Array(capacity)
    this.seqs = new Float64Array(capacity)
    this.ids = new Int32Array(capacity)
    this.nowIds = new Int32Array(64)
  }

  /** Number of pending events. */
  get length(): number {
    return this.size + this.nowCount
  }

  /**
   * Schedules an event at absolute time `at` (never earlier than the clock); `type` is an integer
   * in [0, 64), `id` one in [0, 2^25).
   */
  schedule(at: number, type: number, id: number): void {
    if (type >>> 0 >= TYPE_SPAN) throw new RangeError(`event type must be in [0, ${TYPE_SPAN}): ${type}`)
    if (id >>> 0 >= ID_SPAN) throw new RangeError(`event id must be in [0, ${ID_SPAN}): ${id}`)
    const tagged = (id << TYPE_BITS) | type
    if (at <= this.time) {
      if (at < this.time) throw new RangeError(`event scheduled in the past: ${at} < ${this.time}`)
      this.pushNow(tagged)
      return
    }
    if (this.size === this.times.length) this.grow()
    // Sift up with a hole: move parents down, write the new event once.
    const seq = this.nextSeq++
    const times = this.times, seqs = this.seqs, ids = this.ids
    let i = this.size++
    while (i > 0) {
      const p = (i - 1) >> 1
      const pt = times[p]
      if (pt < at || (pt === at && seqs[p] < seq)) break
      times[i] = pt
      seqs[i] = seqs[p]
      ids[i] = ids[p]
      i = p
    }
    times[i] = at
    seqs[i] = seq
    ids[i] = tagged
  }

  /** Time of the next event, or `Infinity` when none is pending. */
  peekTime(): number {
    if (this.nowCount > 0) return this.time
    return this.size > 0 ? this.times[0] : Infinity
  }

  /**
   * Removes the next event and exposes it through `time`, `type` and `id`.
   * Returns false when no event is pending.
   */
  pop(): boolean {
    // Heap events at the current time were scheduled before anything in the FIFO, so they go first.
    if (this.nowCount > 0 && !(this.size > 0 && this.times[0] === this.time)) {
      const h = this.nowHead
      const tagged = this.nowIds[h]
      this.type = tagged & (TYPE_SPAN - 1)
      this.id = tagged >> TYPE_BITS
      this.nowHead = (h + 1) & (this.nowIds.length - 1)
      this.nowCount--
      return true
    }
    if (this.size === 0) return false
    this.time = this.times[0]
    const tagged = this.ids[0]
    this.type = tagged & (TYPE_SPAN - 1)
    this.id = tagged >> TYPE_BITS
    const last = --this.size
    if (last > 0) this.siftDownFromRoot(last)
    return true
  }

  private siftDownFromRoot(last: number): void {
    const times = this.times, seqs = this.seqs, ids = this.ids
    const t = times[last], s = seqs[last], id = ids[last]
    const n = last
    let i = 0
    for (;;) {
      let c = 2 * i + 1
      if (c >= n) break
      const c2 = c + 1
      if (c2 < n && (times[c2] < times[c] || (times[c2] === times[c] && seqs[c2] < seqs[c]))) c = c2
      const ct = times[c]
      if (t < ct || (t === ct && s < seqs[c])) break
      times[i] = ct
      seqs[i] = seqs[c]
      ids[i] = ids[c]
      i = c
    }
    times[i] = t
    seqs[i] = s
    ids[i] = id
  }

  private pushNow(tagged: number): void {
    if (this.nowCount === this.nowIds.length) this.growNow()
    const i = (this.nowHead + this.nowCount) & (this.nowIds.length - 1)
    this.nowIds[i] = tagged
    this.nowCount++
  }

  private grow(): void {
    const cap = this.times.length * 2
    const times = new Float64Array(cap); times.set(this.times); this.times = times
    const seqs = new Float64Array(cap); seqs.set(this.seqs); this.seqs = seqs
    const ids = new Int32Array(cap); ids.set(this.ids); this.ids = ids
  }

  private growNow(): void {
    const cap = this.nowIds.length * 2
    const ids = new Int32Array(cap)
    for (let k = 0; k < this.nowCount; k++) ids[k] = this.nowIds[(this.nowHead + k) & (this.nowIds.length - 1)]
    this.nowIds = ids
    this.nowHead = 0
  }
}

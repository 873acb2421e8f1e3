/** Event types are integers below this (the engine has about a dozen). */
const TYPE_SPAN = 64

/**
 * The future event list: a binary heap keyed by (time, insertion sequence), plus a FIFO for
 * events due at the current time.
 *
 * An event is a time, a small integer `type` the engine dispatches on, and an integer `id` naming
 * the object it concerns in a table the caller keeps (a call, a workload, a timer list). Everything
 * lives in typed arrays: no allocation per event, and no garbage-collector write barrier per move,
 * which an array of object references costs (measured on M/M/24: object references made the heap
 * ~15% slower than int32 ids). The sequence and the type share one float, `seq × 64 + type`, which
 * orders as the sequence does. Events at equal times come out in the order they were scheduled.
 *
 * @example
 * const q = new EventQueue()
 * q.schedule(2, 1, 20); q.schedule(1, 1, 10)
 * q.pop() // true; q.time === 1, q.id === 10
 */
export class EventQueue {
  private times: Float64Array
  private keys: Float64Array
  private ids: Int32Array
  private size = 0
  private nextSeq = 0

  // Events due now skip the heap: a ring buffer, so zero-delay hand-offs cost O(1).
  private nowTypes: Int32Array
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
    this.keys = new Float64Array(capacity)
    this.ids = new Int32Array(capacity)
    this.nowTypes = new Int32Array(64)
    this.nowIds = new Int32Array(64)
  }

  /** Number of pending events. */
  get length(): number {
    return this.size + this.nowCount
  }

  /** Schedules an event at absolute time `at` (never earlier than the clock); `id` is an int32. */
  schedule(at: number, type: number, id: number): void {
    if (type >>> 0 >= TYPE_SPAN) throw new RangeError(`event type must be in [0, ${TYPE_SPAN}): ${type}`)
    if (at <= this.time) {
      if (at < this.time) throw new RangeError(`event scheduled in the past: ${at} < ${this.time}`)
      this.pushNow(type, id)
      return
    }
    if (this.size === this.times.length) this.grow()
    // Sift up with a hole: move parents down, write the new event once.
    const key = this.nextSeq++ * TYPE_SPAN + type
    const times = this.times, keys = this.keys, ids = this.ids
    let i = this.size++
    while (i > 0) {
      const p = (i - 1) >> 1
      const pt = times[p]
      if (pt < at || (pt === at && keys[p] < key)) break
      times[i] = pt
      keys[i] = keys[p]
      ids[i] = ids[p]
      i = p
    }
    times[i] = at
    keys[i] = key
    ids[i] = id
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
      this.type = this.nowTypes[h]
      this.id = this.nowIds[h]
      this.nowHead = (h + 1) & (this.nowTypes.length - 1)
      this.nowCount--
      return true
    }
    if (this.size === 0) return false
    this.time = this.times[0]
    // Not `key % TYPE_SPAN`: a float modulo compiles to an x87 fprem loop, a quarter of the loop's time.
    const key = this.keys[0]
    this.type = key - Math.floor(key / TYPE_SPAN) * TYPE_SPAN
    this.id = this.ids[0]
    const last = --this.size
    if (last > 0) this.siftDownFromRoot(last)
    return true
  }

  private siftDownFromRoot(last: number): void {
    const times = this.times, keys = this.keys, ids = this.ids
    const t = times[last], k = keys[last], id = ids[last]
    const n = last
    let i = 0
    for (;;) {
      let c = 2 * i + 1
      if (c >= n) break
      const c2 = c + 1
      if (c2 < n && (times[c2] < times[c] || (times[c2] === times[c] && keys[c2] < keys[c]))) c = c2
      const ct = times[c]
      if (t < ct || (t === ct && k < keys[c])) break
      times[i] = ct
      keys[i] = keys[c]
      ids[i] = ids[c]
      i = c
    }
    times[i] = t
    keys[i] = k
    ids[i] = id
  }

  private pushNow(type: number, id: number): void {
    if (this.nowCount === this.nowTypes.length) this.growNow()
    const i = (this.nowHead + this.nowCount) & (this.nowTypes.length - 1)
    this.nowTypes[i] = type
    this.nowIds[i] = id
    this.nowCount++
  }

  private grow(): void {
    const cap = this.times.length * 2
    const times = new Float64Array(cap); times.set(this.times); this.times = times
    const keys = new Float64Array(cap); keys.set(this.keys); this.keys = keys
    const ids = new Int32Array(cap); ids.set(this.ids); this.ids = ids
  }

  private growNow(): void {
    const cap = this.nowTypes.length * 2
    const types = new Int32Array(cap)
    const ids = new Int32Array(cap)
    for (let k = 0; k < this.nowCount; k++) {
      const j = (this.nowHead + k) & (this.nowTypes.length - 1)
      types[k] = this.nowTypes[j]
      ids[k] = this.nowIds[j]
    }
    this.nowTypes = types
    this.nowIds = ids
    this.nowHead = 0
  }
}

/**
 * The future event list: a binary heap keyed by (time, insertion sequence), plus a FIFO for
 * events due at the current time.
 *
 * Struct-of-arrays storage keeps the hot loop free of per-event allocation: an event is a time,
 * a small integer `type` the engine dispatches on, and one object reference (`ref`).
 * Events at equal times come out in the order they were scheduled.
 *
 * @example
 * const q = new EventQueue()
 * q.schedule(2, 1, "b"); q.schedule(1, 1, "a")
 * q.pop() // true; q.time === 1, q.ref === "a"
 */
export class EventQueue<R = unknown> {
  private times: Float64Array
  private seqs: Float64Array
  private types: Int32Array
  private refs: Array<R | undefined>
  private size = 0
  private nextSeq = 0

  // Events due now skip the heap: a ring buffer, so zero-delay hand-offs cost O(1).
  private nowTypes: Int32Array
  private nowRefs: Array<R | undefined>
  private nowHead = 0
  private nowCount = 0

  /** Time of the event last popped: the simulation clock. */
  time = 0
  /** Type of the event last popped. */
  type = 0
  /** Reference carried by the event last popped. */
  ref: R | undefined = undefined

  constructor(capacity = 1024) {
    capacity = Math.max(1, capacity)
    this.times = new Float64Array(capacity)
    this.seqs = new Float64Array(capacity)
    this.types = new Int32Array(capacity)
    this.refs = new Array(capacity)
    this.nowTypes = new Int32Array(64)
    this.nowRefs = new Array(64)
  }

  /** Number of pending events. */
  get length(): number {
    return this.size + this.nowCount
  }

  /** Schedules an event at absolute time `at` (never earlier than the clock). */
  schedule(at: number, type: number, ref: R): void {
    if (at <= this.time) {
      if (at < this.time) throw new RangeError(`event scheduled in the past: ${at} < ${this.time}`)
      this.pushNow(type, ref)
      return
    }
    if (this.size === this.times.length) this.grow()
    // Sift up with a hole: move parents down, write the new event once.
    const seq = this.nextSeq++
    const times = this.times, seqs = this.seqs
    let i = this.size++
    while (i > 0) {
      const p = (i - 1) >> 1
      const pt = times[p]
      if (pt < at || (pt === at && seqs[p] < seq)) break
      times[i] = pt
      seqs[i] = seqs[p]
      this.types[i] = this.types[p]
      this.refs[i] = this.refs[p]
      i = p
    }
    times[i] = at
    seqs[i] = seq
    this.types[i] = type
    this.refs[i] = ref
  }

  /** Time of the next event, or `Infinity` when none is pending. */
  peekTime(): number {
    if (this.nowCount > 0) return this.time
    return this.size > 0 ? this.times[0] : Infinity
  }

  /**
   * Removes the next event and exposes it through `time`, `type` and `ref`.
   * Returns false when no event is pending.
   */
  pop(): boolean {
    // Heap events at the current time were scheduled before anything in the FIFO, so they go first.
    if (this.nowCount > 0 && !(this.size > 0 && this.times[0] === this.time)) {
      const h = this.nowHead
      this.type = this.nowTypes[h]
      this.ref = this.nowRefs[h]
      this.nowRefs[h] = undefined
      this.nowHead = (h + 1) & (this.nowTypes.length - 1)
      this.nowCount--
      return true
    }
    if (this.size === 0) return false
    this.time = this.times[0]
    this.type = this.types[0]
    this.ref = this.refs[0]
    const last = --this.size
    if (last > 0) this.siftDownFromRoot(last)
    this.refs[last] = undefined
    return true
  }

  private siftDownFromRoot(last: number): void {
    const times = this.times, seqs = this.seqs, types = this.types, refs = this.refs
    const t = times[last], s = seqs[last], ty = types[last], r = refs[last]
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
      types[i] = types[c]
      refs[i] = refs[c]
      i = c
    }
    times[i] = t
    seqs[i] = s
    types[i] = ty
    refs[i] = r
  }

  private pushNow(type: number, ref: R): void {
    if (this.nowCount === this.nowTypes.length) this.growNow()
    const i = (this.nowHead + this.nowCount) & (this.nowTypes.length - 1)
    this.nowTypes[i] = type
    this.nowRefs[i] = ref
    this.nowCount++
  }

  private grow(): void {
    const cap = Math.max(1, this.times.length * 2)
    const times = new Float64Array(cap); times.set(this.times); this.times = times
    const seqs = new Float64Array(cap); seqs.set(this.seqs); this.seqs = seqs
    const types = new Int32Array(cap); types.set(this.types); this.types = types
    this.refs.length = cap
  }

  private growNow(): void {
    const cap = this.nowTypes.length * 2
    const types = new Int32Array(cap)
    const refs = new Array<R | undefined>(cap)
    for (let k = 0; k < this.nowCount; k++) {
      const j = (this.nowHead + k) & (this.nowTypes.length - 1)
      types[k] = this.nowTypes[j]
      refs[k] = this.nowRefs[j]
    }
    this.nowTypes = types
    this.nowRefs = refs
    this.nowHead = 0
  }
}

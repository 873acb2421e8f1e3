import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { EventQueue } from "../../sim/kernel/EventQueue.ts"

/** What the queue should do, written the slow and obvious way: a list sorted by (time, seq). */
class ReferenceQueue {
  private events: Array<{ time: number; seq: number; type: number; ref: number }> = []
  private nextSeq = 0
  time = 0

  schedule(at: number, type: number, ref: number): void {
    this.events.push({ time: at, seq: this.nextSeq++, type, ref })
    this.events.sort((a, b) => a.time - b.time || a.seq - b.seq)
  }

  pop(): { time: number; type: number; ref: number } | undefined {
    const e = this.events.shift()
    if (e === undefined) return undefined
    this.time = e.time
    return { time: e.time, type: e.type, ref: e.ref }
  }

  get length(): number {
    return this.events.length
  }

  peekTime(): number {
    return this.events.length > 0 ? this.events[0].time : Infinity
  }
}

type Op =
  | { readonly op: "schedule"; readonly delay: number; readonly type: number }
  /** Many events at the current time at once: fills (and wraps, and grows) the due-now ring. */
  | { readonly op: "burst"; readonly count: number }
  | { readonly op: "pop" }

/**
 * Delays are mostly small integers so equal times are common, zero often (the due-now FIFO path),
 * occasionally a fraction.
 */
const delay = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 3 }) },
  { weight: 1, arbitrary: fc.double({ min: 0, max: 3, noNaN: true }) },
)
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant("schedule" as const), delay, type: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 2, arbitrary: fc.constant({ op: "pop" as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("burst" as const), count: fc.integer({ min: 1, max: 80 }) }) },
)

/** Runs `ops` on both queues, comparing every observable after every step; refs are insertion numbers. */
function runAgainstReference(ops: ReadonlyArray<Op>, capacity: number): void {
  const q = new EventQueue(capacity)
  const ref = new ReferenceQueue()
  let inserted = 0
  const schedule = (at: number, type: number) => {
    q.schedule(at, type, inserted)
    ref.schedule(at, type, inserted)
    inserted++
  }
  for (const o of ops) {
    // Scheduling is relative to the clock: "now" is the time of the event last popped.
    if (o.op === "schedule") schedule(ref.time + o.delay, o.type)
    else if (o.op === "burst") for (let k = 0; k < o.count; k++) schedule(ref.time, k % 8)
    else {
      const before = q.time
      const expected = ref.pop()
      expect(q.pop()).toBe(expected !== undefined)
      if (expected !== undefined) {
        expect({ time: q.time, type: q.type, ref: q.id }).toEqual(expected)
        expect(q.time).toBeGreaterThanOrEqual(before)
      }
    }
    expect(q.length).toBe(ref.length)
    expect(q.peekTime()).toBe(ref.peekTime())
  }
  // Drain: everything left still comes out in order.
  for (let e = ref.pop(); e !== undefined; e = ref.pop()) {
    expect(q.pop()).toBe(true)
    expect({ time: q.time, type: q.type, ref: q.id }).toEqual(e)
  }
  expect(q.pop()).toBe(false)
}

describe("EventQueue", () => {
  it("pops in (time, insertion order) order for any interleaving of schedule and pop, like a sorted list", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), fc.integer({ min: 1, max: 8 }), (ops, capacity) => {
        runAgainstReference(ops, capacity)
      }),
      { seed: 20240601, numRuns: 300 },
    )
  })

  it("same-time events keep insertion order", () => {
    const q = new EventQueue()
    for (const id of [1, 2, 3, 4]) q.schedule(5, 0, id)
    q.schedule(1, 0, 0)
    const out: number[] = []
    while (q.pop()) out.push(q.id)
    expect(out).toEqual([0, 1, 2, 3, 4])
  })

  it("events scheduled at the current time from within processing run after earlier-scheduled same-time events", () => {
    const q = new EventQueue()
    const names = ["a", "b", "a-now", "later", "a-now-2"]
    q.schedule(1, 0, 0)
    q.schedule(1, 0, 1)
    expect(q.pop()).toBe(true)
    expect(q.id).toBe(0)
    // Processing "a" at t = 1 schedules a zero-delay hand-off: it goes after "b", already pending at 1.
    q.schedule(q.time, 0, 2)
    q.schedule(2, 0, 3)
    q.schedule(q.time, 0, 4)
    const out: string[] = []
    while (q.pop()) out.push(`${names[q.id]}@${q.time}`)
    expect(out).toEqual(["b@1", "a-now@1", "a-now-2@1", "later@2"])
  })

  it("keeps each event's type beside its id, through the heap and the due-now FIFO", () => {
    const q = new EventQueue()
    q.schedule(2, 63, 7)
    q.schedule(1, 5, 3)
    q.schedule(1, 0, 2 ** 25 - 1)
    const out: string[] = []
    while (q.pop()) {
      out.push(`${q.type}:${q.id}@${q.time}`)
      if (q.id === 3) q.schedule(q.time, 9, 11)
    }
    expect(out).toEqual(["5:3@1", `0:${2 ** 25 - 1}@1`, "9:11@1", "63:7@2"])
  })

  it("refuses an event type outside [0, 64) and an id outside [0, 2^25)", () => {
    const q = new EventQueue()
    expect(() => q.schedule(1, 64, 0)).toThrow(RangeError)
    expect(() => q.schedule(1, -1, 0)).toThrow(RangeError)
    expect(() => q.schedule(1, 0, -1)).toThrow(RangeError)
    expect(() => q.schedule(1, 0, 2 ** 25)).toThrow(RangeError)
    expect(q.length).toBe(0)
  })

  it("the clock never goes backwards, and an event in the past is refused", () => {
    const q = new EventQueue()
    q.schedule(3, 0, 0)
    q.pop()
    expect(q.time).toBe(3)
    expect(() => q.schedule(2.999, 0, 1)).toThrow(RangeError)
    expect(q.length).toBe(0)
  })

  it("grows past its initial capacity without losing or reordering events", () => {
    const q = new EventQueue(2)
    const n = 5000
    // Times in a scrambled order, with many duplicates.
    for (let i = 0; i < n; i++) q.schedule(1 + ((i * 7919) % 97), 0, i)
    expect(q.length).toBe(n)
    let lastTime = -Infinity, lastRef = -1
    for (let k = 0; k < n; k++) {
      expect(q.pop()).toBe(true)
      if (q.time === lastTime) expect(q.id).toBeGreaterThan(lastRef)
      else expect(q.time).toBeGreaterThan(lastTime)
      lastTime = q.time
      lastRef = q.id
    }
    expect(q.pop()).toBe(false)
  })

  it("more than 64 events due now, wrapped around the ring buffer, keep their order", () => {
    const q = new EventQueue()
    q.schedule(1, 0, 9999)
    q.pop()
    // Move the ring's head off zero, so the growth copies a wrapped buffer.
    for (let i = 0; i < 40; i++) q.schedule(1, 0, 100 + i)
    for (let i = 0; i < 40; i++) q.pop()
    for (let i = 0; i < 50; i++) q.schedule(1, 0, i)
    for (let i = 0; i < 10; i++) {
      q.pop()
      expect(q.id).toBe(i)
    }
    for (let i = 50; i < 300; i++) q.schedule(1, 0, i)
    q.schedule(2, 0, 1000)
    const out: number[] = []
    while (q.pop()) out.push(q.id)
    expect(out).toEqual([...Array.from({ length: 290 }, (_, k) => k + 10), 1000])
  })

  it("reports Infinity as the next time when empty, and the clock when events are due now", () => {
    const q = new EventQueue()
    expect(q.peekTime()).toBe(Infinity)
    q.schedule(4, 0, 0)
    expect(q.peekTime()).toBe(4)
    q.pop()
    q.schedule(4, 0, 1)
    expect(q.peekTime()).toBe(4)
  })
})

describe("EventQueue construction", () => {
  it("works from any initial capacity, including 0", () => {
    // Regression: grow() used to double 0 to 0, so from capacity 0 the heap never got room and
    // events were silently lost (popped with time undefined).
    for (const capacity of [0, 1, 3]) {
      const q = new EventQueue(capacity)
      q.schedule(2, 0, 2)
      q.schedule(1, 0, 1)
      expect(q.pop()).toBe(true)
      expect([q.time, q.id]).toEqual([1, 1])
      expect(q.pop()).toBe(true)
      expect([q.time, q.id]).toEqual([2, 2])
    }
  })
})

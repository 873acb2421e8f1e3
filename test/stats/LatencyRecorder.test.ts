import fc from "fast-check"
import * as hdr from "hdr-histogram-js"
import { describe, expect, it } from "vitest"
import { LatencyRecorder } from "../../sim/stats/LatencyRecorder.ts"

/**
 * Latencies in seconds over the whole recorded range: sub-µs, µs to ms (the dense low buckets),
 * seconds to hours (the recorder's counts array must grow), and beyond its ~50-day ceiling
 * (clamped). Integer-µs values and arbitrary doubles both appear.
 */
const latency = fc.oneof(
  fc.integer({ min: 0, max: 5000 }).map((us) => us / 1e6),
  fc.double({ min: 0, max: 0.5, noNaN: true }),
  fc.double({ min: 0.5, max: 20_000, noNaN: true }),
  fc.double({ min: 1e6, max: 1e7, noNaN: true }),
)
const latencies = fc.array(latency, { minLength: 1, maxLength: 300 })
const percentile = fc.oneof(
  fc.constantFrom(0, 0.1, 1, 25, 50, 90, 95, 99, 99.9, 99.99, 100),
  fc.double({ min: 0, max: 100, noNaN: true }),
)

function recorderOf(values: ReadonlyArray<number>): LatencyRecorder {
  const r = new LatencyRecorder()
  for (const v of values) r.record(v)
  return r
}

/** The recorder's bucket counts, exactly, through the library's own encoding. */
const encoded = (r: LatencyRecorder): string => hdr.encodeIntoCompressedBase64(r.toHistogram())

const OPTIONS = { seed: 1729, numRuns: 200 }

describe("LatencyRecorder", () => {
  it("valueAtPercentile equals hdr-histogram-js's getValueAtPercentile on the same histogram", () => {
    fc.assert(
      fc.property(latencies, fc.array(percentile, { minLength: 1, maxLength: 12 }), (values, ps) => {
        const r = recorderOf(values)
        const h = r.toHistogram()
        expect(h.totalCount).toBe(values.length)
        for (const p of ps) expect(r.valueAtPercentile(p)).toBe(h.getValueAtPercentile(p))
      }),
      OPTIONS,
    )
  })

  it("buckets values exactly as the library's own recordValue does (3 significant digits)", () => {
    // Within the tracked range (≤ 2^42 µs ≈ 50 days), against a histogram filled by the library.
    const inRange = fc.array(fc.oneof(latency.filter((v) => v < 4e6), fc.double({ min: 0, max: 4e6, noNaN: true })), { minLength: 1, maxLength: 200 })
    fc.assert(
      fc.property(inRange, fc.array(percentile, { minLength: 1, maxLength: 12 }), (values, ps) => {
        const lib = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 2 ** 42, numberOfSignificantValueDigits: 3, bitBucketSize: 64 })
        for (const v of values) lib.recordValue(Math.round(v * 1e6))
        const r = recorderOf(values)
        for (const p of [0, 100, ...ps]) expect(r.valueAtPercentile(p)).toBe(lib.getValueAtPercentile(p))
      }),
      OPTIONS,
    )
  })

  it("addTo merges exactly: counts, count, sum and max of the union", () => {
    fc.assert(
      fc.property(fc.array(latency, { maxLength: 200 }), fc.array(latency, { maxLength: 200 }), (a, b) => {
        const ra = recorderOf(a), rb = recorderOf(b)
        const sourceBefore = encoded(ra)
        const sumA = ra.sum, sumB = rb.sum
        ra.addTo(rb)
        const union = recorderOf([...a, ...b])
        expect(encoded(rb)).toBe(encoded(union))
        expect(rb.count).toBe(a.length + b.length)
        expect(rb.sum).toBe(sumB + sumA)
        expect(rb.max).toBe(union.max)
        for (const p of [0, 50, 99, 100]) expect(rb.valueAtPercentile(p)).toBe(union.valueAtPercentile(p))
        // The source is left as it was.
        expect(encoded(ra)).toBe(sourceBefore)
        expect(ra.count).toBe(a.length)
      }),
      OPTIONS,
    )
  })

  it("clear empties the recorder, and it then records like a new one", () => {
    fc.assert(
      fc.property(latencies, latencies, (before, after) => {
        const r = recorderOf(before)
        r.clear()
        expect(r.count).toBe(0)
        expect(r.percentiles()).toEqual({ mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 })
        expect(r.toHistogram().totalCount).toBe(0)
        for (const v of after) r.record(v)
        const fresh = recorderOf(after)
        expect(encoded(r)).toBe(encoded(fresh))
        expect(r.percentiles()).toEqual(fresh.percentiles())
      }),
      OPTIONS,
    )
  })

  it("valuesAtPercentiles (one scan, skipping whole blocks) equals valueAtPercentile of each, after records, clears, merges and recordBoth", () => {
    const ascending = fc.uniqueArray(fc.double({ min: 0.001, max: 100, noNaN: true }), { minLength: 1, maxLength: 6 })
      .map((ps) => [...ps].sort((a, b) => a - b))
    fc.assert(
      fc.property(latencies, latencies, latencies, ascending, fc.nat(5), (a, b, c, ps, zeros) => {
        // Dense runs of equal values and zeros put several percentiles in one bucket and one block.
        const r = recorderOf([...a, ...a.slice(0, 3), ...a.slice(0, 3)])
        for (let k = 0; k < zeros; k++) r.recordZero()
        const check = (x: LatencyRecorder) => {
          const out = ps.map(() => -1)
          x.valuesAtPercentiles(ps, out)
          expect(out).toEqual(ps.map((p) => x.valueAtPercentile(p)))
        }
        check(r)
        recorderOf(b).addTo(r)
        check(r)
        const window = new LatencyRecorder()
        for (const v of c) r.recordBoth(window, v)
        check(r)
        check(window)
        r.clear()
        check(r)
        for (const v of b) r.record(v)
        check(r)
      }),
      OPTIONS,
    )
    const empty = [7, 7]
    new LatencyRecorder().valuesAtPercentiles([50, 99], empty)
    expect(empty).toEqual([0, 0])
  })

  it("mean and max are exact, not bucketed", () => {
    fc.assert(
      fc.property(latencies, (values) => {
        const p = recorderOf(values).percentiles()
        let sum = 0
        for (const v of values) sum += v
        expect(p.mean).toBe((sum / values.length) * 1000)
        expect(p.max).toBe(values.reduce((m, v) => Math.max(m, v), 0) * 1000)
      }),
      OPTIONS,
    )
  })

  it("percentiles are within the histogram's 0.1% resolution of the exact order statistic", () => {
    const r = new LatencyRecorder()
    const values = Array.from({ length: 1000 }, (_, i) => (i + 1) / 1000) // 1 … 1000 ms
    for (const v of values) r.record(v)
    const p = r.percentiles()
    for (const [got, exact] of [[p.p50, 500], [p.p90, 900], [p.p99, 990], [p.p999, 999]]) {
      expect(got).toBeGreaterThanOrEqual(exact)
      expect(got).toBeLessThanOrEqual(exact * 1.001 + 0.001)
    }
    expect(p.max).toBe(1000)
  })

  it("is empty (all zeros) before anything is recorded", () => {
    const r = new LatencyRecorder()
    expect(r.valueAtPercentile(50)).toBe(0)
    expect(r.percentiles().max).toBe(0)
  })
})

it("recordZero records exactly what record(0) does", () => {
  const a = new LatencyRecorder()
  const b = new LatencyRecorder()
  for (const v of [0.003, 0, 0.0125, 0, 0, 1.5]) {
    a.record(v)
    if (v === 0) b.recordZero()
    else b.record(v)
  }
  expect(b.count).toBe(a.count)
  expect(b.percentiles()).toEqual(a.percentiles())
  expect(b.valueAtPercentile(10)).toBe(a.valueAtPercentile(10))
})

it("values past the int32 fast path (≥ 2000 s) still land in the right bucket", () => {
  const r = new LatencyRecorder()
  r.record(2500)
  // 2.5e9 µs, reported at 3 significant digits as the library does.
  expect(r.valueAtPercentile(100) / 1e6).toBeGreaterThan(2500 * 0.999)
  expect(r.valueAtPercentile(100) / 1e6).toBeLessThan(2500 * 1.001)
})

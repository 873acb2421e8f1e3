import { describe, expect, test } from "vitest"
import { meanInterval, studentTQuantile } from "../../sim/stats/confidence.ts"

describe("Student t quantile", () => {
  // Two-sided 95% critical values from any t table (3 decimals), and a few more digits where the
  // table gives them (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2).
  test.each([
    [1, 12.706], [2, 4.303], [3, 3.182], [4, 2.776], [5, 2.571], [9, 2.262], [10, 2.228],
    [29, 2.045], [30, 2.042], [100, 1.984],
  ])("t(0.975, %i) = %f", (df, expected) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(expected, 3)
  })

  test("matches closed forms to 1e-10: ν = 1 is Cauchy, ν = 2 is (2p − 1)/√(2p(1 − p))", () => {
    for (const p of [0.6, 0.9, 0.975, 0.995, 0.9999]) {
      expect(studentTQuantile(p, 1)).toBeCloseTo(Math.tan(Math.PI * (p - 0.5)), 10)
      expect(studentTQuantile(p, 2)).toBeCloseTo((2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 10)
    }
  })

  test("other levels, symmetry, and the normal limit", () => {
    expect(studentTQuantile(0.995, 4)).toBeCloseTo(4.604, 3)
    expect(studentTQuantile(0.9, 9)).toBeCloseTo(1.383, 3)
    expect(studentTQuantile(0.025, 4)).toBeCloseTo(-2.776, 3)
    expect(studentTQuantile(0.5, 7)).toBe(0)
    expect(studentTQuantile(0.975, 5000)).toBeCloseTo(1.95996, 3)
  })

  test("rejects what it cannot answer", () => {
    expect(() => studentTQuantile(0.975, 0)).toThrow(RangeError)
    expect(() => studentTQuantile(0.975, 2.5)).toThrow(RangeError)
    expect(() => studentTQuantile(1, 3)).toThrow(RangeError)
  })
})

describe("mean interval", () => {
  test("1…5: mean 3, s = √2.5, half-width t(0.975, 4)·s/√5", () => {
    const ci = meanInterval([1, 2, 3, 4, 5])
    expect(ci.mean).toBe(3)
    expect(ci.stdDev).toBeCloseTo(Math.sqrt(2.5), 12)
    // 2.7764451052 · 1.5811388301 / 2.2360679775
    expect(ci.halfWidth).toBeCloseTo(1.9632432, 6)
    expect(ci.low).toBeCloseTo(3 - 1.9632432, 6)
    expect(ci.high).toBeCloseTo(3 + 1.9632432, 6)
  })

  test("ten replication means of a latency", () => {
    const xs = [19.2, 20.1, 19.7, 19.5, 20.4, 19.9, 19.1, 20.0, 19.6, 19.8]
    const ci = meanInterval(xs)
    // mean 19.73, s² = Σ(x − 19.73)² / 9 = 1.441 / 9, half-width 2.262157·s/√10
    expect(ci.mean).toBeCloseTo(19.73, 10)
    expect(ci.stdDev).toBeCloseTo(Math.sqrt(1.441 / 9), 10)
    expect(ci.halfWidth).toBeCloseTo(2.2621572 * Math.sqrt(1.441 / 9) / Math.sqrt(10), 6)
  })

  test("one value has no interval; identical values have a zero-width one", () => {
    expect(meanInterval([4])).toEqual({ n: 1, mean: 4, stdDev: null, halfWidth: null, low: null, high: null })
    expect(meanInterval([1, 1, 1]).halfWidth).toBe(0)
  })
})

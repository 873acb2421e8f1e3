import seedrandom from "seedrandom"
import { describe, expect, test } from "vitest"
import { mser } from "../../sim/stats/mser.ts"

/** Each value repeated five times: one MSER-5 batch per value. */
const batches = (...zs: number[]) => zs.flatMap((z) => [z, z, z, z, z])

describe("MSER-5", () => {
  test("a step down after one batch is cut after that batch", () => {
    // Z = 10, 1, 1, 1 (m = 4, cuts d = 0…2):
    //   d = 0: mean 3.25, Σ(Z − mean)² = 6.75² + 3·2.25² = 60.75, / 4² = 3.797
    //   d = 1: 1, 1, 1 → 0;  d = 2: 0  → the smallest minimiser, d = 1
    expect(mser(batches(10, 1, 1, 1))).toEqual({ index: 5, batches: 1, totalBatches: 4, statistic: 0, atLimit: false })
  })

  test("the statistic by hand, and a minimum on the last cut considered is flagged", () => {
    // Z = 4, 2, 1, 3, 2, 2 (m = 6, cuts d = 0…3):
    //   d = 0: mean 7/3, SS = 16/3,  / 36 = 0.148
    //   d = 1: mean 2,   SS = 2,     / 25 = 0.080
    //   d = 2: mean 2,   SS = 2,     / 16 = 0.125
    //   d = 3: mean 7/3, SS = 2/3,   /  9 = 0.0741  ← minimum, and the last cut searched
    const r = mser(batches(4, 2, 1, 3, 2, 2))
    expect(r.index).toBe(15)
    expect(r.statistic).toBeCloseTo(2 / 27, 12)
    expect(r.atLimit).toBe(true)
    // a trailing partial batch (here three wild values) is ignored
    expect(mser([...batches(4, 2, 1, 3, 2, 2), 100, 100, 100])).toEqual(r)
  })

  test("batch means, not single values, decide: a spike inside a batch is averaged", () => {
    // batches 1 | 2 | 2 | 2 — with the first batch's mean 1 (values 5, 0, 0, 0, 0)
    expect(mser([5, 0, 0, 0, 0, ...batches(2, 2, 2)]).index).toBe(5)
  })

  test("a stationary series is not cut (much)", () => {
    const u = seedrandom.alea("mser-stationary")
    const noise = Array.from({ length: 1000 }, () => 10 + (u() - 0.5))
    expect(mser(noise).index).toBeLessThanOrEqual(50)
  })

  test("a transient then stationary noise: cut near the transient's end", () => {
    // 300 observations: a linear decay from 40 to 0 over the first 60, then uniform noise ±1
    // (sd 0.58) around 0 — like a queue draining after an empty-start overshoot.
    const u = seedrandom.alea("mser-transient")
    const series = Array.from({ length: 300 }, (_, t) => Math.max(0, 40 * (1 - t / 60)) + 2 * (u() - 0.5))
    const { index } = mser(series)
    expect(index).toBeGreaterThanOrEqual(50)
    expect(index).toBeLessThanOrEqual(70)
  })

  test("too short to batch twice: no cut", () => {
    expect(mser([5, 4, 3, 2, 1, 0, 0, 0, 0]).index).toBe(0)
    expect(mser([]).index).toBe(0)
  })
})

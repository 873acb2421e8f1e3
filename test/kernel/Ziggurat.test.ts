import { describe, expect, it } from "vitest"
import { RandomStreams } from "../../sim/kernel/Random.ts"
import { standardExponential } from "../../sim/kernel/Ziggurat.ts"

/** Where the ziggurat's tail starts: P(X > R) = e^−R. */
const R = 7.697117470131487

describe("standardExponential (ziggurat)", () => {
  // One million draws, fixed seed: tight enough to see a wrong layer table (each of the 256
  // layers holds ~0.4% of the mass), the wedges or the tail.
  const n = 1_000_000
  const u = new RandomStreams(2026).stream("ziggurat")
  const xs = new Float64Array(n)
  for (let i = 0; i < n; i++) xs[i] = standardExponential(u)

  it("has the exponential distribution function (Kolmogorov–Smirnov at the 0.1% level)", () => {
    const sorted = xs.slice().sort()
    let d = 0
    for (let i = 0; i < n; i++) {
      const f = 1 - Math.exp(-sorted[i])
      d = Math.max(d, (i + 1) / n - f, f - i / n)
    }
    expect(d * Math.sqrt(n)).toBeLessThan(1.95)
  })

  it("mean 1 and variance 1, within 4 standard errors", () => {
    let s = 0, s2 = 0
    for (const x of xs) {
      s += x
      s2 += x * x
    }
    const mean = s / n, variance = s2 / n - mean * mean
    // SE(mean) = 1/√n; Var(s²) ≈ (μ4 − σ⁴)/n = (9 − 1)/n for Exp(1).
    expect(Math.abs(mean - 1)).toBeLessThan(4 / Math.sqrt(n))
    expect(Math.abs(variance - 1)).toBeLessThan(4 * Math.sqrt(8 / n))
  })

  it("the tail: P(X > R) = e^−R and, memoryless, E[X − R | X > R] = 1", () => {
    let count = 0, excess = 0
    for (const x of xs) {
      if (x > R) {
        count++
        excess += x - R
      }
    }
    const p = Math.exp(-R)
    expect(Math.abs(count - n * p)).toBeLessThan(4 * Math.sqrt(n * p * (1 - p)))
    expect(Math.abs(excess / count - 1)).toBeLessThan(4 / Math.sqrt(count))
  })

  it("successive draws are uncorrelated (lag-1 correlation within 4/√n)", () => {
    let sxy = 0, sx = 0, sxx = 0
    for (let i = 0; i + 1 < n; i++) {
      sxy += xs[i] * xs[i + 1]
      sx += xs[i]
      sxx += xs[i] * xs[i]
    }
    const m = sx / (n - 1)
    const r = (sxy / (n - 1) - m * m) / (sxx / (n - 1) - m * m)
    expect(Math.abs(r)).toBeLessThan(4 / Math.sqrt(n))
  })

  it("never negative, and the same stream gives the same draws", () => {
    expect(Math.min(...xs.subarray(0, 100_000))).toBeGreaterThanOrEqual(0)
    const a = new RandomStreams(7).stream("same"), b = new RandomStreams(7).stream("same")
    for (let i = 0; i < 1000; i++) expect(standardExponential(a)).toBe(standardExponential(b))
  })
})

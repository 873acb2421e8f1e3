import { describe, expect, it } from "vitest"
import { moments, RandomStreams, sampler, type Uniform } from "../../sim/kernel/Random.ts"
import type { Dist } from "../../sim/scenario/Scenario.ts"

const draws = (u: () => number, n: number): number[] => Array.from({ length: n }, () => u())
const min = (xs: ReadonlyArray<number>) => xs.reduce((a, b) => Math.min(a, b), Infinity)
const max = (xs: ReadonlyArray<number>) => xs.reduce((a, b) => Math.max(a, b), -Infinity)

describe("RandomStreams", () => {
  it("a stream is reproducible from (seed, name)", () => {
    expect(draws(new RandomStreams(7).stream("service:a:cpu"), 1000)).toEqual(
      draws(new RandomStreams(7).stream("service:a:cpu"), 1000),
    )
  })

  it("different seeds and different names give different streams", () => {
    const a = draws(new RandomStreams(7).stream("x"), 20)
    expect(draws(new RandomStreams(8).stream("x"), 20)).not.toEqual(a)
    expect(draws(new RandomStreams(7).stream("y"), 20)).not.toEqual(a)
  })

  it("adding a stream does not change another stream's draws", () => {
    const alone = draws(new RandomStreams(3).stream("workload:ping:arrivals"), 500)
    const streams = new RandomStreams(3)
    const other = streams.stream("service:new:cpu")
    const target = streams.stream("workload:ping:arrivals")
    const interleaved: number[] = []
    for (let i = 0; i < 500; i++) {
      other()
      other()
      interleaved.push(target())
    }
    expect(interleaved).toEqual(alone)
  })

  it("draws lie in [0, 1) with mean 1/2 and variance 1/12", () => {
    const n = 200_000
    const xs = draws(new RandomStreams(11).stream("u"), n)
    expect(min(xs)).toBeGreaterThanOrEqual(0)
    expect(max(xs)).toBeLessThan(1)
    const { mean, variance } = sampleMoments(xs)
    // SE of the mean √(1/12/n) = 6.5e-4; of the variance √((1/80 − 1/144)/n) = 1.7e-4.
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n))
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(4 * Math.sqrt((1 / 80 - 1 / 144) / n))
  })
})

function sampleMoments(xs: ReadonlyArray<number>): { mean: number; variance: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1)
  return { mean, variance }
}

/** E[X^k] of each distribution, from its definition (lognormal: exp(kμ + k²σ²/2)). */
function rawMoment(d: Dist, k: number): number {
  switch (d.kind) {
    case "const":
      return d.value ** k
    case "exp": {
      let f = 1
      for (let i = 2; i <= k; i++) f *= i
      return f * d.mean ** k
    }
    case "uniform":
      return (d.max ** (k + 1) - d.min ** (k + 1)) / ((k + 1) * (d.max - d.min))
    case "lognormal": {
      const s2 = Math.log(1 + d.cv * d.cv)
      const mu = Math.log(d.mean) - s2 / 2
      return Math.exp(k * mu + (k * k * s2) / 2)
    }
  }
}

/** Mean, variance and fourth central moment from the raw moments. */
function theory(d: Dist): { mean: number; variance: number; mu4: number } {
  const [m1, m2, m3, m4] = [1, 2, 3, 4].map((k) => rawMoment(d, k))
  return {
    mean: m1,
    variance: m2 - m1 * m1,
    mu4: m4 - 4 * m1 * m3 + 6 * m1 * m1 * m2 - 3 * m1 ** 4,
  }
}

describe("sampler", () => {
  const n = 200_000
  const u = (name: string): Uniform => new RandomStreams(42).stream(name)

  // Each check allows 4 standard errors: SE(mean) = σ/√n, SE(variance) ≈ √((μ4 − σ⁴)/n).
  const cases: ReadonlyArray<[string, Dist]> = [
    ["exp", { kind: "exp", mean: 0.01 }],
    ["uniform", { kind: "uniform", min: 0.002, max: 0.006 }],
    ["lognormal cv 0.5", { kind: "lognormal", mean: 0.001, cv: 0.5 }],
  ]
  for (const [name, dist] of cases) {
    it(`${name}: sample mean and variance match the distribution's`, () => {
      const xs = draws(sampler(dist, u(name)), n)
      const t = theory(dist)
      const s = sampleMoments(xs)
      expect(Math.abs(s.mean - t.mean)).toBeLessThan(4 * Math.sqrt(t.variance / n))
      expect(Math.abs(s.variance - t.variance)).toBeLessThan(4 * Math.sqrt((t.mu4 - t.variance ** 2) / n))
      // `moments()` (used by analytic checks) agrees with the definition.
      expect(moments(dist).mean).toBeCloseTo(t.mean, 12)
      expect(moments(dist).scv).toBeCloseTo(t.variance / t.mean ** 2, 9)
    })
  }

  it("lognormal cv 2: sample mean matches, and log X is normal with the implied μ and σ", () => {
    // The variance of X itself has a huge fourth moment at cv 2, so check the log instead:
    // log X ~ N(μ, σ²) with σ² = ln(1 + cv²), μ = ln(mean) − σ²/2.
    const dist: Dist = { kind: "lognormal", mean: 0.001, cv: 2 }
    const xs = draws(sampler(dist, u("lognormal cv 2")), n)
    const s = sampleMoments(xs)
    expect(Math.abs(s.mean - 0.001)).toBeLessThan(4 * Math.sqrt(theory(dist).variance / n))
    const sigma2 = Math.log(5), mu = Math.log(0.001) - sigma2 / 2
    const logs = sampleMoments(xs.map(Math.log))
    expect(Math.abs(logs.mean - mu)).toBeLessThan(4 * Math.sqrt(sigma2 / n))
    // Normal: Var(s²) = 2σ⁴/(n − 1).
    expect(Math.abs(logs.variance - sigma2)).toBeLessThan(4 * Math.sqrt((2 * sigma2 * sigma2) / (n - 1)))
    expect(moments(dist)).toEqual({ mean: 0.001, scv: 4 })
  })

  it("exp: the distribution function is exponential (Kolmogorov–Smirnov at the 0.1% level)", () => {
    const m = 0.01
    const xs = draws(sampler({ kind: "exp", mean: m }, u("ks")), 20_000).sort((a, b) => a - b)
    let d = 0
    xs.forEach((x, i) => {
      const f = 1 - Math.exp(-x / m)
      d = Math.max(d, (i + 1) / xs.length - f, f - i / xs.length)
    })
    expect(d * Math.sqrt(xs.length)).toBeLessThan(1.95)
  })

  it("const returns the value, uniform stays within [min, max], every sample is positive", () => {
    expect(draws(sampler({ kind: "const", value: 0.003 }, u("c")), 10)).toEqual(Array(10).fill(0.003))
    const us = draws(sampler({ kind: "uniform", min: 0.002, max: 0.006 }, u("range")), 10_000)
    expect(min(us)).toBeGreaterThanOrEqual(0.002)
    expect(max(us)).toBeLessThanOrEqual(0.006)
    for (const dist of [{ kind: "exp", mean: 1 }, { kind: "lognormal", mean: 1, cv: 3 }] as Dist[]) {
      expect(min(draws(sampler(dist, u(dist.kind)), 10_000))).toBeGreaterThan(0)
    }
  })
})

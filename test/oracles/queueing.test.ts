import { describe, expect, it } from "vitest"
import { allenCunneenMgc, erlangB, erlangC, md1, mg1, mm1, mm1SojournQuantile, mmc, mmck, mmcWaitQuantile } from "./queueing.ts"

/** |actual − expected| ≤ rel·|expected|. */
const expectRel = (actual: number, expected: number, rel: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected))

describe("worked values", () => {
  it("M/M/8, λ = 720/s, exponential 10 ms: Wq = 8.769 ms, P(wait) = 0.7015", () => {
    const r = mmc(8, 720, 0.01)
    expect(r.wq * 1000).toBeCloseTo(8.769, 3)
    expect(r.pWait).toBeCloseTo(0.7015, 4)
    expect(r.w * 1000).toBeCloseTo(18.769, 3)
    expect(r.utilization).toBeCloseTo(0.9, 12)
  })

  it("M/D/1, λ = 500/s, 1 ms: Wq = 0.5 ms", () => {
    expect(md1(500, 0.001).wq * 1000).toBeCloseTo(0.5, 12)
  })

  it("Erlang B, c = 5, a = 5: 0.2849", () => {
    expect(erlangB(5, 5)).toBeCloseTo(0.2849, 4)
  })

  it("M/M/1, λ = 80/s, 10 ms: Wq = 40 ms, W = 50 ms, Lq = 3.2", () => {
    const r = mm1(80, 0.01)
    expect(r.wq).toBeCloseTo(0.04, 12)
    expect(r.w).toBeCloseTo(0.05, 12)
    expect(r.lq).toBeCloseTo(3.2, 12)
    expect(r.pWait).toBeCloseTo(0.8, 12)
  })

  it("Erlang B by the recursion equals the textbook sum (a^c/c!) / Σ a^k/k!", () => {
    for (const [c, a] of [[1, 0.5], [3, 2.2], [10, 7], [20, 25]]) {
      let term = 1, sum = 1
      for (let k = 1; k <= c; k++) { term *= a / k; sum += term }
      expectRel(erlangB(c, a), term / sum, 1e-12)
    }
  })

  it("Erlang B stays finite and in (0, 1) for large c (no a^c / c! overflow)", () => {
    const b = erlangB(2000, 1900)
    expect(b).toBeGreaterThan(0)
    expect(b).toBeLessThan(1)
    expect(erlangB(2000, 1900)).toBeLessThan(erlangB(1999, 1900))
  })
})

describe("internal consistency", () => {
  it("M/M/c with c = 1 is M/M/1", () => {
    const a = mmc(1, 70, 0.01), b = mm1(70, 0.01)
    expectRel(a.wq, b.wq, 1e-12)
    expectRel(a.pWait, b.pWait, 1e-12)
    expectRel(a.lq, b.lq, 1e-12)
  })

  it("P-K with exponential service (SCV 1) is M/M/1", () => {
    expectRel(mg1(600, 0.001, 1).wq, mm1(600, 0.001).wq, 1e-12)
  })

  it("M/D/1 waits half as long as M/M/1", () => {
    expectRel(md1(700, 0.001).wq, mm1(700, 0.001).wq / 2, 1e-12)
  })

  it("Allen–Cunneen is exact for M/M/c and reduces to P-K for c = 1", () => {
    expectRel(allenCunneenMgc(4, 320, 0.01, 1).wq, mmc(4, 320, 0.01).wq, 1e-12)
    expectRel(allenCunneenMgc(1, 600, 0.001, 0.25).wq, mg1(600, 0.001, 0.25).wq, 1e-12)
  })

  it("M/M/c/K with K → large converges to Erlang C", () => {
    const inf = mmc(8, 720, 0.01)
    const big = mmck(8, 8 + 2000, 720, 0.01)
    expect(big.blocking).toBeLessThan(1e-80)
    expectRel(big.wq, inf.wq, 1e-9)
    expectRel(big.lq, inf.lq, 1e-9)
    expectRel(big.pWait, inf.pWait, 1e-9)
    expectRel(big.utilization, 0.9, 1e-9)
  })

  it("M/M/c/K waits grow towards Erlang C as K grows", () => {
    const inf = mmc(4, 320, 0.01).wq
    let previous = 0
    for (const k of [5, 8, 16, 32, 64, 128]) {
      const wq = mmck(4, k, 320, 0.01).wq
      expect(wq).toBeGreaterThan(previous)
      expect(wq).toBeLessThan(inf)
      previous = wq
    }
  })

  it("M/M/c/c blocking equals Erlang B", () => {
    for (const [c, a] of [[1, 0.3], [5, 5], [12, 9.5], [50, 60]]) {
      const r = mmck(c, c, a, 1)
      expectRel(r.blocking, erlangB(c, a), 1e-12)
      expect(r.lq).toBe(0)
      expect(r.wq).toBe(0)
    }
  })

  it("M/M/c/K distribution sums to 1 and balances flows (λ·p_(n−1) = min(n, c)·μ·p_n)", () => {
    const lambda = 400, s = 0.01, c = 3, k = 9
    const r = mmck(c, k, lambda, s)
    expectRel(r.distribution.reduce((x, y) => x + y, 0), 1, 1e-12)
    for (let n = 1; n <= k; n++) {
      expectRel(lambda * r.distribution[n - 1], (Math.min(n, c) / s) * r.distribution[n], 1e-12)
    }
  })

  it("M/M/c/K obeys Little's law: L = Lq + λ_eff·E[S]", () => {
    const lambda = 300, s = 0.01, r = mmck(3, 8, lambda, s)
    expectRel(r.l, r.lq + lambda * (1 - r.blocking) * s, 1e-12)
  })

  it("M/M/c/K works in overload (ρ ≥ 1) and for big c without overflow", () => {
    const over = mmck(2, 6, 300, 0.01) // ρ = 1.5
    expect(over.blocking).toBeGreaterThan(0.3)
    expect(over.utilization).toBeLessThan(1)
    const huge = mmck(1000, 1100, 95000, 0.01)
    expect(Number.isFinite(huge.wq)).toBe(true)
    expectRel(huge.blocking + huge.distribution.slice(0, -1).reduce((x, y) => x + y, 0), 1, 1e-12)
  })

  it("Erlang C rejects an unstable load", () => {
    expect(() => erlangC(4, 4)).toThrow(RangeError)
    expect(() => mm1(100, 0.01)).toThrow(RangeError)
  })
})

describe("distributions of M/M/c waits", () => {
  it("M/M/c wait quantile is 0 below 1 − C and inverts P(Wq > t) = C·e^(−(cμ−λ)t) above", () => {
    const c = 8, lambda = 720, s = 0.01, pWait = erlangC(8, 7.2)
    expect(mmcWaitQuantile(c, lambda, s, 0.25)).toBe(0)
    for (const q of [0.5, 0.9, 0.99]) {
      const t = mmcWaitQuantile(c, lambda, s, q)
      expectRel(pWait * Math.exp(-(c / s - lambda) * t), 1 - q, 1e-12)
    }
    expect(mmcWaitQuantile(c, lambda, s, 0.5) * 1000).toBeCloseTo(4.233, 3)
  })

  it("M/M/1 sojourn median is ln 2 / (μ − λ)", () => {
    expectRel(mm1SojournQuantile(700, 0.001, 0.5), Math.LN2 / 300, 1e-12)
    expectRel(mm1SojournQuantile(80, 0.01, 0.99), Math.log(100) / 20, 1e-12)
  })
})

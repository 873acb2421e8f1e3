// Recovery of known demands by the utilisation regression, and its refusals. Data come from a
// stated ground truth (demands, background, Gaussian measurement noise); least-squares theory
// says the 95% intervals cover the truth 95% of the time, so over 300 seeded data sets (900
// intervals) the coverage must land in 90–98%.
import seedrandom from "seedrandom"
import { describe, expect, it } from "vitest"
import { fitDemands } from "../../sim/calibrate/regression.ts"

const TRUTH = { login: 0.004, sendmsg: 0.0012, file: 0.0007 } // CPU-seconds per request
const BACKGROUND = 0.8 // busy cores

function dataSet(seed: number, n = 30, noiseSd = 0.08) {
  const rng = seedrandom(`regression-${seed}`)
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng())
  const rates: Record<string, number[]> = { login: [], sendmsg: [], file: [] }
  const y: number[] = []
  for (let t = 0; t < n; t++) {
    const day = 1 + 0.6 * Math.sin((2 * Math.PI * t) / n)
    const login = 20 + 40 * rng()
    const sendmsg = 1500 * day * (0.8 + 0.4 * rng())
    const file = 150 * day * (0.5 + rng())
    rates.login.push(login); rates.sendmsg.push(sendmsg); rates.file.push(file)
    y.push(BACKGROUND + TRUTH.login * login + TRUTH.sendmsg * sendmsg + TRUTH.file * file + noiseSd * gauss())
  }
  return { rates, y }
}

describe("utilisation regression", () => {
  it("recovers known demands within their intervals, and the 95% intervals cover 90–98% of the time", () => {
    let covered = 0, total = 0
    for (let seed = 0; seed < 300; seed++) {
      const { rates, y } = dataSet(seed)
      const fit = fitDemands(rates, y)
      expect(fit.notes.filter((n) => !/non-negativity/.test(n))).toEqual([])
      for (const d of fit.demands) {
        total++
        const truth = TRUTH[d.name as keyof typeof TRUTH]
        if (d.lo <= truth && truth <= d.hi) covered++
      }
      if (seed === 0) {
        for (const d of fit.demands) expect(Math.abs(d.value - TRUTH[d.name as keyof typeof TRUTH])).toBeLessThan(2.5 * d.se)
        expect(fit.r2).toBeGreaterThan(0.9)
      }
    }
    const coverage = covered / total
    console.log(`regression recovery: 95% intervals covered the truth in ${covered} of ${total} (${(100 * coverage).toFixed(1)}%)`)
    expect(coverage).toBeGreaterThanOrEqual(0.9)
    expect(coverage).toBeLessThanOrEqual(0.98)
  })

  it("fits two kinds whose rates move together as their sum, and says so", () => {
    const { rates, y } = dataSet(1)
    const twin = rates.sendmsg.map((v) => v * 0.1)
    const y2 = y.map((v, t) => v + 0.01 * twin[t])
    const fit = fitDemands({ ...rates, receipt: twin }, y2)
    expect(fit.notes.some((n) => /sendmsg and receipt: their rates move together/.test(n))).toBe(true)
    const sum = fit.demands.find((d) => d.name === "sendmsg+receipt")!
    // the sum's demand per request is the mix-weighted mean: (1500·0.0012 + 150·0.01) / 1650
    const expected = (TRUTH.sendmsg * 1 + 0.01 * 0.1) / 1.1
    expect(sum.lo).toBeLessThanOrEqual(expected)
    expect(sum.hi).toBeGreaterThanOrEqual(expected)
  })

  it("refuses a kind whose rate is constant (it aliases the background)", () => {
    const { rates, y } = dataSet(2)
    const fit = fitDemands({ ...rates, ping: rates.login.map(() => 10) }, y)
    expect(fit.notes.some((n) => /ping: its rate hardly varies/.test(n))).toBe(true)
    expect(fit.demands.map((d) => d.name)).not.toContain("ping")
  })

  it("says how many intervals it needs when there are too few", () => {
    expect(() => fitDemands({ a: [1, 2, 3], b: [3, 1, 2] }, [1, 2, 3])).toThrow(/3 intervals for 3 unknowns .* need at least 5/)
  })
})

// Overload science: metastable failure and admission consistency, against the published models.
import { describe, expect, test } from "vitest"
import type { SimReport } from "../../sim/report/Report.ts"
import { loadScenarioFile } from "../../sim/scenario/load.ts"
import { simulate } from "../../sim/simulate.ts"

const run = (file: string, sets: ReadonlyArray<string> = []): SimReport => simulate(loadScenarioFile(file, sets)).report

describe("metastable failure (one server, μ = 10/s, λ = 8/s, 3 s timeout, 4 retries, 2× spike for 40 s)", () => {
  const goodput = (r: SimReport, from: number, to: number) => {
    const g = r.series.kinds.req.throughput
    const xs = r.series.t.map((t, i) => [t, g[i]] as const).filter(([t]) => t >= from && t < to)
    return xs.reduce((s, [, v]) => s + v, 0) / xs.length
  }
  const FILE = "scenarios/overload/metastable.yaml"
  const stuck = run(FILE)
  const budget = run(FILE, ["workload.req.call.retryBudget=10%"])
  const dropping = run(FILE, ["services.server.dropAfter=3s"])

  test("before the spike all three serve the offered 8/s", () => {
    // 800 requests in 100 s: Poisson sd ≈ 0.28/s, and ρ = 0.8 leaves e^-6 of waits past 3 s.
    for (const r of [stuck, budget, dropping]) expect(goodput(r, 0, 100)).toBeGreaterThan(7)
  })

  test("after the spike, retries and wasted work keep it collapsed: goodput near zero to the end", () => {
    expect(goodput(stuck, 200, 1500)).toBeLessThan(0.5)
  })

  test("a 10% retry budget, or dropping requests that waited past the timeout, lets it recover", () => {
    // Recovery means the offered 8/s is served again once the backlog has drained.
    expect(goodput(budget, 1300, 1500)).toBeGreaterThan(6.5)
    expect(goodput(dropping, 1300, 1500)).toBeGreaterThan(6.5)
  })
})

describe("admission consistency (DAGOR): an entry calls a saturated service x times, f = 2C", () => {
  const FILE = "scenarios/overload/admission.yaml"
  const x4 = "workload.req.call.calls=[{to: back}, {to: back}, {to: back}, {to: back}]"
  const C = 100
  const f = 200
  const success = (r: SimReport) => r.requests.req.ok / r.requests.req.issued
  /** Independent shedding: calls stop at the first reject; p solves f·(p + … + p^x) = admitted calls/s. */
  const independent = (x: number, admitted: number) => {
    let lo = 0, hi = 1
    for (let i = 0; i < 60; i++) {
      const p = (lo + hi) / 2
      let sum = 0
      for (let k = 1; k <= x; k++) sum += p ** k
      if (f * sum > admitted) hi = p
      else lo = p
    }
    return lo ** x
  }

  test("the model's numbers at full capacity: x = 2 → 0.25 vs 0.134, x = 4 → 0.125 vs 0.013", () => {
    expect(C / (2 * f)).toBeCloseTo(0.25, 3)
    expect(independent(2, C)).toBeCloseTo(0.134, 3)
    expect(C / (4 * f)).toBeCloseTo(0.125, 3)
    expect(independent(4, C)).toBeCloseTo(0.013, 3)
  })

  // The fast-reject controller (−5 points fast, +1 slowly) keeps the server below saturation, so
  // the oracle is the same model at the admitted rate the run measured: util × C calls/s.
  // 24,000 requests per run: for x = 2 over 1,000 successes (sd ≤ 3%), ±20% covers the controller's
  // sawtooth; for x = 4 random only ~50 succeed (Poisson sd ≈ 14%), hence 0.5–2×.
  for (const x of [2, 4]) {
    const sets = x === 4 ? [x4] : []
    const random = run(FILE, sets)
    const uin = run(FILE, [...sets, "services.back.fastReject.priority=uin"])

    test(`x = ${x}: admitting by uin priority keeps success near admitted / (x·f)`, () => {
      const admitted = uin.services.back.utilization * C
      expect(success(uin) / (admitted / (x * f))).toBeGreaterThan(0.8)
      expect(success(uin) / (admitted / (x * f))).toBeLessThan(1.2)
    })

    test(`x = ${x}: independent random shedding falls to the q^x of the model`, () => {
      const predicted = independent(x, random.services.back.utilization * C)
      expect(success(random) / predicted).toBeGreaterThan(x === 2 ? 0.8 : 0.5)
      expect(success(random) / predicted).toBeLessThan(x === 2 ? 1.2 : 2)
      expect(success(uin) / success(random)).toBeGreaterThan(x === 2 ? 2 : 10)
    })
  }
})

describe("client-side adaptive throttling (Google SRE, K = 2)", () => {
  const yaml = (throttle: string) => `
name: throttle
seed: 2
warmup: 30s
duration: 120s
hosts:
  app: { count: 1, cores: 1 }
services:
  server: { host: app, workers: 1, queue: 0, cpu: { const: 10ms } }   # accepts at most 100/s
workload:
  req:
    rate: 400/s
    call: { to: server ${throttle} }
`
  const load = async (text: string) => {
    const { parseScenarioText } = await import("../../sim/scenario/load.ts")
    return simulate(parseScenarioText(text, "throttle.yaml")).report
  }

  test("the backend then sees about K × accepts requests; the rest are rejected locally (-216)", async () => {
    const r = await load(yaml(", throttle: { k: 2, window: 2m }"))
    const reachedBackend = r.services.server.served + r.services.server.rejected
    const accepts = r.services.server.served
    // 48,000 requests in the window: the ratio's noise is well under 5%; ±15% allows the decaying window's lag.
    expect(reachedBackend / (2 * accepts)).toBeGreaterThan(0.85)
    expect(reachedBackend / (2 * accepts)).toBeLessThan(1.15)
    expect(r.requests.req.codes["-216"]).toBeGreaterThan(0)
    expect(r.resilience.clientRejects).toBeGreaterThan(0)
  })

  test("without it every request reaches the backend", async () => {
    const r = await load(yaml(""))
    // Service counts go by event time, request counts by arrival: they differ by the one or two at the window's edges.
    const backend = r.services.server.served + r.services.server.rejected
    expect(Math.abs(backend - r.requests.req.issued)).toBeLessThanOrEqual(3)
    expect(r.requests.req.codes["-216"]).toBeUndefined()
  })
})

/**
 * The engine against queueing theory.
 *
 * Method: every model is simulated as R = 10 independent replications (seeds base … base+9),
 * each with its own warm-up. The replications' spread gives the standard error of the mean of
 * every statistic without assuming anything about autocorrelation (the method of independent
 * replications — batch means with truly independent batches). A check passes when
 *   |mean over replications − theory| ≤ 4·SE,
 * which with 9 degrees of freedom a correct engine fails with probability ≈ 0.3% (t₉ tail at 4);
 * the seeds are fixed, so the outcome is reproducible. So that a broken engine cannot pass by
 * being noisy, each check also caps the SE itself: each check passes the relative SE of a
 * 10-replication mean measured in a pilot of 40 replications of the same run length (other
 * seeds; noted as "pilot SE" next to each block), and the measured SE may be at most 2.5× that.
 * (For normal replication means that is P(χ²₉ > 56) ≈ 1e-8; replication means of waits are
 * right-skewed, and one run's SE came out at 1.75× its pilot, hence the margin.) So the widest
 * tolerance any check can grant is 4 × 2.5 = 10 pilot SEs: 0.45% (M/M/8 utilization) to 15%
 * (M/M/8 wait p99).
 *
 * Report rounding (3 decimals of ms, 6 of utilization) and the histogram's 0.1% bucket
 * resolution for percentiles are far below every tolerance here.
 *
 * Set ORACLE_TABLE=1 to print measured relative errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { simulate } from "../../sim/simulate.ts"
import type { SimReport } from "../../sim/report/Report.ts"
import type { Dist, Scenario } from "../../sim/scenario/Scenario.ts"
import { erlangB, md1, mg1, mm1, mm1SojournQuantile, mmc as mmcTheory, mmck, mmcWaitQuantile } from "./queueing.ts"

const REPLICATIONS = 10
const T_LIMIT = 4
/** The measured SE may be at most this multiple of the pilot's. */
const SE_CAP = 2.5
const SLOW = 60_000

interface MmcOptions {
  readonly c: number
  readonly lambda: number
  readonly service: Dist
  /** InQueue capacity: `null` unbounded (M/G/c), `K − c` (M/G/c/K), `0` (loss). */
  readonly queue?: number | null
  readonly duration: number
  readonly warmup: number
  readonly seed: number
}

/** One host of c cores running one service with c workers: exactly M/G/c(/K). */
function mmc({ c, lambda, service, queue = null, duration, warmup, seed }: MmcOptions): Scenario {
  return {
    name: "oracle", seed, warmup, duration,
    hosts: { app: { count: 1, cores: c } },
    services: { server: { host: "app", workers: c, queue, cpu: service } },
    workload: { ping: { rate: lambda, to: "server" } },
    faults: [], seriesStep: null,
  }
}

/** The reports of R independent replications (seeds `seed` … `seed + R − 1`). */
function replicate(options: MmcOptions): SimReport[] {
  return Array.from({ length: REPLICATIONS }, (_, r) => simulate(mmc({ ...options, seed: options.seed + r })).report)
}

interface Estimate { readonly mean: number; readonly se: number }

/** Mean over replications and its standard error s/√R. */
function estimate(reports: ReadonlyArray<SimReport>, pick: (r: SimReport) => number): Estimate {
  const xs = reports.map(pick)
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1)
  return { mean, se: Math.sqrt(variance / xs.length) }
}

const table: Array<{ check: string; theory: number; measured: number; relErr: string; relSe: string; z: string; tolerance: string }> = []

/**
 * Asserts the estimate is within T_LIMIT standard errors of theory, and that its SE is at most
 * SE_CAP × `pilotRelSe`·|theory| (the runs are as precise as the pilot's, so the check is sharp).
 */
function expectTheory(check: string, est: Estimate, theory: number, pilotRelSe: number): void {
  const z = (est.mean - theory) / est.se
  table.push({
    check, theory, measured: est.mean,
    relErr: `${(((est.mean - theory) / theory) * 100).toFixed(3)}%`,
    relSe: `${((est.se / theory) * 100).toFixed(3)}%`,
    z: z.toFixed(2),
    tolerance: `±${(((T_LIMIT * est.se) / theory) * 100).toFixed(2)}%`,
  })
  expect(est.se, `${check}: SE ${est.se} exceeds its cap`).toBeLessThanOrEqual(SE_CAP * pilotRelSe * Math.abs(theory))
  expect(Math.abs(est.mean - theory), `${check}: ${est.mean} vs theory ${theory} (SE ${est.se})`)
    .toBeLessThanOrEqual(T_LIMIT * est.se)
}

afterAll(() => {
  if (process.env.ORACLE_TABLE) console.table(table)
})

const server = (r: SimReport) => r.services.server
const ping = (r: SimReport) => r.requests.ping
const wqSeconds = (r: SimReport) => server(r).queueWaitMs.mean / 1000
const wSeconds = (r: SimReport) => ping(r).latencyMs.mean / 1000
const lq = (r: SimReport) => server(r).queueDepth.mean
const utilization = (r: SimReport) => server(r).utilization
const blocking = (r: SimReport) => ping(r).rejected / ping(r).issued

describe("M/M/1, λ = 700/s, exponential 1 ms (ρ = 0.7)", () => {
  // 10 × 200 s ≈ 1.4 M customers. Pilot SE: Wq 0.59%, W 0.43%, Lq 0.62%, utilization 0.10%,
  // latency p50 0.37%, p99 0.89%.
  const theory = mm1(700, 0.001)
  let reports: SimReport[]
  beforeAll(() => {
    reports = replicate({ c: 1, lambda: 700, service: { kind: "exp", mean: 0.001 }, duration: 200, warmup: 5, seed: 100 })
  }, SLOW)

  it("mean InQueue wait is ρ/(μ − λ)", () => expectTheory("M/M/1 Wq", estimate(reports, wqSeconds), theory.wq, 0.0059))
  it("mean latency is 1/(μ − λ)", () => expectTheory("M/M/1 W", estimate(reports, wSeconds), theory.w, 0.0043))
  it("time-average InQueue depth is ρ²/(1 − ρ)", () => expectTheory("M/M/1 Lq", estimate(reports, lq), theory.lq, 0.0062))
  it("utilization is ρ", () => expectTheory("M/M/1 utilization", estimate(reports, utilization), theory.utilization, 0.001))
  it("latency median and p99 match the exponential sojourn time", () => {
    expectTheory("M/M/1 W p50", estimate(reports, (r) => ping(r).latencyMs.p50 / 1000), mm1SojournQuantile(700, 0.001, 0.5), 0.0037)
    expectTheory("M/M/1 W p99", estimate(reports, (r) => ping(r).latencyMs.p99 / 1000), mm1SojournQuantile(700, 0.001, 0.99), 0.0089)
  })
})

describe("M/M/4, λ = 320/s, exponential 10 ms (ρ = 0.8, Erlang C)", () => {
  // 10 × 600 s ≈ 1.9 M customers. Pilot SE: Wq 1.09%, W 0.49%, Lq 1.12%, utilization 0.09%.
  const theory = mmcTheory(4, 320, 0.01)
  let reports: SimReport[]
  beforeAll(() => {
    reports = replicate({ c: 4, lambda: 320, service: { kind: "exp", mean: 0.01 }, duration: 600, warmup: 10, seed: 200 })
  }, SLOW)

  it("mean InQueue wait is C(c, a)/(cμ − λ)", () => expectTheory("M/M/4 Wq", estimate(reports, wqSeconds), theory.wq, 0.0109))
  it("mean latency is Wq + 1/μ", () => expectTheory("M/M/4 W", estimate(reports, wSeconds), theory.w, 0.0049))
  it("time-average InQueue depth is λ·Wq", () => expectTheory("M/M/4 Lq", estimate(reports, lq), theory.lq, 0.0112))
  it("utilization is λ/(cμ)", () => expectTheory("M/M/4 utilization", estimate(reports, utilization), theory.utilization, 0.0009))
})

describe("M/M/8, λ = 720/s, exponential 10 ms (the worked example: ρ = 0.9)", () => {
  // 10 × 1000 s ≈ 7.2 M customers; ρ = 0.9 relaxes slowly, hence the long runs and 20 s warm-up.
  // Pilot SE (measured at 800 s, scaled by √(800/1000)): Wq 0.84%, W 0.40%, Lq 0.86%,
  // utilization 0.045%, wait p50 0.95%, wait p99 1.5%.
  const theory = mmcTheory(8, 720, 0.01)
  let reports: SimReport[]
  beforeAll(() => {
    reports = replicate({ c: 8, lambda: 720, service: { kind: "exp", mean: 0.01 }, duration: 1000, warmup: 20, seed: 300 })
  }, SLOW)

  it("mean InQueue wait is 8.769 ms", () => expectTheory("M/M/8 Wq", estimate(reports, wqSeconds), theory.wq, 0.0084))
  it("mean latency is 18.769 ms", () => expectTheory("M/M/8 W", estimate(reports, wSeconds), theory.w, 0.004))
  it("time-average InQueue depth is λ·Wq", () => expectTheory("M/M/8 Lq", estimate(reports, lq), theory.lq, 0.0086))
  it("utilization is 0.9", () => expectTheory("M/M/8 utilization", estimate(reports, utilization), theory.utilization, 0.00045))
  it("InQueue wait median and p99 follow P(Wq > t) = C·e^(−(cμ−λ)t)", () => {
    // p50 > 0 only because C = 0.7015 > 0.5: the median checks the probability of waiting too.
    const q = (p: number) => mmcWaitQuantile(8, 720, 0.01, p)
    expectTheory("M/M/8 Wq p50", estimate(reports, (r) => server(r).queueWaitMs.p50 / 1000), q(0.5), 0.0095)
    expectTheory("M/M/8 Wq p99", estimate(reports, (r) => server(r).queueWaitMs.p99 / 1000), q(0.99), 0.015)
  })
})

describe("M/D/1, λ = 500/s, constant 1 ms (ρ = 0.5)", () => {
  // 10 × 200 s ≈ 1 M customers. Pilot SE: Wq 0.38%, Lq 0.43%, utilization 0.09%.
  const theory = md1(500, 0.001)
  let reports: SimReport[]
  beforeAll(() => {
    reports = replicate({ c: 1, lambda: 500, service: { kind: "const", value: 0.001 }, duration: 200, warmup: 2, seed: 400 })
  }, SLOW)

  it("mean InQueue wait is 0.5 ms (P-K with E[S²] = E[S]²)", () => expectTheory("M/D/1 Wq", estimate(reports, wqSeconds), theory.wq, 0.0038))
  it("time-average InQueue depth is λ·Wq", () => expectTheory("M/D/1 Lq", estimate(reports, lq), theory.lq, 0.0043))
  it("utilization is ρ", () => expectTheory("M/D/1 utilization", estimate(reports, utilization), theory.utilization, 0.0009))
  it("latency is exactly wait + 1 ms", () => {
    // Constant service: W − Wq = 1 ms per customer, up to the report's 1 µs rounding of each mean.
    for (const r of reports) expect(Math.abs(ping(r).latencyMs.mean - server(r).queueWaitMs.mean - 1)).toBeLessThanOrEqual(0.0015)
  })
})

describe("M/G/1 by Pollaczek–Khinchine", () => {
  it("uniform [0.5, 1.5] ms service, λ = 700/s: Wq = λE[S²]/(2(1−ρ))", () => {
    // 10 × 200 s ≈ 1.4 M customers. Pilot SE: Wq 0.41%, Lq 0.45%, utilization 0.07%.
    const scv = (0.001 ** 2 / 12) / 0.001 ** 2
    const theory = mg1(700, 0.001, scv)
    const reports = replicate({ c: 1, lambda: 700, service: { kind: "uniform", min: 0.0005, max: 0.0015 }, duration: 200, warmup: 2, seed: 500 })
    expectTheory("M/U/1 Wq", estimate(reports, wqSeconds), theory.wq, 0.0041)
    expectTheory("M/U/1 Lq", estimate(reports, lq), theory.lq, 0.0045)
    expectTheory("M/U/1 utilization", estimate(reports, utilization), theory.utilization, 0.0007)
  }, SLOW)

  it("lognormal service (mean 1 ms, cv 1.5), λ = 600/s: Wq = λE[S²]/(2(1−ρ))", () => {
    // 10 × 300 s ≈ 1.8 M customers. The long right tail (E[S³] = 31.6 E[S]³) makes the wait
    // noisier. Pilot SE: Wq 1.06%, W 0.77%, utilization 0.13%.
    const theory = mg1(600, 0.001, 1.5 ** 2)
    const reports = replicate({ c: 1, lambda: 600, service: { kind: "lognormal", mean: 0.001, cv: 1.5 }, duration: 300, warmup: 2, seed: 600 })
    expectTheory("M/LN/1 Wq", estimate(reports, wqSeconds), theory.wq, 0.0106)
    expectTheory("M/LN/1 W", estimate(reports, wSeconds), theory.w, 0.0077)
    expectTheory("M/LN/1 utilization", estimate(reports, utilization), theory.utilization, 0.0013)
  }, SLOW)
})

describe("Erlang B loss system (queue: 0), c = 5, a = 5", () => {
  it("blocking = rejected/issued = B(5, 5) = 0.2849 with exponential service", () => {
    // 10 × 200 s ≈ 1 M arrivals. Pilot SE: blocking 0.20%, utilization 0.08%.
    const reports = replicate({ c: 5, lambda: 500, service: { kind: "exp", mean: 0.01 }, queue: 0, duration: 200, warmup: 1, seed: 700 })
    expectTheory("Erlang B (exp) blocking", estimate(reports, blocking), erlangB(5, 5), 0.002)
    expectTheory("Erlang B (exp) utilization", estimate(reports, utilization), (5 * (1 - erlangB(5, 5))) / 5, 0.0008)
    for (const r of reports) {
      expect(server(r).queueDepth.max).toBe(0)
      expect(ping(r).codes["-206"]).toBe(ping(r).rejected)
      expect(server(r).rejected).toBe(ping(r).rejected)
    }
  }, SLOW)

  it("blocking is insensitive to the service distribution (constant 10 ms: still 0.2849)", () => {
    // Same run length; pilot SE of blocking 0.16%.
    const reports = replicate({ c: 5, lambda: 500, service: { kind: "const", value: 0.01 }, queue: 0, duration: 200, warmup: 1, seed: 800 })
    expectTheory("Erlang B (const) blocking", estimate(reports, blocking), erlangB(5, 5), 0.0016)
  }, SLOW)
})

describe("M/M/c/K, c = 3, K = 8 (queue: 5), λ = 300/s, exponential 10 ms (ρ = 1)", () => {
  // 10 × 300 s ≈ 0.9 M arrivals. Pilot SE: blocking 0.56%, Wq 0.32%, Lq 0.31%, utilization 0.08%.
  const theory = mmck(3, 8, 300, 0.01)
  let reports: SimReport[]
  beforeAll(() => {
    reports = replicate({ c: 3, lambda: 300, service: { kind: "exp", mean: 0.01 }, queue: 5, duration: 300, warmup: 5, seed: 900 })
  }, SLOW)

  it("blocking = rejected/issued = p_K", () => expectTheory("M/M/3/8 blocking", estimate(reports, blocking), theory.blocking, 0.0056))
  it("mean InQueue wait of admitted requests is Lq/λ_eff", () => expectTheory("M/M/3/8 Wq", estimate(reports, wqSeconds), theory.wq, 0.0032))
  it("time-average InQueue depth is Σ (n − c)·p_n", () => expectTheory("M/M/3/8 Lq", estimate(reports, lq), theory.lq, 0.0031))
  it("utilization is λ(1 − p_K)/(cμ)", () => expectTheory("M/M/3/8 utilization", estimate(reports, utilization), theory.utilization, 0.0008))
  it("the InQueue never holds more than K − c", () => {
    for (const r of reports) expect(server(r).queueDepth.max).toBe(5)
  })
})

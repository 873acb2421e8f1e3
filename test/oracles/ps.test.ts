/**
 * `scheduling: ps` against M/G/1 processor-sharing theory. Under PS the mean response time is
 * E[S] / (1 − ρ) whatever the service distribution (insensitivity), where FIFO's grows with the
 * variance (Pollaczek–Khinchine): for ρ = 0.7 and E[S] = 1 ms, PS gives 3.333 ms for constant and
 * for lognormal cv 2 service alike, FIFO 2.167 ms and 6.833 ms. A job of size x stays x / (1 − ρ)
 * on average, so two request kinds of different sizes on one PS core keep that ratio.
 * Method as in engine.test.ts: 10 seeded replications, |mean − theory| ≤ 4 standard errors, and
 * the standard error itself bounded so a noisy engine cannot pass.
 */
import { describe, expect, it } from "vitest"
import { simulate } from "../../sim/simulate.ts"
import type { Dist, Scenario } from "../../sim/scenario/Scenario.ts"

const REPLICATIONS = 10

function mg1(service: Dist, lambda: number, scheduling: "fifo" | "ps", seed: number, duration: number): Scenario {
  return {
    name: "oracle-ps", seed, warmup: 5, duration,
    // Workers never bind: every request reaches the core at once, as runnable processes do.
    hosts: { app: { count: 1, cores: 1, scheduling } },
    services: { server: { host: "app", workers: 100_000, queue: null, cpu: service } },
    workload: { ping: { rate: lambda, to: "server" } },
    faults: [], seriesStep: null,
  }
}

/** Mean and standard error over replications of each kind's mean latency (ms). */
function replicate(make: (seed: number) => Scenario, kind: string): { mean: number; se: number; util: number } {
  const means: number[] = []
  let util = 0
  for (let r = 0; r < REPLICATIONS; r++) {
    const report = simulate(make(1000 + r)).report
    means.push(report.requests[kind].latencyMs.mean)
    util += report.hosts["app-1"].cpuUtil / REPLICATIONS
  }
  const mean = means.reduce((a, b) => a + b, 0) / REPLICATIONS
  const sd = Math.sqrt(means.reduce((a, b) => a + (b - mean) ** 2, 0) / (REPLICATIONS - 1))
  return { mean, se: sd / Math.sqrt(REPLICATIONS), util }
}

function expectTheory(m: { mean: number; se: number }, theory: number, maxRelSe: number): void {
  if (process.env.ORACLE_TABLE === "1") console.log(`theory ${theory.toFixed(4)} ms, measured ${m.mean.toFixed(4)} ms (${(((m.mean - theory) / theory) * 100).toFixed(2)}%), SE ${((m.se / theory) * 100).toFixed(2)}%`)
  expect(m.se / theory).toBeLessThan(maxRelSe)
  expect(Math.abs(m.mean - theory)).toBeLessThanOrEqual(4 * m.se)
}

describe("scheduling: ps (M/G/1-PS)", () => {
  const lambda = 700
  const es = 0.001
  const theory = (es / (1 - lambda * es)) * 1000 // 3.333 ms

  it("constant service: mean response E[S]/(1−ρ), not M/D/1's", () => {
    const m = replicate((seed) => mg1({ kind: "const", value: es }, lambda, "ps", seed, 100), "ping")
    expectTheory(m, theory, 0.02)
    expect(m.util).toBeCloseTo(0.7, 2)
    // FIFO on the same core is M/D/1: 2.167 ms, far outside the band above.
    const fifo = replicate((seed) => mg1({ kind: "const", value: es }, lambda, "fifo", seed, 100), "ping")
    expectTheory(fifo, (es + (lambda * es * es) / (2 * (1 - lambda * es))) * 1000, 0.02)
  })

  it("lognormal cv 2: the same mean (insensitivity), where FIFO's is twice as long", () => {
    const m = replicate((seed) => mg1({ kind: "lognormal", mean: es, cv: 2 }, lambda, "ps", seed, 200), "ping")
    expectTheory(m, theory, 0.03)
  })

  it("a job's mean response is its size over 1 − ρ: two sizes on one core keep their ratio", () => {
    // 350/s of 0.5 ms and 175/s of 2 ms: ρ = 0.525; theory 1.053 ms and 4.211 ms.
    const make = (seed: number): Scenario => ({
      name: "oracle-ps-two", seed, warmup: 5, duration: 100,
      hosts: { app: { count: 1, cores: 1, scheduling: "ps" } },
      services: {
        small: { host: "app", workers: 100_000, queue: null, cpu: { kind: "const", value: 0.0005 } },
        large: { host: "app", workers: 100_000, queue: null, cpu: { kind: "const", value: 0.002 } },
      },
      workload: { a: { rate: 350, to: "small" }, b: { rate: 175, to: "large" } },
      faults: [], seriesStep: null,
    })
    const rho = 350 * 0.0005 + 175 * 0.002
    expectTheory(replicate(make, "a"), (0.0005 / (1 - rho)) * 1000, 0.02)
    expectTheory(replicate(make, "b"), (0.002 / (1 - rho)) * 1000, 0.02)
  })
})

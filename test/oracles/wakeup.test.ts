/**
 * A service's `wakeup` against queueing theory: on one core, a request that finds the core idle
 * pays the wake-up on top of its CPU. That is Welch's M/G/1 with an exceptional first service
 * (Welch 1964): the first request of each busy period takes S0 = S + w. With ρ = λE[S] and
 * ρ0 = λE[S0], the core is idle with probability π0 = (1 − ρ)/(1 − ρ + ρ0), and the mean wait is
 *   E[W] = λE[S²] / (2(1 − ρ)) + λ(E[S0²] − E[S²]) / (2(1 − ρ + ρ0)).
 * For λ = 500/s, exponential S of 1 ms and w = 0.5 ms: π0 = 0.4, utilisation 0.6, E[W] = 1.25 ms,
 * and the response time E[W] + E[S] + wπ0 = 2.45 ms (PASTA: a share π0 of arrivals find it idle).
 * Without the wake-up the same core is M/M/1: utilisation 0.5 and 2 ms.
 */
import { describe, expect, it } from "vitest"
import { simulate } from "../../sim/simulate.ts"
import type { Scenario } from "../../sim/scenario/Scenario.ts"

const REPLICATIONS = 10
const LAMBDA = 500
const ES = 0.001
const W = 0.0005

const scenario = (seed: number, wakeup: number, scheduling: "fifo" | "ps", workers = 100_000): Scenario => ({
  name: "oracle-wakeup", seed, warmup: 5, duration: 100,
  hosts: { app: { count: 1, cores: 1, scheduling } },
  services: { server: { host: "app", workers, queue: null, cpu: { kind: "exp", mean: ES }, wakeup } },
  workload: { ping: { rate: LAMBDA, to: "server" } },
  faults: [], seriesStep: null,
})

function replicate(wakeup: number, scheduling: "fifo" | "ps", workers?: number): { mean: number; se: number; util: number } {
  const means: number[] = []
  let util = 0
  for (let r = 0; r < REPLICATIONS; r++) {
    const report = simulate(scenario(2000 + r, wakeup, scheduling, workers)).report
    means.push(report.requests.ping.latencyMs.mean)
    util += report.hosts["app-1"].cpuUtil / REPLICATIONS
  }
  const mean = means.reduce((a, b) => a + b, 0) / REPLICATIONS
  const sd = Math.sqrt(means.reduce((a, b) => a + (b - mean) ** 2, 0) / (REPLICATIONS - 1))
  return { mean, se: sd / Math.sqrt(REPLICATIONS), util }
}

describe("wakeup: the first request of a busy period pays it (Welch's M/G/1)", () => {
  const rho = LAMBDA * ES
  const rho0 = LAMBDA * (ES + W)
  const idle = (1 - rho) / (1 - rho + rho0)
  const es2 = 2 * ES * ES
  const es02 = es2 + 2 * ES * W + W * W
  const wait = (LAMBDA * es2) / (2 * (1 - rho)) + (LAMBDA * (es02 - es2)) / (2 * (1 - rho + rho0))
  const response = (wait + ES + W * idle) * 1000 // 2.45 ms

  it("FIFO: utilisation 1 − π0 and the mean response of Welch's formula", () => {
    const m = replicate(W, "fifo")
    expect(m.util).toBeCloseTo(1 - idle, 2) // 0.6, not M/M/1's 0.5
    expect(m.se / response).toBeLessThan(0.02)
    expect(Math.abs(m.mean - response)).toBeLessThanOrEqual(4 * m.se)
  })

  it("one worker: a request the busy worker takes from the InQueue does not pay it (the process never slept)", () => {
    // The same queue as above, waiting for the worker instead of the core: Welch's model again.
    // Charging every request that finds the core idle at its start would charge the queued ones
    // too (the core is idle for an instant between two requests) and give utilisation 0.75.
    const m = replicate(W, "fifo", 1)
    expect(m.util).toBeCloseTo(1 - idle, 2)
    expect(Math.abs(m.mean - response)).toBeLessThanOrEqual(4 * m.se)
  })

  it("the wake-up costs CPU only when the core is idle: PS uses the core as FIFO does", () => {
    // The idle probability depends only on the work brought per busy period, not on the order of service.
    expect(replicate(W, "ps").util).toBeCloseTo(1 - idle, 2)
  })

  it("no wake-up is M/M/1", () => {
    const m = replicate(0, "fifo")
    expect(m.util).toBeCloseTo(rho, 2)
    expect(Math.abs(m.mean - (ES / (1 - rho)) * 1000)).toBeLessThanOrEqual(4 * m.se)
  })
})

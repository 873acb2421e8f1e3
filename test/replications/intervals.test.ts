import { describe, expect, test } from "vitest"
import type { SimReport } from "../../sim/report/Report.ts"
import { convergence, keyMetrics, nextCount, replicationValues, replicationsReport, summarizeMetrics } from "../../sim/replications/intervals.ts"
import { replicationSeed } from "../../sim/replications/seeds.ts"
import { renderReplications } from "../../sim/replications/summary.ts"
import { sampleReport } from "../cli/sampleReport.ts"

/** The sample report with the ping kind's latency mean and ok count replaced. */
function withPing(mean: number, ok = 100, failed = 0): SimReport {
  const r = sampleReport()
  return { ...r, requests: { ping: { ...r.requests.ping, ok, failed, rejected: 0, latencyMs: { ...r.requests.ping.latencyMs, mean } } } }
}

describe("replication seeds", () => {
  test("replication 0 is the scenario's seed; the others are SplitMix64's outputs, top 53 bits", () => {
    expect(replicationSeed(7, 0)).toBe(7)
    // SplitMix64 seeded with 0: first output 0xE220A8397B1DCDAF (the reference implementation's)
    expect(replicationSeed(0, 1)).toBe(Number(0xe220a8397b1dcdafn >> 11n))
    expect(replicationSeed(1, 1)).toBe(5103132997656651)
  })

  test("no two (seed, replication) pairs share a seed, and each is a safe integer", () => {
    const seen = new Set<number>()
    for (let seed = 0; seed < 100; seed++) {
      for (let i = 0; i < 50; i++) {
        const s = replicationSeed(seed, i)
        expect(Number.isSafeInteger(s) && s >= 0).toBe(true)
        seen.add(s)
      }
    }
    expect(seen.size).toBe(100 * 50)
  })
})

describe("metrics over replications", () => {
  test("a replication's metrics are named as in SLOs, in report order", () => {
    const values = replicationValues(sampleReport())
    expect([...values.keys()]).toEqual([
      "ping.latency.mean", "ping.latency.p50", "ping.latency.p99", "ping.successRate", "ping.throughput",
      "server.utilization", "server.queueWait.mean", "server.queueDepth.mean", "app-1.cpu",
    ])
    expect(values.get("ping.latency.mean")).toBe(18.83)
    expect(values.get("ping.successRate")).toBeCloseTo(1297235 / 1297238, 12)
    expect(values.get("ping.throughput")).toBeCloseTo(1297235 / 1800, 9)
    expect(values.get("app-1.cpu")).toBe(0.901389)
  })

  test("the interval is over the replications that have a value; the block lists each value", () => {
    const reports = [withPing(10), withPing(12), withPing(0, 0, 5), withPing(14)]
    const metrics = summarizeMetrics(reports)
    const latency = metrics.get("ping.latency.mean")!
    expect(latency.values).toEqual([10, 12, null, 14])
    expect(latency.interval?.mean).toBe(12)
    // s = 2, t(0.975, 2) = 4.302653 → half-width 4.302653·2/√3
    expect(latency.interval?.halfWidth).toBeCloseTo((4.302653 * 2) / Math.sqrt(3), 5)
    const block = replicationsReport(metrics, [1, 2, 3, 4], undefined)
    expect(block.count).toBe(4)
    expect(block.metrics["ping.latency.mean"]).toEqual({ mean: 12, halfWidth: 4.96828, low: 7.03172, high: 16.9683, values: [10, 12, null, 14] })
  })

  test("key metrics are each kind's latency mean and success rate that some replication has", () => {
    const reports = [withPing(10), withPing(11)]
    expect(keyMetrics(reports, summarizeMetrics(reports))).toEqual(["ping.latency.mean", "ping.successRate"])
    const failing = [withPing(0, 0, 5), withPing(0, 0, 5)]
    expect(keyMetrics(failing, summarizeMetrics(failing))).toEqual(["ping.successRate"])
  })
})

describe("the precision rule", () => {
  test("converged when every half-width is below target × |mean|", () => {
    const reports = [withPing(10), withPing(10.2), withPing(9.8), withPing(10.1), withPing(9.9)]
    const metrics = summarizeMetrics(reports)
    const keys = keyMetrics(reports, metrics)
    // half-width t(0.975, 4)·0.158/√5 = 0.196: 1.96% of the mean
    expect(convergence(metrics, keys, 0.05)).toMatchObject({ converged: true, notConverged: [] })
    const tight = convergence(metrics, keys, 0.01)
    expect(tight.converged).toBe(false)
    expect(tight.notConverged).toEqual(["ping.latency.mean"])
    expect(tight.worstRatio).toBeCloseTo(0.19632 / 0.1, 3)
  })

  test("one replication has no interval: not converged", () => {
    const reports = [withPing(10)]
    const metrics = summarizeMetrics(reports)
    expect(convergence(metrics, keyMetrics(reports, metrics), 0.5)).toMatchObject({ converged: false, worstRatio: Infinity })
  })

  test("the next batch: n·ratio² replications, at least one per thread, at most doubling, never past the cap", () => {
    expect(nextCount(5, 1.5, 2, 50)).toBe(10)
    expect(nextCount(10, 1.1, 2, 50)).toBe(13)
    expect(nextCount(10, 1.01, 4, 50)).toBe(14)
    expect(nextCount(40, 3, 2, 50)).toBe(50)
    expect(nextCount(1, Infinity, 2, 50)).toBe(2)
  })
})

describe("the replications table", () => {
  test("a row per metric with mean, half-width and relative half-width, and the precision verdict", () => {
    const reports = [withPing(10), withPing(12), withPing(14)]
    const metrics = summarizeMetrics(reports)
    const text = renderReplications(replicationsReport(metrics, [1, 2, 3], {
      target: 0.05, maxReplications: 3, keyMetrics: ["ping.latency.mean", "ping.successRate"], converged: false,
      notConverged: ["ping.latency.mean"], batches: [2, 1],
    }), { color: false })
    expect(text).toContain("3 replications · 95% confidence intervals")
    // 12 ± 4.303·2/√3 = ± 4.97, 41.4% of the mean
    expect(text).toMatch(/ping\.latency\.mean\s+│\s+12\.00\s+│\s+5\.0\s+│\s+41\.4%\s+│ ms/)
    expect(text).toContain("precision 5%: not reached at the cap of 3 replications; did not converge: ping.latency.mean")
  })
})

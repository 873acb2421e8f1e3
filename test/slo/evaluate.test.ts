import { describe, expect, test } from "vitest"
import type { SimReport } from "../../sim/report/Report.ts"
import { evaluateSlos } from "../../sim/slo/evaluate.ts"
import { SloInput } from "../../sim/slo/schema.ts"
import type { SloResult } from "../../sim/slo/Slo.ts"

/**
 * A hand-made report: warm-up 10 s, window 20 s (the run ends at 30 s), series in 5 s steps
 * starting at 0, 5, 10, 15, 20, 25. Every expected value below is worked out from these numbers.
 */
const report = (): SimReport => ({
  scenario: "hand-made", seed: 1,
  window: { warmupS: 10, durationS: 20 },
  requests: {
    ping: {
      issued: 1010, ok: 1000, failed: 5, rejected: 5, inFlight: 0, codes: { "0": 1000, "-1": 5, "-206": 5 },
      latencyMs: { mean: 12, p50: 10, p90: 20, p95: 25, p99: 40, p999: 80, max: 120 },
    },
    idle: {
      issued: 0, ok: 0, failed: 0, rejected: 0, inFlight: 0, codes: {},
      latencyMs: { mean: Number.NaN, p50: Number.NaN, p90: Number.NaN, p95: Number.NaN, p99: Number.NaN, p999: Number.NaN, max: Number.NaN },
    },
  },
  services: {
    server: {
      served: 1000, rejected: 5, utilization: 0.6,
      queueWaitMs: { mean: 2, p50: 1, p99: 20, max: 50 },
      queueDepth: { mean: 3.5, max: 20 },
      check: { ready: 3.5, reserve: 1.2, qsize: 20 },
      instances: {},
    },
  },
  hosts: {
    "app-1": { class: "app", cores: 2, cpuUtil: 0.45, portsInUse: { mean: 45, max: 90, limit: 1000, failures: 0 } },
    "app-2": { class: "app", cores: 2, cpuUtil: 0.55, portsInUse: { mean: 40, max: 70, limit: 1000, failures: 0 } },
    "db-1": {
      class: "db", cores: 4, cpuUtil: 0.2,
      nicMbps: { in: { mean: 100, max: 300 }, out: { mean: 50, max: 80 }, limit: 1000 },
      diskMBps: { read: { mean: 10, max: 40 }, write: { mean: 20, max: 60 }, limit: { read: 100, write: 100 } },
    },
  },
  resilience: { retries: 18, shieldActivations: 2, fastRejects: 0, clientRejects: 3 },
  faults: [],
  series: {
    stepS: 5,
    t: [0, 5, 10, 15, 20, 25],
    kinds: {
      ping: {
        throughput: [10, 10, 50, 40, 0, 50],
        p50Ms: [5, 5, 8, 9, null, 7],
        p95Ms: [9, 9, 20, 25, null, 15],
        p99Ms: [12, 12, 35, 60, null, 25],
        failed: [0, 0, 0, 10, 5, 0],
        rejected: [0, 0, 0, 0, 5, 0],
      },
      idle: {
        throughput: [0, 0, 0, 0, 0, 0], p50Ms: [null, null, null, null, null, null], p95Ms: [null, null, null, null, null, null],
        p99Ms: [null, null, null, null, null, null], failed: [0, 0, 0, 0, 0, 0], rejected: [0, 0, 0, 0, 0, 0],
      },
    },
    services: { server: { utilization: [0.1, 0.1, 0.5, 0.9, 0.7, 0.3], queueDepth: [0, 0, 1, 12.5, 4, 0.5] } },
    hosts: {
      "app-1": { cpuUtil: [0.1, 0.1, 0.4, 0.8, 0.6, 0.2], ports: [10, 10, 30, 80, 50, 20] },
      "app-2": { cpuUtil: [0.1, 0.1, 0.5, 0.6, 0.9, 0.3], ports: [5, 5, 20, 60, 40, 10] },
      "db-1": {
        cpuUtil: [0.2, 0.2, 0.2, 0.2, 0.2, 0.2], nicInMbps: [50, 50, 100, 300, 20, 80], nicOutMbps: [10, 10, 50, 80, 30, 40],
        diskReadMBps: [0, 0, 10, 40, 0, 0], diskWriteMBps: [0, 0, 20, 60, 0, 0],
      },
    },
    resilience: { retries: [0, 0, 1, 2.4, 0.2, 0], fastRejects: [0, 0, 0, 0, 0, 0] },
  },
})

/** One SLO as a user writes it, checked against the hand-made report. */
const check = (input: Record<string, unknown>): SloResult => evaluateSlos(report(), [SloInput.parse(input)])[0]

describe("over the measured window, from the summary fields (exact)", () => {
  test("latency: `below` holds up to and including the threshold", () => {
    expect(check({ metric: "ping.latency.p99", below: "40ms" })).toEqual({
      metric: "ping.latency.p99", op: "below", threshold: 40, value: 40, unit: "ms", ok: true, verdict: "held",
    })
    expect(check({ metric: "ping.latency.p99", below: "39.9ms" })).toMatchObject({ value: 40, threshold: 39.9, ok: false })
    expect(check({ metric: "ping.latency.mean", below: "1ms" })).toMatchObject({ value: 12, ok: false })
    expect(check({ metric: "ping.latency.max", below: "0.1s" })).toMatchObject({ value: 120, threshold: 100, ok: false })
  })

  test("success rate is ok over the requests that finished", () => {
    expect(check({ metric: "ping.successRate", above: "99%" })).toMatchObject({ value: 1000 / 1010, threshold: 0.99, unit: "ratio", ok: true })
    expect(check({ metric: "ping.successRate", above: "99.5%" })).toMatchObject({ ok: false })
  })

  test("throughput, failed and rejected are per second of the window", () => {
    expect(check({ metric: "ping.throughput", above: "50/s" })).toMatchObject({ value: 50, unit: "/s", ok: true })
    expect(check({ metric: "ping.throughput", above: "51/s" })).toMatchObject({ value: 50, ok: false })
    expect(check({ metric: "ping.failed", below: "1/s" })).toMatchObject({ value: 0.25, ok: true })
    expect(check({ metric: "ping.rejected", below: 0 })).toMatchObject({ value: 0.25, ok: false })
  })

  test("service figures", () => {
    expect(check({ metric: "server.utilization", below: "60%" })).toMatchObject({ value: 0.6, ok: true })
    expect(check({ metric: "server.queueWait.p99", below: "10ms" })).toMatchObject({ value: 20, ok: false })
    expect(check({ metric: "server.queueDepth.max", below: 20 })).toMatchObject({ value: 20, unit: "count", ok: true })
  })

  test("a host class holds when every instance does; the worst instance is named", () => {
    expect(check({ metric: "app.cpu", below: "50%" })).toMatchObject({ value: 0.55, instance: "app-2", ok: false })
    expect(check({ metric: "app.cpu", above: "50%" })).toMatchObject({ value: 0.45, instance: "app-1", ok: false })
    expect(check({ metric: "app.cpu", below: "60%" })).toMatchObject({ value: 0.55, ok: true })
    const one = check({ metric: "app-1.cpu", below: "50%" })
    expect(one).toMatchObject({ value: 0.45, ok: true })
    expect(one.instance).toBeUndefined()
    expect(check({ metric: "app.ports", below: 80 })).toMatchObject({ value: 90, instance: "app-1", ok: false })
  })

  test("bandwidths compare in Mbps and disk rates in MB/s", () => {
    expect(check({ metric: "db-1.nic.in", below: "1Gbps" })).toMatchObject({ value: 100, threshold: 1000, unit: "Mbps", ok: true })
    expect(check({ metric: "db.nic.in.max", below: "250Mbps" })).toMatchObject({ value: 300, ok: false })
    expect(check({ metric: "db-1.disk.write", below: "80MB/s" })).toMatchObject({ value: 20, threshold: 80, unit: "MB/s", ok: true })
    expect(check({ metric: "db-1.disk.read.max", below: "30MB/s" })).toMatchObject({ value: 40, ok: false })
  })

  test("resilience counts", () => {
    expect(check({ metric: "resilience.retries", below: 10 })).toMatchObject({ value: 18, ok: false })
    expect(check({ metric: "resilience.shieldActivations", below: 2 })).toMatchObject({ value: 2, ok: true })
  })

  test("nothing to measure is a breach with a note, never a pass", () => {
    expect(check({ metric: "idle.latency.p99", below: "1s" })).toMatchObject({ value: null, ok: false, note: "no ok requests" })
    expect(check({ metric: "idle.successRate", above: "0%" })).toMatchObject({ value: null, ok: false, note: "no finished requests" })
  })
})

describe("verdicts against what the scenario expects", () => {
  // ping.latency.p99 is 40 ms; its success rate 1000/1010 = 99.0099%
  test("no expectation: held, or an unexpected breach", () => {
    expect(check({ metric: "ping.latency.p99", below: "50ms" })).toMatchObject({ ok: true, verdict: "held" })
    expect(check({ metric: "ping.latency.p99", below: "30ms" })).toMatchObject({ ok: false, verdict: "unexpected", why: "breached" })
  })

  test("expect: breach — a breach is expected, a hold is not", () => {
    expect(check({ metric: "ping.latency.p99", below: "30ms", expect: "breach" }))
      .toMatchObject({ ok: false, verdict: "expected", expect: { breach: true } })
    expect(check({ metric: "ping.latency.p99", below: "50ms", expect: "breach" }))
      .toMatchObject({ ok: true, verdict: "unexpected", why: "held; expected a breach" })
  })

  test("within: the value must also lie in the range, bounds included, in the report's unit", () => {
    expect(check({ metric: "ping.latency.p99", below: "30ms", expect: { breach: true, within: ["35ms", "40ms"] } }))
      .toMatchObject({ verdict: "expected", expect: { breach: true, within: [35, 40] } })
    expect(check({ metric: "ping.latency.p99", below: "30ms", expect: { breach: true, within: ["31ms", "39ms"] } }))
      .toMatchObject({ verdict: "unexpected", why: "breached at 40ms; expected within 31ms–39ms" })
    expect(check({ metric: "ping.successRate", above: "99.9%", expect: { breach: true, within: ["60%", "75%"] } }))
      .toMatchObject({ verdict: "unexpected", why: "breached at 99%; expected within 60%–75%" })
    expect(check({ metric: "ping.latency.p99", below: "50ms", expect: { breach: false, within: ["10ms", "20ms"] } }))
      .toMatchObject({ ok: true, verdict: "unexpected", why: "held at 40ms; expected within 10ms–20ms" })
    expect(check({ metric: "ping.latency.p99", below: "30ms", expect: "held" })).toMatchObject({ verdict: "unexpected", why: "breached" })
  })

  test("no data is a breach: expected without a range, unexpected with one", () => {
    const idle = (expect: unknown) => check({ metric: "idle.latency.p99", below: "1s", expect })
    expect(idle("breach")).toMatchObject({ value: null, verdict: "expected" })
    expect(idle({ breach: true, within: ["1s", "2s"] })).toMatchObject({ verdict: "unexpected", why: "no data; expected a value within 1s–2s" })
  })
})

describe("recovery from faults, from the series", () => {
  // ping's per-step success: 100%, 100%, 100%, 80% (15–20 s), 0% (20–25 s), 100%
  const faulted = (toS: number, healthy?: number) => (input: Record<string, unknown>): SloResult =>
    evaluateSlos({ ...report(), faults: [{ action: "host-down", target: ["app-1"], fromS: 15, toS }] },
      [{ ...SloInput.parse(input), ...(healthy === undefined ? {} : { recovery: { healthy } }) }])[0]

  test("impact, recovery after the fault's end, outage and dip, in the report's units", () => {
    const at = faulted(20)
    expect(at({ metric: "ping.impactS", below: "1s" })).toMatchObject({ value: 0, unit: "ms", ok: true })
    expect(at({ metric: "ping.recoveryS", below: "5s" })).toMatchObject({ value: 5000, ok: true })
    expect(at({ metric: "ping.recoveryS", below: "4s" })).toMatchObject({ value: 5000, ok: false })
    expect(at({ metric: "ping.outageS", below: "10s" })).toMatchObject({ value: 10000, ok: true })
    expect(at({ metric: "ping.dip", above: "50%" })).toMatchObject({ value: 0, unit: "ratio", ok: false })
    // idle has no traffic: all kinds together are ping's
    expect(at({ metric: "all.recoveryS", below: "5s" })).toMatchObject({ value: 5000, ok: true })
  })

  test("the threshold decides which steps count as impacted", () => {
    // at 70%, the 80% step is healthy: the impact comes one step later and the outage is one step long
    const at = faulted(20, 0.7)
    expect(at({ metric: "ping.impactS", below: "1s" })).toMatchObject({ value: 5000 })
    expect(at({ metric: "ping.outageS", below: "1s" })).toMatchObject({ value: 5000 })
  })

  test("not recovered by the end of the run is a breach with a note; no impact has no impactS", () => {
    expect(faulted(20)({ metric: "ping.recoveryS", below: "1m" })).toMatchObject({ value: 5000 })
    const late = evaluateSlos({ ...report(), series: { ...report().series, kinds: { ...report().series.kinds,
      ping: { ...report().series.kinds.ping, throughput: [10, 10, 50, 40, 0, 0], failed: [0, 0, 0, 10, 5, 10] } } },
    faults: [{ action: "host-down", target: ["app-1"], fromS: 15, toS: 20 }] }, [SloInput.parse({ metric: "ping.recoveryS", below: "1m" })])[0]
    expect(late).toMatchObject({ value: null, ok: false, note: "still below 99% at the end of the run after host-down app-1" })
    expect(evaluateSlos({ ...report(), faults: [{ action: "host-down", target: ["app-1"], fromS: 25, toS: 30 }] },
      [SloInput.parse({ metric: "ping.impactS", below: "1m" })])[0]).toMatchObject({ value: null, note: "no step below 99%: no impact" })
  })
})

describe("during a range, from the series", () => {
  const during = (from: string, to: string) => ({ during: { from, to } })

  test("time averages over whole steps are exact", () => {
    const r = check({ metric: "server.utilization", below: "70%", ...during("10s", "20s") })
    expect(r).toMatchObject({ value: 0.7, ok: true, during: { fromS: 10, toS: 20 } })
    expect(r.approximate).toBeUndefined()
  })

  test("a range that cuts a step weights it by its overlap and says it is approximate", () => {
    // 3 s of the 0.5 step and 5 s of the 0.9 step
    expect(check({ metric: "server.utilization", below: "70%", ...during("12s", "20s") }))
      .toMatchObject({ value: (0.5 * 3 + 0.9 * 5) / 8, ok: false, approximate: true })
  })

  test("a range can reach into the warm-up", () => {
    expect(check({ metric: "server.utilization", below: "10%", ...during("0s", "10s") })).toMatchObject({ value: 0.1, ok: true })
  })

  test("a percentile over several steps is the worst step's: max for below, min for above", () => {
    // per-step p99 from 10 s: 35, 60, (no ok requests), 25
    expect(check({ metric: "ping.latency.p99", below: "50ms", ...during("10s", "30s") }))
      .toMatchObject({ value: 60, ok: false, approximate: true })
    expect(check({ metric: "ping.latency.p99", above: "20ms", ...during("10s", "30s") }))
      .toMatchObject({ value: 25, ok: true, approximate: true })
    expect(check({ metric: "ping.latency.p50", below: "10ms", ...during("10s", "15s") })).toEqual({
      metric: "ping.latency.p50", op: "below", threshold: 10, value: 8, unit: "ms", ok: true, during: { fromS: 10, toS: 15 }, verdict: "held",
    })
  })

  test("success rate from per-step ok, failed and rejected rates", () => {
    // ok 40×5 + 0×5 = 200; failed and rejected (10 + 0 + 5 + 5)×5 = 100
    expect(check({ metric: "ping.successRate", above: "66%", ...during("15s", "25s") }))
      .toMatchObject({ value: 200 / 300, ok: true })
    expect(check({ metric: "ping.successRate", above: "67%", ...during("15s", "25s") })).toMatchObject({ ok: false })
  })

  test("counts add up rates times step widths", () => {
    expect(check({ metric: "resilience.retries", below: 18, ...during("10s", "25s") })).toMatchObject({ value: 18, ok: true })
    expect(check({ metric: "resilience.retries", below: 17, ...during("10s", "25s") })).toMatchObject({ value: 18, ok: false })
  })

  test("a range with no ok requests has no latency: a breach", () => {
    expect(check({ metric: "ping.latency.p99", below: "1s", ...during("20s", "25s") }))
      .toMatchObject({ value: null, ok: false, note: "no ok requests in the range" })
  })

  test("a peak from step averages is approximate; the largest step of NIC traffic is exact", () => {
    expect(check({ metric: "server.queueDepth.max", below: 10, ...during("10s", "30s") }))
      .toMatchObject({ value: 12.5, ok: false, approximate: true })
    const nic = check({ metric: "db-1.nic.in.max", below: "250Mbps", ...during("20s", "30s") })
    expect(nic).toMatchObject({ value: 80, ok: true })
    expect(nic.approximate).toBeUndefined()
  })
})

describe("every interval", () => {
  test("every interval of the window must hold; the worst interval and instance are reported", () => {
    // worst instance per 5 s interval from 10 s: 0.5, 0.8 (app-1), 0.9 (app-2), 0.3
    expect(check({ metric: "app.cpu", below: "70%", every: "5s" })).toMatchObject({
      value: 0.9, ok: false, everyS: 5, worstAt: { fromS: 20, toS: 25 }, instance: "app-2",
    })
    expect(check({ metric: "app.cpu", below: "95%", every: "5s" })).toMatchObject({ value: 0.9, ok: true })
  })

  test("longer intervals average their steps", () => {
    // [10, 20): app-1 0.6, app-2 0.55; [20, 30): app-1 0.4, app-2 0.6 — the first worst one is kept
    const r = check({ metric: "app.cpu", below: "60%", every: "10s" })
    expect(r).toMatchObject({ value: 0.6, ok: true, worstAt: { fromS: 10, toS: 20 }, instance: "app-1" })
    expect(r.approximate).toBeUndefined()
  })

  test("intervals with nothing to measure are skipped", () => {
    expect(check({ metric: "ping.latency.p99", below: "100ms", every: "5s" }))
      .toMatchObject({ value: 60, ok: true, worstAt: { fromS: 15, toS: 20 } })
  })

  test("counts per interval", () => {
    // retries per 5 s interval from 10 s: 5, 12, 1, 0
    expect(check({ metric: "resilience.retries", below: 10, every: "5s" }))
      .toMatchObject({ value: 12, ok: false, worstAt: { fromS: 15, toS: 20 } })
  })

  test("every inside during divides the range", () => {
    expect(check({ metric: "server.utilization", below: "60%", every: "5s", during: { from: "0s", to: "15s" } }))
      .toMatchObject({ value: 0.5, ok: true, worstAt: { fromS: 10, toS: 15 }, during: { fromS: 0, toS: 15 } })
  })

  test("intervals that cut steps are approximate", () => {
    expect(check({ metric: "server.utilization", below: "100%", every: "7s" })).toMatchObject({ approximate: true })
  })

  test("no interval with anything to measure is a breach", () => {
    expect(check({ metric: "idle.latency.p99", below: "1s", every: "5s" })).toMatchObject({ value: null, ok: false })
  })
})

test("one result per SLO, in order", () => {
  const results = evaluateSlos(report(), [
    SloInput.parse({ metric: "ping.latency.p99", below: "1s" }),
    SloInput.parse({ metric: "app.cpu", below: "1%" }),
  ])
  expect(results.map((r) => [r.metric, r.ok])).toEqual([["ping.latency.p99", true], ["app.cpu", false]])
})

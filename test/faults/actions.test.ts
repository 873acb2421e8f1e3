// Each fault action changes what it should and nothing else, on one small deterministic system.
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, test } from "vitest"
import type { SimReport } from "../../sim/report/Report.ts"
import { parseScenarioText } from "../../sim/scenario/load.ts"
import { simulate } from "../../sim/simulate.ts"

// Users reach `gw` on the edge hosts; `api` (by uin) calls `store` (a storage group, quorum 2);
// `notify` goes out through ss5 to an external push service; `push` is delivered to the user.
const BASE = `
name: faults
seed: 11
users: 2000
access: edge
duration: 60s
hosts:
  edge: { count: 2, cores: 8, nic: 1000Mbps, ports: 28232 }
  app: { count: 3, cores: 8, nic: 1000Mbps, disk: { write: 100MB/s, read: 100MB/s } }
services:
  gw: { host: edge, workers: 1000, cpu: { exp: 100us } }
  api: { host: app, workers: 100, cpu: { exp: 1ms } }
  store: { host: app, workers: 100, cpu: { exp: 200us } }
  ss5: { host: edge, workers: 100, cpu: { exp: 100us } }
workload:
  req:
    rate: 200/s
    connection: pooled
    call:
      to: gw
      route: user
      request: 1KB
      reply: 1KB
      timeout: 5s
      calls:
        - to: api
          route: uin
          tries: 3
          timeout: 2s       # longer than store's 500 ms: api can retry store within it
          request: 1KB
          reply: 1KB
          calls: [{ to: store, route: group, tries: 3, timeout: 500ms, quorum: 2, request: 1KB, disk: { write: 1KB } }]
  notify:
    rate: 50/s
    call: { to: ss5, external: { const: 100ms }, timeout: 5s }
  push:
    rate: 50/s
    call: { to: api, route: uin, timeout: 5s, calls: [{ to: gw, route: user, toClient: 1KB, timeout: 1s }] }
  login:
    rate: 1/s
    call: { to: gw, route: user, timeout: 5s }
`

const run = (faults: string, extra = "", file = "faults.yaml"): SimReport =>
  simulate(parseScenarioText(`${BASE}${extra}faults: ${faults}\n`, file)).report

const baseline = run("[]")
const codes = (r: SimReport, kind: string) => r.requests[kind].codes
/** A kind the fault does not touch: same arrivals and outcomes, latency within 2% (cores are shared). */
const untouched = (r: SimReport, kind: string) => {
  const a = r.requests[kind], b = baseline.requests[kind]
  expect([a.issued, a.ok, a.failed, a.rejected]).toEqual([b.issued, b.ok, b.failed, b.rejected])
  expect(Math.abs(a.latencyMs.mean - b.latencyMs.mean) / b.latencyMs.mean).toBeLessThan(0.02)
}
/** Mean of a per-step series over [from, to) seconds, skipping empty steps. */
const meanOver = (r: SimReport, values: ReadonlyArray<number | null>, from: number, to: number) => {
  const xs = r.series.t.map((t, i) => [t, values[i]] as const).filter(([t, v]) => t >= from && t < to && v !== null)
  return xs.reduce((s, [, v]) => s + (v as number), 0) / xs.length
}

describe("baseline", () => {
  test("every kind succeeds, nothing retried", () => {
    for (const kind of Object.values(baseline.requests)) expect(kind.failed + kind.rejected).toBe(0)
    expect(baseline.resilience.retries).toBe(0)
  })
})

describe("host-down and host-up", () => {
  test("an app host down: retries route around it, nothing fails, other kinds untouched", () => {
    const r = run("[{ at: 20s, for: 20s, action: host-down, target: app-1, factor: 1 }]")
    expect(r.requests.req.failed).toBe(0)
    expect(r.resilience.retries).toBeGreaterThan(0)
    expect(r.hosts["app-1"].downS).toBe(20)
    untouched(r, "notify")
  })

  test("a returning host starts cold: its CPU is slower for `ramp` after it is back", () => {
    const warm = run("[{ at: 10s, for: 10s, action: host-down, target: app, factor: 1 }]")
    const cold = run("[{ at: 10s, for: 10s, action: host-down, target: app, factor: 20, ramp: 20s }]")
    const p50 = (r: SimReport) => meanOver(r, r.series.kinds.req.p50Ms, 20, 30)
    // api's 1 ms of CPU runs up to 20× slower just after the return.
    expect(p50(cold)).toBeGreaterThan(p50(warm) + 3)
    expect(meanOver(cold, cold.series.kinds.req.p50Ms, 45, 60)).toBeCloseTo(meanOver(warm, warm.series.kinds.req.p50Ms, 45, 60), 0)
  })
})

describe("service-crash", () => {
  test("every api worker core-dumps: requests get the fast-reject code -218 during the crash only", () => {
    const r = run("[{ at: 20s, for: 10s, action: service-crash, target: api }]")
    expect(codes(r, "req")["-218"]).toBeGreaterThan(0)
    const failed = r.series.kinds.req.failed
    r.series.t.forEach((t, i) => {
      if (t < 20 || t >= 31) expect(failed[i]).toBe(0)
    })
    untouched(r, "notify")
  })
})

describe("nic-degrade, disk-slow, partition", () => {
  test("a NIC losing every message: calls to it time out and are retried elsewhere", () => {
    const r = run("[{ at: 20s, for: 10s, action: nic-degrade, target: app-1, loss: 100% }]")
    expect(r.resilience.retries).toBeGreaterThan(0)
    expect(r.requests.req.failed).toBe(0)
    // A lost try costs its timeout (500 ms to store, 2 s to api).
    expect(r.requests.req.latencyMs.max).toBeGreaterThan(500)
  })

  test("a NIC cut to 0.1% (1 Mbps) delays every 1 KB message by ~8 ms", () => {
    const r = run("[{ at: 0s, action: nic-degrade, target: app, bandwidth: 0.1% }]")
    expect(r.requests.req.latencyMs.mean).toBeGreaterThan(baseline.requests.req.latencyMs.mean + 8)
    expect(r.requests.notify.latencyMs.mean).toBeCloseTo(baseline.requests.notify.latencyMs.mean, 0)
  })

  test("disks 1000× slower: a 1 KB write takes ~10 ms", () => {
    const r = run("[{ at: 0s, action: disk-slow, target: app, factor: 1000 }]")
    expect(r.requests.req.latencyMs.mean).toBeGreaterThan(baseline.requests.req.latencyMs.mean + 9)
    untouched(r, "notify")
  })

  test("a partition between edge and app: tries wait out the connect timeout (no RST) and fail (-201); login, edge-only, is untouched", () => {
    const r = run("[{ at: 20s, for: 10s, action: partition, target: edge, peer: app }]")
    expect(codes(r, "req")["-201"]).toBeGreaterThan(0)
    expect(r.requests.login.failed).toBe(0)
  })
})

describe("push-outage and long-conn-blocked", () => {
  test("vendor push unreachable: notify fails with -203, req does not", () => {
    const r = run("[{ at: 20s, for: 10s, action: push-outage, target: ss5 }]")
    expect(codes(r, "notify")["-203"]).toBeGreaterThan(0)
    expect(r.requests.req.failed).toBe(0)
  })

  test("long connections blocked: pushes arrive at the next 30 s poll, in batches", () => {
    const r = run("[{ at: 0s, action: long-conn-blocked, interval: 30s }]")
    // Delivery waits for a poll: on average half the interval (15 s), at most the interval.
    expect(r.requests.push.latencyMs.mean).toBeGreaterThan(12_000)
    expect(r.requests.push.latencyMs.max).toBeLessThanOrEqual(30_100)
    expect(r.requests.req.latencyMs.mean).toBeCloseTo(baseline.requests.req.latencyMs.mean, 0)
  })
})

describe("shield and config", () => {
  test("an operator's global shield: nobody calls api on app-1, and no try is wasted", () => {
    const r = run("[{ at: 0s, action: shield, target: api, hosts: app-1 }]")
    expect(r.services.api.instances["app-1"].served).toBe(0)
    expect(r.resilience.retries).toBe(0)
    expect(r.requests.req.failed).toBe(0)
  })

  test("a 50% shield halves what app-1 gets", () => {
    const r = run("[{ at: 0s, action: shield, target: api, hosts: app-1, percent: 50% }]")
    const ratio = r.services.api.instances["app-1"].served / baseline.services.api.instances["app-1"].served
    expect(ratio).toBeGreaterThan(0.4)
    expect(ratio).toBeLessThan(0.6)
  })

  test("config: one try instead of three makes a host-down visible as failures", () => {
    const down = "{ at: 20s, for: 20s, action: host-down, target: app-1, factor: 1 }"
    const oneTry = run(`[${down}, { at: 0s, action: config, target: api, tries: 1 }]`)
    const threeTries = run(`[${down}]`)
    expect(threeTries.requests.req.failed).toBe(0)
    expect(oneTry.requests.req.failed).toBeGreaterThan(0)
  })
})

describe("load, login-storm, replay", () => {
  // Poisson counts: 12,000 expected → sd 0.9%; ±4% is over 4 sd.
  test("load × 2 for 20 s of 60: 16,000 requests instead of 12,000", () => {
    const r = run("[{ at: 20s, for: 20s, action: load, target: req, factor: 2 }]")
    expect(r.requests.req.issued / 16_000).toBeGreaterThan(0.96)
    expect(r.requests.req.issued / 16_000).toBeLessThan(1.04)
    untouched(r, "notify")
  })

  test("a ramp from 1 to 3 over 20 s then held 20 s: 12,000 + 200 × (20 + 40) = 24,000", () => {
    const r = run("[{ at: 10s, for: 40s, action: load, target: req, factor: 3, ramp: 20s }]")
    expect(r.requests.req.issued / 24_000).toBeGreaterThan(0.96)
    expect(r.requests.req.issued / 24_000).toBeLessThan(1.04)
  })

  test("a login storm of 3,000 users in 10 s", () => {
    const r = run("[{ at: 20s, for: 10s, action: login-storm, users: 3000 }]")
    expect(r.requests.login.issued - baseline.requests.login.issued).toBeGreaterThan(2800)
    expect(r.requests.login.issued - baseline.requests.login.issued).toBeLessThan(3200)
  })

  test("replay of a CSV trace relative to the scenario file", () => {
    const dir = mkdtempSync(join(tmpdir(), "wwsim-replay-"))
    writeFileSync(join(dir, "trace.csv"), "seconds,multiplier\n0,1\n10,3\n20,1\n")
    const r = run("[{ at: 0s, action: replay, target: req, file: trace.csv }]", "", join(dir, "s.yaml"))
    // 200/s × (60 s + 2 × 10 s) = 16,000.
    expect(r.requests.req.issued / 16_000).toBeGreaterThan(0.96)
    expect(r.requests.req.issued / 16_000).toBeLessThan(1.04)
  })
})

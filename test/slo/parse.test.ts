import { describe, expect, test } from "vitest"
import { formatScenarioError, ScenarioInvalid } from "../../sim/scenario/errors.ts"
import { parseScenarioText } from "../../sim/scenario/load.ts"
import { METRICS, parseMetric } from "../../sim/slo/Slo.ts"

/** Lines 1–14; `slo:` entries start on line 15. */
const BASE = `name: slo-test
warmup: 10s
duration: 1m
hosts:
  app: { count: 2, cores: 2, nic: 1Gbps, ports: 1000, disk: { write: 100MB/s, read: 100MB/s } }
  db: { count: 1, cores: 4 }
services:
  server: { host: app, workers: 2, cpu: { exp: 10ms } }
  store: { host: db, workers: 4, cpu: { exp: 1ms } }
workload:
  ping:
    rate: 50/s
    to: server
slo:
`

const withSlo = (...entries: ReadonlyArray<string>) => BASE + entries.map((e) => `  - ${e}\n`).join("")

const slos = (...entries: ReadonlyArray<string>) => parseScenarioText(withSlo(...entries), "s.yaml").slo ?? []

function invalid(text: string, sets: ReadonlyArray<string> = []): ScenarioInvalid {
  try {
    parseScenarioText(text, "s.yaml", sets)
  } catch (e) {
    if (e instanceof ScenarioInvalid) return e
    throw e
  }
  throw new Error("expected ScenarioInvalid, but the scenario loaded")
}

/** A metric and a threshold in its unit, with the threshold in base units. */
const EVERY_FORM: ReadonlyArray<readonly [string, string, number]> = [
  ["ping.latency.mean", "20ms", 0.02],
  ["ping.latency.p50", "10ms", 0.01],
  ["ping.latency.p90", "30ms", 0.03],
  ["ping.latency.p95", "40ms", 0.04],
  ["ping.latency.p99", "200ms", 0.2],
  ["ping.latency.p999", "1s", 1],
  ["ping.latency.max", "2s", 2],
  ["ping.successRate", "99.9%", 0.999],
  ["ping.throughput", "40/s", 40],
  ["ping.failed", "1/m", 1 / 60],
  ["ping.rejected", "0", 0],
  ["server.utilization", "0.8", 0.8],
  ["server.queueWait.mean", "5ms", 0.005],
  ["server.queueWait.p50", "5ms", 0.005],
  ["server.queueWait.p99", "50ms", 0.05],
  ["server.queueWait.max", "100ms", 0.1],
  ["server.queueDepth.mean", "3", 3],
  ["server.queueDepth.max", "50", 50],
  ["app-1.cpu", "70%", 0.7],
  ["app.cpu", "70%", 0.7],
  ["db-1.cpu", "50%", 0.5],
  ["app-2.nic.in", "800Mbps", 8e8],
  ["app.nic.out", "1Gbps", 1e9],
  ["app.nic.in.max", "900Mbps", 9e8],
  ["app.nic.out.max", "900Mbps", 9e8],
  ["app-1.ports", "900", 900],
  ["app-1.ports.max", "900", 900],
  ["app.ports.mean", "500", 500],
  ["app.disk.read", "80MB/s", 8e7],
  ["app.disk.write", "80MB/s", 8e7],
  ["app-1.disk.read.max", "90MB/s", 9e7],
  ["app-1.disk.write.max", "90MB/s", 9e7],
  ["resilience.retries", "10", 10],
  ["resilience.fastRejects", "0", 0],
  ["resilience.shieldActivations", "0", 0],
  ["resilience.clientRejects", "5", 5],
  ["resilience.reconnects", "100", 100],
]

describe("SLO metrics", () => {
  test("every metric form of the grammar loads, with its threshold in base units", () => {
    const loaded = slos(...EVERY_FORM.map(([metric, threshold]) => `{ metric: ${metric}, below: ${threshold} }`))
    expect(loaded.map((s) => [s.metric, s.threshold])).toEqual(EVERY_FORM.map(([m, , base]) => [m, base]))
    expect(loaded.every((s) => s.op === "below" && s.during === null && s.every === null)).toBe(true)
  })

  test("the table of forms covers every metric definition", () => {
    // recovery metrics need a fault: loaded in their own test below
    const recovery = ["ping.impactS", "ping.recoveryS", "ping.outageS", "ping.dip"]
    const covered = new Set([...EVERY_FORM.map(([m]) => m), ...recovery].map((m) => {
      const p = parseMetric(m)
      return "ref" in p ? `${p.ref.scope}:${p.ref.property}` : m
    }))
    expect(METRICS.filter((d) => !covered.has(`${d.scope}:${d.property}`))).toEqual([])
  })

  test("the property decides the subject: a kind, a service, a host, or resilience", () => {
    expect(parseMetric("sendmsg.latency.p99")).toEqual({ ref: { scope: "kind", name: "sendmsg", property: "latency.p99" } })
    expect(parseMetric("wwlxkv.utilization")).toEqual({ ref: { scope: "service", name: "wwlxkv", property: "utilization" } })
    expect(parseMetric("logic-1.cpu")).toEqual({ ref: { scope: "host", name: "logic-1", property: "cpu" } })
    expect(parseMetric("resilience.retries")).toEqual({ ref: { scope: "resilience", name: "", property: "retries" } })
    // a kind may be called "resilience": the property says which is meant
    expect(parseMetric("resilience.latency.p99")).toEqual({ ref: { scope: "kind", name: "resilience", property: "latency.p99" } })
  })

  test("above, during and every are read with their units", () => {
    const [s] = slos("{ metric: ping.latency.p99, above: 1ms, during: { from: 20s, to: 1m }, every: 10s }")
    expect(s).toMatchObject({ op: "above", threshold: 0.001, during: { from: 20, to: 60 }, every: 10 })
  })

  test("expect: breach, held, or a range in the metric's unit", () => {
    const [a, b, c, d] = slos(
      "{ metric: ping.successRate, above: 99.9%, expect: breach }",
      "{ metric: ping.latency.p99, below: 1s, expect: held }",
      "{ metric: ping.successRate, above: 99.9%, expect: { breach: true, within: [60%, 75%] } }",
      "{ metric: ping.latency.p99, below: 1s, expect: { breach: false, within: [1ms, 500ms] } }",
    )
    expect([a.expect, b.expect, c.expect, d.expect]).toEqual([
      { breach: true, within: null }, null, { breach: true, within: [0.6, 0.75] }, { breach: false, within: [0.001, 0.5] },
    ])
    expect(slos("{ metric: ping.latency.p99, below: 1s }")[0].expect).toBeNull()
  })

  test("a scenario without slo has no slo field", () => {
    expect(parseScenarioText(BASE.replace("slo:\n", ""), "s.yaml").slo).toBeUndefined()
  })
})

describe("SLO errors come out as one line with file:line:col and the slo path", () => {
  test("a latency with a percentage is refused at slo.<i>.below", () => {
    const e = invalid(withSlo("{ metric: ping.latency.p99, below: 200ms }", "{ metric: ping.latency.p99, below: 99.9% }"))
    expect(e.path).toBe("slo.1.below")
    expect(e.line).toBe(16)
    expect(e.message).toBe('ping.latency.p99 needs a duration like 200ms or 1s, got "99.9%"')
  })

  test.each([
    ["ping.successRate", "200ms", "a ratio"],
    ["app-1.cpu", "70", "a ratio"],
    ["ping.throughput", "100", "a rate"],
    ["server.queueDepth.max", "50ms", "a plain number"],
    ["app-1.nic.in", "70%", "a bandwidth"],
    ["app-1.disk.read", "80Mbps", "a byte rate"],
    ["resilience.retries", "10/s", "a plain number"],
  ])("%s with %s needs %s", (metric, threshold, unit) => {
    const e = invalid(withSlo(`{ metric: ${metric}, below: ${threshold} }`))
    expect(e.path).toBe("slo.0.below")
    expect(e.line).toBe(15)
    expect(e.message).toContain(`${metric} needs ${unit}`)
  })

  test("an unknown request kind is an input error at slo.<i>.metric, never a silent pass", () => {
    const e = invalid(withSlo("{ metric: ping.latency.p99, below: 1s }", "{ metric: pong.latency.p99, below: 1s }"))
    expect(formatScenarioError(e)).toBe(
      'error: s.yaml:16:7 slo.1.metric: unknown request kind "pong" in pong.latency.p99; request kinds: ping')
  })

  test("an unknown service is an input error at slo.<i>.metric", () => {
    const e = invalid(withSlo("{ metric: cache.utilization, below: 50% }"))
    expect([e.path, e.line, e.column]).toEqual(["slo.0.metric", 15, 7])
    expect(e.message).toBe('unknown service "cache" in cache.utilization; services: server, store')
  })

  test("an unknown host class, or an instance past the class's count, is an input error", () => {
    expect(invalid(withSlo("{ metric: web.cpu, below: 50% }")).message)
      .toBe('unknown host "web" in web.cpu: not a host class (app, db) nor one of their instances')
    const e = invalid(withSlo("{ metric: app-1.cpu, below: 50% }", "{ metric: app-3.cpu, below: 50% }"))
    expect([e.path, e.line]).toEqual(["slo.1.metric", 16])
    expect(e.message).toBe('unknown host instance "app-3" in app-3.cpu: app has instances app-1 … app-2')
  })

  test("a host metric for a resource the class does not model is an input error", () => {
    const e = invalid(withSlo("{ metric: db-1.nic.in, below: 100Mbps }"))
    expect(e.path).toBe("slo.0.metric")
    expect(e.message).toBe("db-1.nic.in does not exist: host class db has no NIC modelled (hosts.db.nic)")
    expect(invalid(withSlo("{ metric: db.ports, below: 10 }")).message).toContain("no port limit modelled")
    expect(invalid(withSlo("{ metric: db.disk.write, below: 10MB/s }")).message).toContain("no disk modelled")
  })

  test("an unknown property lists the grammar and suggests a near metric", () => {
    const e = invalid(withSlo("{ metric: ping.latncy.p99, below: 1s }"))
    expect(e.path).toBe("slo.0.metric")
    expect(e.message).toMatch(/^unknown metric "ping\.latncy\.p99"; did you mean ping\.latency\.p99\? expected one of <kind>\.latency/)
    expect(invalid(withSlo("{ metric: ping, below: 1s }")).message).toMatch(/^unknown metric "ping"/)
  })

  test("exactly one of below and above", () => {
    expect(invalid(withSlo("{ metric: ping.latency.p99 }"))).toMatchObject({ path: "slo.0", line: 15 })
    expect(invalid(withSlo("{ metric: ping.latency.p99, below: 1s, above: 1ms }")).message).toMatch(/only one of/)
  })

  test("an expectation with the wrong unit, reversed bounds, or a range that contradicts it is refused at slo.<i>.expect", () => {
    const unit = invalid(withSlo("{ metric: ping.successRate, above: 99.9%, expect: { breach: true, within: [60ms, 75%] } }"))
    expect([unit.path, unit.line, unit.message]).toEqual(["slo.0.expect.within.0", 15, 'ping.successRate needs a ratio like 0.999 or a percentage like 99.9%, got "60ms"'])
    expect(invalid(withSlo("{ metric: ping.successRate, above: 99.9%, expect: { breach: true, within: [75%, 60%] } }")))
      .toMatchObject({ path: "slo.0.expect.within", message: 'expected low ≤ high, got ["75%", "60%"]' })
    expect(invalid(withSlo("{ metric: ping.successRate, above: 99.9%, expect: { breach: true, within: [99.95%, 100%] } }")).message)
      .toBe("a breach of ping.successRate above 99.9% is expected, but every value in [99.95%, 100%] holds it")
    expect(invalid(withSlo("{ metric: ping.latency.p99, below: 1s, expect: { breach: false, within: [2s, 3s] } }")).message)
      .toBe("ping.latency.p99 below 1s is expected to hold, but every value in [2s, 3s] breaches it")
    expect(invalid(withSlo("{ metric: ping.latency.p99, below: 1s, expect: brech }"))).toMatchObject({ path: "slo.0.expect" })
  })

  test("recovery metrics need a fault, name a kind or all, and cannot take during or every", () => {
    expect(invalid(withSlo("{ metric: ping.recoveryS, below: 30s }")).message)
      .toBe("ping.recoveryS measures recovery from a fault, and the scenario has no faults")
    const faulted = BASE.replace("slo:\n", "faults:\n  - { at: 20s, for: 10s, action: host-down, target: app-1 }\nslo:\n")
    const ok = parseScenarioText(`${faulted}  - { metric: all.recoveryS, below: 30s }\n  - { metric: ping.dip, above: 50% }\n` +
      "  - { metric: ping.impactS, below: 1s }\n  - { metric: ping.outageS, below: 1m }\n", "s.yaml")
    expect(ok.slo?.map((x) => [x.metric, x.threshold])).toEqual([["all.recoveryS", 30], ["ping.dip", 0.5], ["ping.impactS", 1], ["ping.outageS", 60]])
    expect(invalid(`${faulted}  - { metric: pong.outageS, below: 30s }\n`).message).toMatch(/^unknown request kind "pong"/)
    expect(invalid(`${faulted}  - { metric: ping.recoveryS, below: 30s, every: 10s }\n`).path).toBe("slo.0.every")
  })

  test("recovery.healthy sets the threshold of the scenario's recovery SLOs", () => {
    const faulted = BASE.replace("slo:\n", "faults:\n  - { at: 20s, for: 10s, action: host-down, target: app-1 }\nrecovery: { healthy: 99.9% }\nslo:\n")
    const s = parseScenarioText(`${faulted}  - { metric: ping.recoveryS, below: 30s }\n`, "s.yaml")
    expect([s.recovery?.healthy, s.slo?.[0].recovery?.healthy]).toEqual([0.999, 0.999])
  })

  test("recovery.p99 bounds latency for every kind or per kind; a kind it names must be a workload", () => {
    const faulted = (recovery: string) =>
      BASE.replace("slo:\n", `faults:\n  - { at: 20s, for: 10s, action: host-down, target: app-1 }\nrecovery: ${recovery}\nslo:\n`)
    const every = parseScenarioText(`${faulted("{ p99: 500ms }")}  - { metric: ping.recoveryS, below: 30s }\n`, "s.yaml")
    expect(every.recovery).toEqual({ healthy: 0.99, p99: 0.5 })
    expect(every.slo?.[0].recovery).toEqual({ healthy: 0.99, p99: 0.5 })
    const perKind = parseScenarioText(faulted("{ healthy: 95%, p99: { ping: 2s } }"), "s.yaml")
    expect(perKind.recovery).toEqual({ healthy: 0.95, p99: { ping: 2 } })
    expect(invalid(faulted("{ p99: { pong: 2s } }"))).toMatchObject({ path: "recovery.p99.pong" })
    expect(invalid(faulted("{ p99: { ping: fast } }")).path).toBe("recovery.p99.ping")
  })

  test("an unknown field in an SLO is refused", () => {
    expect(invalid(withSlo("{ metric: ping.latency.p99, belov: 1s }"))).toMatchObject({ path: "slo.0.belov" })
  })

  test("a metric the series cannot give is refused with during or every", () => {
    const e = invalid(withSlo("{ metric: ping.latency.mean, below: 1s, during: { from: 10s, to: 20s } }"))
    expect(e.path).toBe("slo.0.during")
    expect(e.message).toMatch(/can only be checked over the whole window/)
    expect(invalid(withSlo("{ metric: server.queueWait.p99, below: 1s, every: 10s }")).path).toBe("slo.0.every")
    expect(invalid(withSlo("{ metric: resilience.shieldActivations, below: 1, every: 10s }")).path).toBe("slo.0.every")
  })

  test("during must lie inside the run, warm-up included", () => {
    const late = invalid(withSlo("{ metric: ping.latency.p99, below: 1s, during: { from: 30s, to: 2m } }"))
    expect(late.path).toBe("slo.0.during.to")
    expect(late.message).toBe("the run ends at 70s (warm-up 10s + duration 1m); got 2m")
    expect(invalid(withSlo("{ metric: ping.latency.p99, below: 1s, during: { from: 30s, to: 20s } }")).message)
      .toMatch(/expected `to` after `from`/)
    // the warm-up is part of the run
    expect(slos("{ metric: ping.latency.p99, below: 1s, during: { from: 0, to: 10s } }")).toHaveLength(1)
  })

  test("every must be at least the series step and at most its range", () => {
    const short = invalid(withSlo("{ metric: app.cpu, below: 70%, every: 500ms }"))
    expect([short.path, short.message]).toEqual(["slo.0.every",
      "expected at least the series step (1s), got 500ms; a finer check needs a smaller series.step"])
    const finer = BASE.replace("slo:\n", "series: { step: 250ms }\nslo:\n") + "  - { metric: app.cpu, below: 70%, every: 500ms }\n"
    expect(parseScenarioText(finer, "s.yaml").slo?.[0].every).toBe(0.5)
    expect(invalid(withSlo("{ metric: app.cpu, below: 70%, every: 2m }")).message)
      .toBe("expected at most the length of the range it divides (1m), got 2m")
  })
})

describe("SLOs of a preset are checked against the expanded scenario", () => {
  const WECOM = `name: w
preset: wecom
users: 20000
duration: 1m
hosts:
  access: { count: 2 }
  logic: { count: 3 }
slo:
  - { metric: sendmsg.latency.p99, below: 200ms }
  - { metric: push.successRate, above: 99.9% }
  - { metric: logic-3.cpu, below: 70% }
  - { metric: wwlxkv.utilization, below: 70% }
  - { metric: access.ports, below: 28000 }
  - { metric: access-1.nic.out, below: 1Gbps }
`

  test("kinds, services and hosts the preset generates are known", () => {
    expect(parseScenarioText(WECOM, "w.yaml").slo?.map((s) => s.metric)).toEqual([
      "sendmsg.latency.p99", "push.successRate", "logic-3.cpu", "wwlxkv.utilization", "access.ports", "access-1.nic.out"])
  })

  test("a host the preset does not have is an input error with its line", () => {
    const e = invalid(WECOM + "  - { metric: logic-4.cpu, below: 70% }\n")
    expect(formatScenarioError(e)).toBe(
      'error: s.yaml:15:7 slo.6.metric: unknown host instance "logic-4" in logic-4.cpu: logic has instances logic-1 … logic-3')
    // a mixed deployment has no storage class
    expect(invalid(WECOM + "  - { metric: storage.cpu, below: 70% }\n").message).toMatch(/^unknown host "storage"/)
  })
})

describe("SLOs from --set", () => {
  test("are validated like the file's, and their errors name --set", () => {
    const e = invalid(BASE.replace("slo:\n", ""), ["slo=[{ metric: pong.latency.p99, below: 1s }]"])
    expect(formatScenarioError(e)).toBe('error: --set slo.0.metric: unknown request kind "pong" in pong.latency.p99; request kinds: ping')
  })
})

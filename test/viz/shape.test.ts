// The visualiser's data shaping: pure functions from a report to what the charts draw.
import { describe, expect, it } from "vitest"
import { faultBands, runEndS } from "../../viz/faults.ts"
import { clock, num, pct } from "../../viz/format.ts"
import { bins, heatRows } from "../../viz/heat.ts"
import { instanceLines, latencyLines, outcomeLines, peakIn, serviceLines, sumSeries } from "../../viz/lines.ts"
import { sloRows } from "../../viz/slo.ts"
import { resourceUse, topology } from "../../viz/topology.ts"
import { visibleRange, yDomain } from "../../viz/charts/lineChart.ts"
import { timeTicks } from "../../viz/charts/timeFrame.ts"
import { change } from "../../viz/charts/requestsTable.ts"
import { fixture, withChanges } from "./fixture.ts"

describe("latency lines", () => {
  it("are p50, p95 and p99 of one kind, aligned with series.t", () => {
    const lines = latencyLines(fixture, "ping")
    expect(lines.map((l) => l.id)).toEqual(["p50:ping", "p95:ping", "p99:ping"])
    expect(lines[2].y).toEqual(fixture.series.kinds.ping.p99Ms)
    expect(lines.every((l) => l.t === fixture.series.t)).toBe(true)
  })

  it("keep null steps (no ok request) as gaps", () => {
    expect(latencyLines(fixture, "pong")[0].y[1]).toBeNull()
  })

  it("append the baseline's lines, marked and relabelled", () => {
    const lines = latencyLines(fixture, "ping", fixture)
    expect(lines).toHaveLength(6)
    expect(lines.slice(3).every((l) => l.baseline === true && l.id.startsWith("baseline:"))).toBe(true)
    expect(lines[5].label).toBe("p99 (baseline)")
  })

  it("are empty for a kind the report does not have", () => {
    expect(latencyLines(fixture, "nope")).toEqual([])
  })
})

describe("outcome lines", () => {
  it("sum ok, rejected and failed over all kinds and add retries and fast rejects", () => {
    const lines = outcomeLines(fixture)
    expect(lines.map((l) => l.id)).toEqual(["ok", "rejected", "failed", "retries", "fastRejects"])
    expect(lines[0].y[0]).toBe(11)
    expect(lines[2].y[4]).toBe(3)
    expect(lines[3].y[5]).toBe(2)
  })

  it("sum only the chosen kinds", () => {
    expect(outcomeLines(fixture, ["pong"])[0].y[0]).toBe(1)
  })

  it("treat a missing array as zeros when summing", () => {
    expect(sumSeries(3, [[1, null, 2], undefined, [1, 1, 1]])).toEqual([2, 1, 3])
  })
})

describe("service lines", () => {
  it("draw one line per service that has the metric, colours kept by report order", () => {
    const palette = ["red", "blue"]
    expect(serviceLines(fixture, "queueDepth", palette).map((l) => [l.label, l.color])).toEqual([["front", "red"], ["back", "blue"]])
    expect(serviceLines(fixture, "passRate", palette).map((l) => [l.label, l.color])).toEqual([["back", "blue"]])
  })

  it("draw an MQ's backlog as one line per request kind that has one", () => {
    const ping = fixture.series.kinds.ping
    const withMq = { ...fixture, series: { ...fixture.series, kinds: { ...fixture.series.kinds, push: { ...ping, backlog: [0, 0, 5, 9, 4, 0, 0, 0, 0, 0] } } } }
    expect(serviceLines(fixture, "backlog", ["red", "blue"])).toEqual([])
    const lines = serviceLines(withMq, "backlog", ["red", "blue"])
    expect(lines.map((l) => l.label)).toEqual(["push"])
    expect(peakIn(lines[0], 0, 9)).toBe(9)
  })

  it("peak inside a time range ignores the rest", () => {
    const front = serviceLines(fixture, "queueDepth", ["red"])[0]
    expect(peakIn(front, 0, 3)).toBe(1)
    expect(peakIn(front, 0, 9)).toBe(6)
  })
})

describe("fault bands", () => {
  it("shade the warm-up and each fault window, labelled with action and targets", () => {
    expect(faultBands(fixture)).toEqual([
      { fromS: 0, toS: 2, label: "warm-up", kind: "warmup" },
      { fromS: 4, toS: 6, label: "host-down app-1", kind: "fault" },
      // steps 4 and 5: ping 5 ok of 10, pong 1 of 1 — 6/11 = 55% < 99%; back at 6 s, the fault's end
      { fromS: 4, toS: 6, label: "below 99% for 2 s · back 0 s after the fault ended", kind: "outage" },
    ])
  })

  it("shade an outage from the report's recovery figures, to the end of the run when it did not recover", () => {
    const r = withChanges((x) => Object.assign(x, { recovery: { healthy: 0.999, kinds: {}, all: [
      { fault: 0, impactS: 1, recoveredAtS: null, recoveryS: null, outageS: null, dip: 0.2, baseline: 1 },
    ] } }))
    expect(faultBands(r).at(-1)).toEqual({ fromS: 5, toS: 10, label: "below 99.9% to the end", kind: "outage" })
  })

  it("clip an open-ended or overlong fault to the end of the run", () => {
    const r = withChanges((x) => (x.faults = [{ action: "host-down", target: ["a", "b"], fromS: 8, toS: 99 }]))
    expect(runEndS(r)).toBe(10)
    expect(faultBands(r).at(-1)).toEqual({ fromS: 8, toS: 10, label: "host-down a, b", kind: "fault" })
  })

  it("leave out a report without faults or warm-up", () => {
    expect(faultBands(withChanges((x) => { delete x.faults; x.window.warmupS = 0 }))).toEqual([])
  })
})

describe("heatmap rows", () => {
  it("have one row per host with the metric, in report order", () => {
    expect(heatRows(fixture, "cpu", 100).map((r) => r.host)).toEqual(["edge-1", "app-1", "app-2"])
    expect(heatRows(fixture, "ports", 100).map((r) => r.host)).toEqual(["edge-1"])
    expect(heatRows(fixture, "disk", 100).map((r) => r.host)).toEqual(["app-1"])
  })

  it("give each cell the busiest step it covers, as a fraction of the host's limit", () => {
    const nic = heatRows(fixture, "nic", 5).find((r) => r.host === "edge-1")!
    expect(nic.cells).toHaveLength(5)
    expect(nic.cells[2]).toMatchObject({ i0: 4, i1: 6, fromS: 4, toS: 6, frac: 0.5, value: 500 })
    const disk = heatRows(fixture, "disk", 10)[0]
    expect(disk.cells[0].frac).toBe(0.5) // write 50 of 100 MB/s beats read 10 of 500
  })

  it("bin steps into near-equal consecutive ranges, never more than the steps", () => {
    expect(bins(5, 2)).toEqual([[0, 2], [2, 5]])
    expect(bins(3, 10)).toEqual([[0, 1], [1, 2], [2, 3]])
    expect(bins(0, 10)).toEqual([])
  })

  it("keep a one-hour series light: 1,800 steps become at most the columns asked for", () => {
    const n = 1800
    const long = withChanges((x) => {
      x.series.t = Array.from({ length: n }, (_, i) => i * 2)
      x.series.stepS = 2
      x.series.hosts = { "edge-1": { cpuUtil: Array.from({ length: n }, (_, i) => (i === 900 ? 1 : 0.1)) } }
    })
    const [row] = heatRows(long, "cpu", 300)
    expect(row.cells).toHaveLength(300)
    expect(Math.max(...row.cells.map((c) => c.frac))).toBe(1) // the one-step spike survives binning
  })
})

describe("topology", () => {
  it("has users then one tier per host class, hosts with the services on them", () => {
    const topo = topology(fixture)
    expect(topo.tiers.map((t) => t.name)).toEqual(["users", "edge", "app"])
    expect(topo.tiers[2].hosts.map((h) => [h.name, h.services])).toEqual([["app-1", ["back"]], ["app-2", ["back"]]])
  })

  it("colours a host by the resource closest to its limit", () => {
    expect(resourceUse(fixture.hosts["app-1"])).toEqual({ cpu: 0.6, nic: 0.04, disk: 0.5 })
    const topo = topology(fixture)
    expect(topo.tiers[1].hosts[0]).toMatchObject({ name: "edge-1", top: "ports", topFrac: 0.5 })
    expect(topo.tiers[2].hosts[0]).toMatchObject({ name: "app-1", top: "cpu", downS: 2 })
  })

  it("sizes the users edge by the users' traffic and later edges by NIC in, saying which", () => {
    const [users, inner] = topology(fixture).edges
    expect(users).toMatchObject({ from: 0, to: 1, mbps: 4 })
    expect(inner).toMatchObject({ from: 1, to: 2, mbps: 100 })
    expect(inner.basis).toContain("NIC in of app")
  })

  it("leaves an edge unsized when the report has nothing to size it by", () => {
    const r = withChanges((x) => {
      delete x.requests.ping.edgeMbps
      for (const h of Object.values(x.hosts) as Array<Record<string, unknown>>) delete h.nicMbps
    })
    expect(topology(r).edges.map((e) => e.mbps)).toEqual([null, null])
  })
})

describe("SLO rows", () => {
  it("are absent when the report has no SLOs", () => {
    expect(sloRows(fixture)).toBeUndefined()
  })

  it("show target, value in the SLO's unit, and where it was measured", () => {
    const r = withChanges((x) => (x.slo = [
      { metric: "ping.latency.p99", op: "below", threshold: 200, value: 20, unit: "ms", ok: true },
      { metric: "ping.successRate", op: "above", threshold: 0.999, value: 0.9, unit: "ratio", ok: false, during: { fromS: 4, toS: 6 } },
      { metric: "app.cpu", op: "below", threshold: 0.8, value: null, unit: "ratio", ok: false, instance: "app-2", note: "no data" },
    ]))
    expect(sloRows(r)).toEqual([
      { metric: "ping.latency.p99", target: "below 200 ms", value: "20 ms", scope: "window", ok: true, verdict: "held", verdictText: "✓ held" },
      { metric: "ping.successRate", target: "above 99.9%", value: "90%", scope: "during 0:04–0:06", ok: false, verdict: "unexpected", verdictText: "✗ breached" },
      { metric: "app.cpu", target: "below 80%", value: "none", scope: "on app-2; no data", ok: false, verdict: "unexpected", verdictText: "✗ breached" },
    ])
  })

  it("say what the scenario expects, and tell an expected breach from an unexpected verdict", () => {
    const r = withChanges((x) => (x.slo = [
      { metric: "ping.successRate", op: "above", threshold: 0.999, value: 0.62, unit: "ratio", ok: false,
        verdict: "expected", expect: { breach: true, within: [0.6, 0.75] } },
      { metric: "ping.latency.p99", op: "below", threshold: 200, value: 20, unit: "ms", ok: true,
        verdict: "unexpected", expect: { breach: true }, why: "held; expected a breach" },
    ]))
    expect(sloRows(r)!.map((row) => [row.target, row.verdict, row.verdictText])).toEqual([
      ["above 99.9% · expect breach within 60%–75%", "expected", "✓ breached as expected"],
      ["below 200 ms · expect breach", "unexpected", "✗ unexpected: held; expected a breach"],
    ])
  })
})

describe("axes and numbers", () => {
  it("put time ticks on whole minutes for a few minutes of run", () => {
    expect(timeTicks([0, 210], 4)).toEqual([0, 60, 120, 180])
  })

  it("draw one point beyond each edge of a zoomed range", () => {
    expect(visibleRange([0, 1, 2, 3, 4], [1.5, 2.5])).toEqual([1, 4])
    expect(visibleRange([0, 1, 2], [0, 2])).toEqual([0, 3])
  })

  it("scale y from 0 on linear axes and from the smallest positive value on log axes", () => {
    const l = latencyLines(fixture, "ping")
    expect(yDomain(l, [0, 9], "linear")).toEqual([0, 40])
    expect(yDomain(l, [0, 9], "log")).toEqual([4, 40])
    expect(yDomain(l, [0, 3], "log")).toEqual([4, 40]) // at least a decade
    expect(yDomain([], [0, 9], "linear")).toEqual([0, 1])
  })

  it("format numbers, fractions, clocks and changes compactly", () => {
    expect([num(1234), num(0.5), num(null), pct(0.0611), clock(75), clock(3725)]).toEqual(["1.23k", "0.5", "–", "6.11%", "1:15", "1:02:05"])
    expect([change(110, 100), change(97, 100), change(1, 0)]).toEqual(["+10%", "−3%", "–"])
  })
})

describe("per-instance queue depth", () => {
  it("instanceLines gives one line per instance when the report has them, none otherwise", () => {
    const base = { t: [0, 1], kinds: {}, hosts: {}, resilience: { retries: [], fastRejects: [] }, stepS: 1 }
    const report = {
      series: {
        ...base,
        services: {
          api: { queueDepth: [3, 4], utilization: [0, 0], instances: { "app-1": { queueDepth: [1, 1] }, "app-2": { queueDepth: [2, 3] } } },
          db: { queueDepth: [0, 0], utilization: [0, 0] },
        },
      },
    } as unknown as import("../../sim/report/Report.ts").Report
    const lines = instanceLines(report, "api", ["#000", "#111"])
    expect(lines.map((l) => [l.label, l.y])).toEqual([["api@app-1", [1, 1]], ["api@app-2", [2, 3]]])
    expect(instanceLines(report, "db", ["#000"])).toEqual([])
  })
})

// @vitest-environment jsdom
// The chart functions drawn into a DOM (jsdom) from the small fixed report: what each draws,
// how many, and that report names land as text.
import { beforeEach, describe, expect, it } from "vitest"
import { heatmap } from "../../viz/charts/heatmap.ts"
import { instanceTable } from "../../viz/charts/instanceTable.ts"
import { latencyChart } from "../../viz/charts/latencyChart.ts"
import { legend } from "../../viz/charts/legend.ts"
import { queueDepthChart } from "../../viz/charts/queueDepthChart.ts"
import { requestsTable } from "../../viz/charts/requestsTable.ts"
import { sloTable } from "../../viz/charts/sloTable.ts"
import { throughputChart } from "../../viz/charts/throughputChart.ts"
import { topologyChart } from "../../viz/charts/topologyChart.ts"
import { faultBands } from "../../viz/faults.ts"
import { fixture, withChanges } from "./fixture.ts"

const hostile = "<img src=x onerror=alert(1)>"
let el: HTMLDivElement
beforeEach(() => {
  document.body.innerHTML = ""
  el = document.createElement("div")
  document.body.append(el)
})

const time = { width: 800, domain: [0, 10] as const, bands: faultBands(fixture) }
const series = (sel: string) => [...el.querySelectorAll<SVGPathElement>(sel)]
const points = (p: Element) => Number(p.getAttribute("data-points"))

describe("latency chart", () => {
  it("draws p50, p95 and p99 for each kind in its own panel", () => {
    latencyChart(el, { report: fixture }, { ...time, height: 180, y: "log" })
    expect([...el.querySelectorAll(".panel")].map((p) => p.getAttribute("data-kind"))).toEqual(["ping", "pong"])
    expect(series(".panel[data-kind=ping] path.line").map((p) => p.getAttribute("data-series"))).toEqual(["p50:ping", "p95:ping", "p99:ping"])
    expect(series("path.line").every((p) => points(p) > 0 && (p.getAttribute("d") ?? "").startsWith("M"))).toBe(true)
  })

  it("counts only steps with ok requests as points", () => {
    latencyChart(el, { report: fixture }, { ...time, height: 180, y: "linear" })
    expect(points(el.querySelector('path[data-series="p99:pong"]')!)).toBe(7)
  })

  it("shades the warm-up and the fault window, and labels the fault", () => {
    latencyChart(el, { report: fixture }, { ...time, height: 180, y: "log" })
    const panel = el.querySelector(".panel[data-kind=ping]")!
    expect(panel.querySelectorAll("rect.band-fault")).toHaveLength(1)
    expect(panel.querySelectorAll("rect.band-warmup")).toHaveLength(1)
    expect(panel.querySelector(".band-label-fault")?.textContent).toBe("host-down app-1")
  })

  it("overlays the baseline's lines dashed beneath the candidate's", () => {
    latencyChart(el, { report: fixture, baseline: fixture }, { ...time, height: 180, y: "log" })
    const ids = series(".panel[data-kind=ping] path.line").map((p) => p.getAttribute("data-series"))
    expect(ids.slice(0, 3)).toEqual(["baseline:p50:ping", "baseline:p95:ping", "baseline:p99:ping"])
    expect(el.querySelectorAll("path.line-baseline")).toHaveLength(6)
  })

  it("draws only the zoomed range (plus a point either side)", () => {
    latencyChart(el, { report: fixture }, { ...time, domain: [3, 6], height: 180, y: "log" })
    expect(points(el.querySelector('path[data-series="p50:ping"]')!)).toBe(6)
  })
})

describe("throughput chart", () => {
  it("draws ok, rejected, failed, retries and fast rejects with a legend", () => {
    throughputChart(el, { report: fixture }, { ...time, height: 200, y: "linear" })
    expect(series("path.line").map((p) => p.getAttribute("data-series"))).toEqual(["ok", "rejected", "failed", "retries", "fastRejects"])
    expect(series("path.line").every((p) => points(p) === 10)).toBe(true)
    expect([...el.querySelectorAll(".legend-label")].map((e) => e.textContent)).toContain("failed /s")
  })

  it("hides an outcome and its baseline when toggled off", () => {
    throughputChart(el, { report: fixture, baseline: fixture }, { ...time, height: 200, y: "symlog", hidden: new Set(["ok"]) })
    const ids = series("path.line").map((p) => p.getAttribute("data-series"))
    expect(ids).not.toContain("ok")
    expect(ids).not.toContain("baseline:ok")
    expect(ids).toContain("baseline:failed")
  })
})

describe("queue depth chart", () => {
  it("draws one line per service", () => {
    queueDepthChart(el, { report: fixture }, { ...time, height: 200, metric: "queueDepth", y: "linear" })
    expect(series("path.line").map((p) => p.getAttribute("data-series"))).toEqual(["queueDepth:front", "queueDepth:back"])
  })

  it("draws pass rate only for services with fast reject", () => {
    queueDepthChart(el, { report: fixture }, { ...time, height: 200, metric: "passRate", y: "linear" })
    expect(series("path.line").map((p) => p.getAttribute("data-series"))).toEqual(["passRate:back"])
  })

  it("reports a legend click with the service name, and leaves hidden services out", () => {
    const clicked: string[] = []
    queueDepthChart(el, { report: fixture }, { ...time, height: 200, metric: "queueDepth", y: "linear", hidden: new Set(["front"]), onToggle: (s) => clicked.push(s) })
    expect(series("path.line").map((p) => p.getAttribute("data-series"))).toEqual(["queueDepth:back"])
    el.querySelector<HTMLElement>('.legend-item[data-id="front"]')!.click()
    expect(clicked).toEqual(["front"])
  })

  it("renders a hostile service name as text, never as markup", () => {
    const r = withChanges((x) => {
      x.series.services[hostile] = x.series.services.front
      delete x.series.services.front
    })
    queueDepthChart(el, { report: r }, { ...time, height: 200, metric: "queueDepth", y: "linear" })
    expect(el.querySelector("img")).toBeNull()
    expect([...el.querySelectorAll(".legend-label")].map((e) => e.textContent)).toContain(hostile)
  })
})

describe("heatmap", () => {
  it("draws a row per host with a cell per step when there is room", () => {
    heatmap(el, { report: fixture }, { ...time, metric: "cpu" })
    expect([...el.querySelectorAll("g.heat-row")].map((g) => g.getAttribute("data-host"))).toEqual(["edge-1", "app-1", "app-2"])
    expect(el.querySelectorAll("g.heat-row[data-host=app-1] rect.cell")).toHaveLength(10)
  })

  it("bins cells to about one per 3 px", () => {
    const n = 600
    const long = withChanges((x) => {
      x.series.t = Array.from({ length: n }, (_, i) => i)
      x.series.hosts = { "app-1": { cpuUtil: new Array(n).fill(0.5) } }
    })
    heatmap(el, { report: long }, { ...time, domain: [0, n], width: 110 + 24 + 300, metric: "cpu" })
    expect(el.querySelectorAll("g.heat-row[data-host=app-1] rect.cell")).toHaveLength(100)
  })

  it("switches metric to the hosts that have it, and outlines the fault", () => {
    heatmap(el, { report: fixture }, { ...time, metric: "ports" })
    expect([...el.querySelectorAll("g.heat-row")].map((g) => g.getAttribute("data-host"))).toEqual(["edge-1"])
    expect(el.querySelectorAll("rect.band-outline")).toHaveLength(1)
  })

  it("says so when no host has the metric", () => {
    heatmap(el, { report: withChanges((x) => { for (const h of Object.values(x.series.hosts) as any[]) { delete h.diskReadMBps; delete h.diskWriteMBps } }) }, { ...time, metric: "disk" })
    expect(el.textContent).toContain("no host in this report has a disk series")
  })
})

describe("topology chart", () => {
  it("draws tiers as columns with a box per host, coloured by its most-used resource", () => {
    topologyChart(el, { report: fixture }, { width: 800 })
    expect([...el.querySelectorAll("g.tier")].map((g) => g.getAttribute("data-tier"))).toEqual(["users", "edge", "app"])
    expect([...el.querySelectorAll("g.host")].map((g) => [g.getAttribute("data-host"), g.getAttribute("data-top")]))
      .toEqual([["edge-1", "ports"], ["app-1", "cpu"], ["app-2", "cpu"]])
    expect(el.querySelectorAll("rect.host-down")).toHaveLength(1)
  })

  it("sizes edges by traffic: the busier edge is the wider", () => {
    topologyChart(el, { report: fixture }, { width: 800 })
    const widths = [...el.querySelectorAll("path.edge")].map((p) => Number(p.getAttribute("stroke-width")))
    expect(widths).toHaveLength(2)
    expect(widths[1]).toBeGreaterThan(widths[0]) // 100 Mbps into app vs 4 Mbps from users
  })
})

describe("tables", () => {
  it("SLO table says when the scenario has none", () => {
    sloTable(el, { report: fixture })
    expect(el.textContent).toBe("no SLOs in this scenario")
  })

  it("SLO table marks breached objectives", () => {
    sloTable(el, { report: withChanges((x) => (x.slo = [{ metric: "ping.latency.p99", op: "below", threshold: 10, value: 20, unit: "ms", ok: false }])) })
    expect(el.querySelectorAll("tr.slo-breached")).toHaveLength(1)
    expect(el.querySelector("tr.slo-breached")?.textContent).toContain("✗ breached")
  })

  it("requests table adds the baseline's p99 and the change", () => {
    requestsTable(el, { report: fixture, baseline: withChanges((x) => (x.requests.ping.latencyMs.p99 = 10)) })
    const ping = [...el.querySelectorAll("tbody tr")][0]
    expect(ping.lastElementChild?.textContent).toBe("+100%")
  })

  it("instance table expands a service to its instances", () => {
    instanceTable(el, { report: fixture, service: "back" })
    expect([...el.querySelectorAll("tbody tr td:first-child")].map((td) => td.textContent)).toEqual(["app-1", "app-2"])
  })

  it("legend renders labels as text", () => {
    legend(el, [{ id: "x", label: hostile, color: "red" }])
    expect(el.querySelector("img")).toBeNull()
    expect(el.textContent).toBe(hostile)
  })
})

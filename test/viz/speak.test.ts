// @vitest-environment jsdom
// Reports that speak when nothing breaks: durations read as a person says them, symlog axes label
// the small values they are chosen for, return codes per kind, a labelled linear heat scale, and
// short queues said in words rather than left as a blank chart.
import { hsl } from "d3"
import { beforeEach, describe, expect, it } from "vitest"
import { codesTable } from "../../viz/charts/codesTable.ts"
import { latencyChart } from "../../viz/charts/latencyChart.ts"
import { heatColor, heatmap } from "../../viz/charts/heatmap.ts"
import { symlogTicks } from "../../viz/charts/lineChart.ts"
import { queueDepthChart, queueSummary } from "../../viz/charts/queueDepthChart.ts"
import { requestsTable } from "../../viz/charts/requestsTable.ts"
import { throughputChart } from "../../viz/charts/throughputChart.ts"
import { CODE_MEANING, codeTable } from "../../viz/codes.ts"
import { faultBands } from "../../viz/faults.ts"
import { ms, num } from "../../viz/format.ts"
import { serviceLines } from "../../viz/lines.ts"
import { sloRows } from "../../viz/slo.ts"
import { Code } from "../../sim/model/Code.ts"
import { fixture, withChanges } from "./fixture.ts"

let el: HTMLDivElement
beforeEach(() => {
  document.body.innerHTML = ""
  el = document.createElement("div")
  document.body.append(el)
})
const time = { width: 800, domain: [0, 10] as const, bands: faultBands(fixture) }

describe("durations", () => {
  it("read in the unit a person would say: ms below a second, then s, min, h", () => {
    expect([ms(0), ms(0.42), ms(502.446), ms(999), ms(1000), ms(1500), ms(10_000), ms(90_000), ms(5_400_000)])
      .toEqual(["0 ms", "0.42 ms", "502 ms", "999 ms", "1 s", "1.5 s", "10 s", "1.5 min", "1.5 h"])
    expect(ms(null)).toBe("–")
  })

  it("other figures keep three significant digits: 435 Mbps, not 435.256", () => {
    expect([num(435.256), num(0.0041), num(28_232), num(342)]).toEqual(["435", "0.0041", "28.2k", "342"])
  })

  it("an SLO of 1 s on latency is printed 1 s, not 1k ms", () => {
    const rows = sloRows(withChanges((r) => (r.slo = [{ metric: "push.latency.p99", op: "below", threshold: 1000, value: 1234, unit: "ms", ok: false }])))!
    expect(rows[0].target).toBe("below 1 s")
    expect(rows[0].value).toBe("1.23 s")
  })

  it("the requests table gives latencies with their unit", () => {
    requestsTable(el, { report: withChanges((r) => (r.requests.ping.latencyMs.max = 1500)) })
    const cells = [...el.querySelectorAll("tbody tr:first-child td")].map((td) => td.textContent)
    expect(cells.slice(5)).toEqual(["4 ms", "9 ms", "20 ms", "1.5 s"])
  })
})

describe("symlog axis", () => {
  it("has a tick at 0 and at every power of ten up to the top (3× between when there are few decades)", () => {
    expect(symlogTicks(15_000)).toEqual([0, 1, 10, 100, 1000, 10_000])
    expect(symlogTicks(40)).toEqual([0, 1, 3, 10, 30])
    expect(symlogTicks(0.5)).toEqual([0])
  })

  it("is the throughput chart's scale the page starts with, and labels the decades a few retries sit in", () => {
    throughputChart(el, { report: withChanges((r) => (r.series.kinds.ping.throughput = r.series.kinds.ping.throughput.map(() => 15_000))) }, { ...time, height: 240, y: "symlog" })
    const labels = [...el.querySelectorAll(".axis-y .tick text")].map((t) => t.textContent)
    expect(labels).toContain("10")
    expect(labels).toContain("10k")
  })
})

describe("return codes", () => {
  it("name every code the engine can end a request with", () => {
    for (const code of Object.values(Code)) expect(CODE_MEANING[String(code)], String(code)).toBeDefined()
  })

  it("are tabled per kind, ok first, failures in the order of their codes", () => {
    const t = codeTable(fixture)
    expect(t.codes).toEqual(["0", "-201", "-206"])
    expect(t.rows.map((r) => [r.kind, ...r.counts])).toEqual([["ping", 90, 6, 4], ["pong", 10, 0, 0]])
  })

  it("show each failure's share of its kind, with the code's meaning in the header", () => {
    codesTable(el, { report: fixture })
    expect(el.querySelector('th[data-code="-201"]')!.textContent).toBe("-201connect failed")
    expect(el.querySelector("tr[data-kind=ping] td.code-failed")!.textContent).toBe("6 (6%)")
  })

  it("say so in a line when every request ended ok", () => {
    codesTable(el, { report: withChanges((r) => (r.requests = { pong: r.requests.pong })) })
    expect(el.querySelector("table")).toBeNull()
    expect(el.textContent).toContain("every request ended ok")
  })
})

describe("the host heatmap's colour scale", () => {
  const lightness = (f: number) => hsl(heatColor(f)).l

  it("is linear: 16% of a limit is nearer idle than the midpoint in lightness", () => {
    expect(Math.abs(lightness(0.16) - lightness(0))).toBeLessThan(Math.abs(lightness(0.16) - lightness(0.5)))
  })

  it("has a key with ticks from 0% to 100% that names the limit", () => {
    heatmap(el, { report: fixture }, { width: 800, metric: "cpu", domain: [0, 10], bands: [] })
    const ticks = [...el.querySelectorAll(".heat-key .tick text")].map((t) => t.textContent)
    expect(ticks).toEqual(["0%", "25%", "50%", "75%", "100%"])
    expect(el.querySelector(".heat-key")!.textContent).toContain("of 8 cores")
  })
})

describe("short queues", () => {
  const idle = withChanges((r) => {
    for (const s of Object.values<any>(r.series.services)) s.queueDepth = s.queueDepth.map(() => 0)
    for (const s of Object.values<any>(r.services)) s.queueWaitMs.max = 0
  })

  it("are said in words when no request waited", () => {
    queueDepthChart(el, { report: idle }, { ...time, height: 240, metric: "queueDepth", y: "linear" })
    expect(el.querySelector(".zero-note")!.textContent).toContain("no request waited")
    expect(el.querySelector(".note")!.textContent).toContain("No request waited in any InQueue")
  })

  it("name the deepest step and the longest wait when there is one", () => {
    expect(queueSummary(fixture, serviceLines(fixture, "queueDepth", ["a", "b"]))).toBe("Deepest step: 6 requests waiting (front); the longest single wait was 9 ms (front).")
  })
})

describe("latency panels when a fault is absorbed", () => {
  const absorbed = withChanges((r) => {
    r.series.kinds.ping.maxMs = [5, 5, 5, 5, 502, 480, 5, 5, 5, 5]
    r.series.kinds.ping.timeouts = [0, 0, 0, 0, 15, 3, 0, 0, 0, 0]
    r.series.kinds.pong.timeouts = r.series.t.map(() => 0)
    r.requests.ping.latencyMs.max = 502
  })

  it("draw the slowest request per step above the percentiles", () => {
    latencyChart(el, { report: absorbed }, { ...time, height: 180, y: "log" })
    const max = el.querySelector<SVGPathElement>('.panel[data-kind=ping] path[data-series="max:ping"]')!
    expect(max.getAttribute("class")).toContain("line-max")
    expect(Number(max.getAttribute("data-points"))).toBe(10)
    expect([...el.querySelectorAll(".legend-label")].map((l) => l.textContent)).toContain("max (slowest ok request)")
  })

  it("mark the steps whose tries timed out, and sum them in the panel's title", () => {
    latencyChart(el, { report: absorbed }, { ...time, height: 180, y: "log" })
    const ping = el.querySelector(".panel[data-kind=ping]")!
    expect(ping.querySelector("g.timeouts")!.getAttribute("data-marks")).toBe("2")
    expect(ping.querySelector("g.timeouts title")!.textContent).toBe("0:04: 15 tries/s timed out")
    expect(ping.querySelector("h3")!.textContent).toBe("ping — slowest 502 ms · 18 tries timed out, the first at 0:04")
    expect(el.querySelector(".panel[data-kind=pong] h3")!.textContent).toBe("pong — slowest 3 ms · no try timed out")
  })

  it("still name the slowest request from the window when the series has no max", () => {
    latencyChart(el, { report: fixture }, { ...time, height: 180, y: "log" })
    expect(el.querySelector(".panel[data-kind=ping] h3")!.textContent).toBe("ping — slowest 31 ms")
    expect(el.querySelector("g.timeouts")).toBeNull()
  })
})

describe("return-code shares", () => {
  it("stay short when tiny", () => {
    codesTable(el, { report: withChanges((r) => {
      r.requests.ping.issued = 1_000_000
      r.requests.ping.codes = { "0": 999_000, "-201": 995, "-202": 5 }
    }) })
    expect([...el.querySelectorAll("tr[data-kind=ping] td.code-failed")].map((td) => td.textContent)).toEqual(["995 (0.1%)", "5 (<0.01%)"])
  })
})

/**
 * The visualiser page: finds a report (embedded, `?report=`, picked or dropped), keeps the view's
 * state (zoom, scales, chosen metrics, hidden lines) and redraws every chart from it.
 */
import { select } from "d3"
import type { Report } from "../sim/report/Report.ts"
import { codesTable } from "./charts/codesTable.ts"
import { heatmap } from "./charts/heatmap.ts"
import { instanceTable } from "./charts/instanceTable.ts"
import { latencyChart } from "./charts/latencyChart.ts"
import { queueDepthChart } from "./charts/queueDepthChart.ts"
import { requestsTable } from "./charts/requestsTable.ts"
import { sloTable } from "./charts/sloTable.ts"
import { throughputChart } from "./charts/throughputChart.ts"
import { topologyChart } from "./charts/topologyChart.ts"
import { faultBands, runEndS } from "./faults.ts"
import { clock, num } from "./format.ts"
import { HEAT_METRICS } from "./heat.ts"
import type { HeatMetric } from "./heat.ts"
import type { ServiceMetric } from "./lines.ts"
import { embedded, fromFile, fromUrl } from "./load.ts"
import type { Parsed } from "./load.ts"

interface State {
  report?: Report
  baseline?: Report
  zoom: readonly [number, number] | null
  latencyScale: "log" | "linear"
  throughputKind: string
  throughputScale: "linear" | "symlog"
  hiddenOutcomes: Set<string>
  serviceMetric: ServiceMetric
  serviceScale: "linear" | "symlog"
  hiddenServices: Set<string>
  expanded: string
  heatMetric: HeatMetric
}

const state: State = {
  zoom: null,
  latencyScale: "log",
  throughputKind: "",
  // as the README says: a handful of retries stays visible beside thousands of ok replies
  throughputScale: "symlog",
  hiddenOutcomes: new Set(),
  serviceMetric: "queueDepth",
  serviceScale: "linear",
  hiddenServices: new Set(),
  expanded: "",
  heatMetric: "cpu",
}

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T

/** Problems with the reports asked for since the user's last action; shown above the charts. */
const problems: string[] = []

function showMessage(text: string, error: boolean): void {
  if (error) problems.push(text)
  const m = $("message")
  m.hidden = false
  m.classList.toggle("error", error || problems.length > 0)
  m.textContent = error ? problems.join("\n") : text
}

const toggle = (set: Set<string>, id: string) => (set.has(id) ? set.delete(id) : set.add(id))

/** Fills a `<select>` with `values` after its first (fixed) option, keeping the current choice if still there. */
function fillSelect(select: HTMLSelectElement, values: ReadonlyArray<string>, current: string): void {
  while (select.options.length > 1) select.remove(1)
  for (const v of values) select.add(new Option(v, v))
  select.value = values.includes(current) ? current : ""
}

function describe(r: Report): string {
  const parts = [
    `seed ${r.seed}`,
    r.window.warmupS > 0 ? `warm-up ${clock(r.window.warmupS)} + ${clock(r.window.durationS)} measured` : `${clock(r.window.durationS)} measured`,
    `${num(r.series.t.length)} steps of ${num(r.series.stepS)} s`,
    `${Object.keys(r.hosts).length} hosts`,
    `${(r.faults ?? []).length} fault${(r.faults ?? []).length === 1 ? "" : "s"}`,
  ]
  if (r.run?.version) parts.push(`wwsim ${r.run.version}`)
  return parts.join(" · ")
}

/**
 * The width charts may take: the content box of `main` (clientWidth counts its padding), less a
 * little for rounding, so no chart makes the page scroll sideways. Charts keep a 420 px minimum.
 */
function chartWidth(content: HTMLElement): number {
  const style = getComputedStyle(content)
  const inner = content.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
  return Math.max(420, Math.floor(inner) - 2)
}

/** The page's parts, each redrawn on its own when only its controls change. */
type Part = "tables" | "latency" | "throughput" | "services" | "heatmap" | "topology"
const ALL: ReadonlyArray<Part> = ["tables", "latency", "throughput", "services", "heatmap", "topology"]

/** Redraws `parts` (all by default) from the state. */
function render(parts: ReadonlyArray<Part> = ALL): void {
  const report = state.report
  if (report === undefined) return
  const started = performance.now()
  const baseline = state.baseline
  $("content").hidden = false
  $("message").hidden = problems.length === 0
  $("scenario").textContent = report.scenario
  document.title = `wwsim — ${report.scenario}`
  $("meta").textContent = describe(report)
  $("baseline-meta").textContent = baseline ? `baseline (dashed): ${baseline.scenario} · ${describe(baseline)}` : ""
  $("clear-baseline").hidden = baseline === undefined
  $("reset-zoom").hidden = state.zoom === null

  const width = chartWidth($("content"))
  const end = Math.max(runEndS(report), baseline ? runEndS(baseline) : 0)
  const domain = state.zoom ?? ([0, end] as const)
  const bands = faultBands(report)
  // a zoom changes every time chart
  const onZoom = (d: readonly [number, number] | null) => {
    state.zoom = d
    render(["latency", "throughput", "services", "heatmap"])
  }
  const time = { width, domain, bands, onZoom }

  if (parts.includes("tables")) {
    requestsTable($("requests"), { report, baseline })
    codesTable($("codes"), { report })
    sloTable($("slo"), { report })
  }
  if (parts.includes("latency")) latencyChart($("latency"), { report, baseline }, { ...time, height: 190, y: state.latencyScale })
  if (parts.includes("throughput")) {
    throughputChart($("throughput"), { report, baseline }, {
      ...time,
      height: 240,
      y: state.throughputScale,
      kinds: state.throughputKind === "" ? undefined : [state.throughputKind],
      hidden: state.hiddenOutcomes,
      onToggle: (id) => {
        toggle(state.hiddenOutcomes, id)
        render(["throughput"])
      },
    })
  }
  if (parts.includes("services")) {
    queueDepthChart($("queues"), { report }, {
      ...time,
      height: 260,
      metric: state.serviceMetric,
      y: state.serviceScale,
      hidden: state.hiddenServices,
      expand: state.expanded,
      onToggle: (name) => {
        toggle(state.hiddenServices, name)
        render(["services"])
      },
    })
    instanceTable($("instances"), { report, service: state.expanded })
  }
  if (parts.includes("heatmap")) heatmap($("heatmap"), { report }, { width, domain, bands, onZoom, metric: state.heatMetric })
  if (parts.includes("topology")) topologyChart($("topology"), { report }, { width })
  document.body.dataset.state = "ready"
  document.body.dataset.renderMs = String(Math.round(performance.now() - started))
}

function renderHeatButtons(): void {
  select($("heat-metric")).selectAll("button")
    .data(HEAT_METRICS)
    .join("button")
    .attr("type", "button")
    .attr("role", "radio")
    .attr("data-metric", (m) => m.key)
    .attr("aria-checked", (m) => String(m.key === state.heatMetric))
    .text((m) => m.label)
    .on("click", (_e, m) => {
      state.heatMetric = m.key
      renderHeatButtons()
      render(["heatmap"])
    })
}

function useReport(parsed: Parsed | undefined, which: "report" | "baseline"): void {
  if (parsed === undefined) return
  if (!parsed.ok) {
    showMessage(parsed.error, true)
    return
  }
  if (which === "baseline") {
    state.baseline = parsed.report
  } else {
    state.report = parsed.report
    state.zoom = null
    state.hiddenServices.clear()
    fillSelect($<HTMLSelectElement>("throughput-kind"), Object.keys(parsed.report.series.kinds), state.throughputKind)
    state.throughputKind = $<HTMLSelectElement>("throughput-kind").value
    fillSelect($<HTMLSelectElement>("service-expand"), Object.keys(parsed.report.services), state.expanded)
    state.expanded = $<HTMLSelectElement>("service-expand").value
  }
  if (state.report === undefined) {
    showMessage("Baseline loaded; now open the report to compare with it.", false)
    return
  }
  render()
}

function wireControls(): void {
  const onChange = (id: string, part: Part, apply: (value: string) => void) =>
    $(id).addEventListener("change", (e) => {
      apply((e.target as HTMLSelectElement).value)
      render([part])
    })
  onChange("latency-scale", "latency", (v) => (state.latencyScale = v as State["latencyScale"]))
  onChange("throughput-kind", "throughput", (v) => (state.throughputKind = v))
  onChange("throughput-scale", "throughput", (v) => (state.throughputScale = v as State["throughputScale"]))
  onChange("service-metric", "services", (v) => (state.serviceMetric = v as ServiceMetric))
  onChange("service-scale", "services", (v) => (state.serviceScale = v as State["serviceScale"]))
  onChange("service-expand", "services", (v) => (state.expanded = v))
  $("reset-zoom").addEventListener("click", () => {
    state.zoom = null
    render(["latency", "throughput", "services", "heatmap"])
  })
  $("clear-baseline").addEventListener("click", () => {
    state.baseline = undefined
    render()
  })
  const picked = (id: string, which: "report" | "baseline") =>
    $<HTMLInputElement>(id).addEventListener("change", async (e) => {
      const input = e.target as HTMLInputElement
      const file = input.files?.[0]
      problems.length = 0
      if (file) useReport(await fromFile(file), which)
      input.value = ""
    })
  picked("open-report", "report")
  picked("open-baseline", "baseline")

  // drag and drop: anywhere loads the report; onto the baseline button loads the baseline
  const overlay = $("drop-overlay")
  const baselineTarget = $("baseline-drop")
  let depth = 0
  window.addEventListener("dragenter", (e) => {
    e.preventDefault()
    depth++
    overlay.hidden = false
  })
  window.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1)
    if (depth === 0) overlay.hidden = true
  })
  window.addEventListener("dragover", (e) => {
    e.preventDefault()
    baselineTarget.classList.toggle("drop-target", baselineTarget.contains(e.target as Node))
  })
  window.addEventListener("drop", async (e) => {
    e.preventDefault()
    depth = 0
    overlay.hidden = true
    baselineTarget.classList.remove("drop-target")
    const file = e.dataTransfer?.files[0]
    problems.length = 0
    if (file) useReport(await fromFile(file), baselineTarget.contains(e.target as Node) ? "baseline" : "report")
  })

  let pending = 0
  window.addEventListener("resize", () => {
    cancelAnimationFrame(pending)
    pending = requestAnimationFrame(() => render())
  })
}

async function start(): Promise<void> {
  wireControls()
  renderHeatButtons()
  const params = new URLSearchParams(location.search)
  const baselineUrl = params.get("baseline")
  const reportUrl = params.get("report")
  useReport(embedded(document, "baseline") ?? (baselineUrl ? await fromUrl(baselineUrl) : undefined), "baseline")
  useReport(embedded(document, "report") ?? (reportUrl ? await fromUrl(reportUrl) : undefined), "report")
  if (state.report === undefined && !$("message").classList.contains("error")) document.body.dataset.state = "empty"
}

void start()

/**
 * Latency percentiles over time: one panel per request kind with its p50, p95 and p99 (ok requests
 * only, arrival to reply), fault windows shaded and labelled, and the baseline's lines dashed.
 */
import { select } from "d3"
import type { Report } from "../../sim/report/Report.ts"
import { clock, ms, num } from "../format.ts"
import { kindsOf, latencyLines, MAX_LINE, PERCENTILES, TIMEOUT_MARK, timeoutMarks } from "../lines.ts"
import { legend } from "./legend.ts"
import { lineChart } from "./lineChart.ts"
import type { TimeFrameOptions } from "./timeFrame.ts"

export interface LatencyData {
  readonly report: Report
  readonly baseline?: Report
}

export interface LatencyOptions extends TimeFrameOptions {
  /** Log scale shows p50 and a p99 spike in one panel; linear reads absolute gaps. */
  readonly y: "log" | "linear"
  /** Kinds to draw (all by default). */
  readonly kinds?: ReadonlyArray<string>
}

/**
 * What a panel's title adds: the window's slowest ok request, and how many tries timed out and
 * when the first did — the numbers a flat p99 hides when a fault is absorbed by retries.
 *
 * @example
 * panelSummary(report, "sendmsg", marks) // "slowest 502 ms · 99 tries timed out, the first at 0:40"
 */
export function panelSummary(report: Report, kind: string, marks: ReadonlyArray<{ readonly t: number; readonly perS: number }>): string {
  const parts: string[] = []
  const max = report.requests[kind]?.latencyMs?.max
  if (typeof max === "number" && (report.requests[kind]?.ok ?? 0) > 0) parts.push(`slowest ${ms(max)}`)
  if (marks.length > 0) {
    const total = Math.round(marks.reduce((a, m) => a + m.perS * report.series.stepS, 0))
    parts.push(`${num(total)} ${total === 1 ? "try" : "tries"} timed out, the first at ${clock(marks[0].t)}`)
  } else if (Array.isArray(report.series.kinds[kind]?.timeouts)) {
    parts.push("no try timed out")
  }
  return parts.join(" · ")
}

/**
 * Draws the latency panels into `element`; each panel is a `div.panel[data-kind]`.
 *
 * @example
 * latencyChart(div, { report }, { width: 900, height: 200, domain: [0, 210], bands: faultBands(report), y: "log" })
 */
export function latencyChart(element: HTMLElement, data: LatencyData, options: LatencyOptions): void {
  const root = select(element)
  root.selectAll("*").remove()
  const series = Object.values(data.report.series.kinds)
  legend(root.append("div").node()!, [
    ...PERCENTILES.map((p) => ({ id: p.label, label: p.label, color: p.color })),
    ...(series.some((s) => Array.isArray(s.maxMs)) ? [{ id: MAX_LINE.label, label: "max (slowest ok request)", color: MAX_LINE.color }] : []),
    ...(series.some((s) => Array.isArray(s.timeouts)) ? [{ id: "timeouts", label: `${TIMEOUT_MARK.label} (ticks along the top)`, color: TIMEOUT_MARK.color }] : []),
    ...(data.baseline ? [{ id: "baseline", label: "baseline (dashed)", color: "#888", dashed: true }] : []),
  ])
  const kinds = options.kinds ?? kindsOf(data.report)
  if (kinds.length === 0) {
    root.append("p").attr("class", "note").text("no request kinds in this report")
    return
  }
  for (const kind of kinds) {
    const panel = root.append("div").attr("class", "panel").attr("data-kind", kind)
    const title = panel.append("h3").text(kind)
    const marks = timeoutMarks(data.report, kind)
    const summary = panelSummary(data.report, kind, marks)
    if (summary !== "") title.append("small").attr("class", "panel-summary").text(` — ${summary}`)
    const chart = panel.append("div").attr("class", "chart").node()!
    lineChart(chart, latencyLines(data.report, kind, data.baseline), {
      ...options,
      yLabel: "latency",
      yFormat: ms,
      marks: {
        className: "timeouts",
        color: TIMEOUT_MARK.color,
        points: marks.map((m) => ({ t: m.t, text: `${clock(m.t)}: ${num(m.perS)} tries/s timed out` })),
      },
    })
  }
}

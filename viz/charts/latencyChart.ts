/**
 * Latency percentiles over time: one panel per request kind with its p50, p95 and p99 (ok requests
 * only, arrival to reply), fault windows shaded and labelled, and the baseline's lines dashed.
 */
import { select } from "d3"
import type { Report } from "../../sim/report/Report.ts"
import { ms } from "../format.ts"
import { kindsOf, latencyLines, PERCENTILES } from "../lines.ts"
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
 * Draws the latency panels into `element`; each panel is a `div.panel[data-kind]`.
 *
 * @example
 * latencyChart(div, { report }, { width: 900, height: 200, domain: [0, 210], bands: faultBands(report), y: "log" })
 */
export function latencyChart(element: HTMLElement, data: LatencyData, options: LatencyOptions): void {
  const root = select(element)
  root.selectAll("*").remove()
  legend(root.append("div").node()!, [
    ...PERCENTILES.map((p) => ({ id: p.label, label: p.label, color: p.color })),
    ...(data.baseline ? [{ id: "baseline", label: "baseline (dashed)", color: "#888", dashed: true }] : []),
  ])
  const kinds = options.kinds ?? kindsOf(data.report)
  if (kinds.length === 0) {
    root.append("p").attr("class", "note").text("no request kinds in this report")
    return
  }
  for (const kind of kinds) {
    const panel = root.append("div").attr("class", "panel").attr("data-kind", kind)
    panel.append("h3").text(kind)
    const chart = panel.append("div").attr("class", "chart").node()!
    lineChart(chart, latencyLines(data.report, kind, data.baseline), {
      ...options,
      yLabel: "latency",
      yFormat: ms,
    })
  }
}

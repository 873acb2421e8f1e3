/**
 * Throughput and outcomes over time: ok replies, rejected and failed requests per second (summed
 * over the chosen kinds), with the run's retries and fast rejects; the baseline's dashed.
 */
import { select } from "d3"
import type { Report } from "../../sim/report/Report.ts"
import { num } from "../format.ts"
import { outcomeLines } from "../lines.ts"
import { legend } from "./legend.ts"
import { lineChart } from "./lineChart.ts"
import type { TimeFrameOptions } from "./timeFrame.ts"

export interface ThroughputData {
  readonly report: Report
  readonly baseline?: Report
}

export interface ThroughputOptions extends TimeFrameOptions {
  /** Kinds to sum (all by default). Retries and fast rejects are run-wide either way. */
  readonly kinds?: ReadonlyArray<string>
  /** symlog keeps a handful of rejects visible next to thousands of ok replies. */
  readonly y: "linear" | "symlog"
  readonly hidden?: ReadonlySet<string>
  readonly onToggle?: (id: string) => void
}

/**
 * Draws the outcome lines and their legend (click to hide one) into `element`.
 *
 * @example
 * throughputChart(div, { report }, { width: 900, height: 240, domain: [0, 210], bands: [], y: "linear" })
 */
export function throughputChart(element: HTMLElement, data: ThroughputData, options: ThroughputOptions): void {
  const root = select(element)
  root.selectAll("*").remove()
  const lines = outcomeLines(data.report, options.kinds, data.baseline)
  const hidden = options.hidden ?? new Set<string>()
  const isHidden = (id: string) => hidden.has(id.replace(/^baseline:/, ""))
  legend(root.append("div").node()!, [
    ...lines.filter((l) => !l.baseline).map((l) => ({ id: l.id, label: l.label, color: l.color, hidden: hidden.has(l.id) })),
    ...(data.baseline ? [{ id: "baseline", label: "baseline (dashed)", color: "#888", dashed: true }] : []),
  ], options.onToggle ? (id) => id !== "baseline" && options.onToggle!(id) : undefined)
  const chart = root.append("div").attr("class", "chart").node()!
  lineChart(chart, lines, {
    ...options,
    hidden: new Set(lines.filter((l) => isHidden(l.id)).map((l) => l.id)),
    yLabel: "per second",
    yFormat: num,
  })
}

/**
 * Services over time: InQueue depth (summed over a service's instances), worker utilization,
 * fast reject's pass rate, one line per service, or an MQ's backlog, one line per request kind; click a legend entry to hide or show a service.
 *
 * With `expand` naming a service and the queue-depth metric, it draws that service's instances
 * instead (the report keeps per-instance queue-depth series for services with several instances).
 */
import { schemeTableau10, select } from "d3"
import type { Report } from "../../sim/report/Report.ts"
import { ms, num, pct } from "../format.ts"
import { instanceLines, peakIn, serviceLines } from "../lines.ts"
import type { Line, ServiceMetric } from "../lines.ts"
import { legend } from "./legend.ts"
import { lineChart } from "./lineChart.ts"
import type { TimeFrameOptions } from "./timeFrame.ts"

export interface QueueDepthData {
  readonly report: Report
}

export interface QueueDepthOptions extends TimeFrameOptions {
  readonly metric: ServiceMetric
  readonly y: "linear" | "symlog"
  /** Service names not to draw. */
  readonly hidden?: ReadonlySet<string>
  readonly onToggle?: (service: string) => void
  /** A service to draw instance by instance (queue depth only). */
  readonly expand?: string
}

/** A palette long enough for a WeCom deployment's services. */
export const SERVICE_PALETTE: ReadonlyArray<string> = [
  ...schemeTableau10,
  "#1f77b4", "#8c564b", "#17becf", "#bcbd22", "#7f7f7f", "#d62728", "#9467bd", "#2ca02c",
]

const METRIC_LABEL: Record<ServiceMetric, string> = {
  queueDepth: "requests waiting",
  utilization: "busy workers",
  passRate: "pass rate",
  backlog: "messages waiting",
}

/**
 * One sentence on how deep the queues got, so short queues read as short rather than as a blank
 * chart: the deepest step of any line drawn, and the longest single InQueue wait of the window.
 *
 * @example
 * queueSummary(report, lines) // "Deepest step: 0.004 requests waiting (wwlxkv); longest wait 1.2 ms (wwlxkv)."
 */
export function queueSummary(report: Report, lines: ReadonlyArray<Line>): string {
  let deepest: { label: string; v: number } | undefined
  for (const l of lines) {
    const v = peakIn(l, -Infinity, Infinity)
    if (deepest === undefined || v > deepest.v) deepest = { label: l.label, v }
  }
  let longest: { name: string; v: number } | undefined
  for (const [name, s] of Object.entries(report.services)) {
    const v = s.queueWaitMs?.max ?? 0
    if (longest === undefined || v > longest.v) longest = { name, v }
  }
  if (deepest === undefined || deepest.v === 0) {
    return longest === undefined || longest.v === 0
      ? "No request waited in any InQueue in this run."
      : `No step's average reached a thousandth of a request; the longest single wait was ${ms(longest.v)} (${longest.name}).`
  }
  const wait = longest === undefined || longest.v === 0 ? "" : `; the longest single wait was ${ms(longest.v)} (${longest.name})`
  return `Deepest step: ${num(deepest.v)} requests waiting (${deepest.label})${wait}.`
}

/**
 * Draws one line per service for `options.metric` into `element`.
 *
 * @example
 * queueDepthChart(div, { report }, { width: 900, height: 240, domain: [0, 210], bands: [], metric: "queueDepth", y: "linear" })
 */
export function queueDepthChart(element: HTMLElement, data: QueueDepthData, options: QueueDepthOptions): void {
  const root = select(element)
  root.selectAll("*").remove()
  const perInstance = options.metric === "queueDepth" && options.expand ? instanceLines(data.report, options.expand, SERVICE_PALETTE) : []
  const lines = perInstance.length > 0 ? perInstance : serviceLines(data.report, options.metric, SERVICE_PALETTE)
  const hidden = options.hidden ?? new Set<string>()
  legend(
    root.append("div").node()!,
    lines.map((l) => ({ id: l.label, label: l.label, color: l.color, hidden: hidden.has(l.label) })),
    options.onToggle,
  )
  if (lines.length === 0) {
    root.append("p").attr("class", "note").text(options.metric === "backlog"
      ? "no request kind in this report has an MQ (`redeliver`)"
      : `no service in this report has a ${METRIC_LABEL[options.metric]} series`)
    return
  }
  const chart = root.append("div").attr("class", "chart").node()!
  lineChart(chart, lines, {
    ...options,
    hidden: new Set(lines.filter((l) => hidden.has(l.label)).map((l) => l.id)),
    yLabel: METRIC_LABEL[options.metric],
    yFormat: options.metric === "queueDepth" || options.metric === "backlog" ? num : pct,
    zeroNote: options.metric === "queueDepth"
      ? "no request waited in an InQueue: a worker was always free (see worker utilization)"
      : options.metric === "utilization" ? "no worker was ever busy"
      : options.metric === "backlog" ? "no message waited in the MQ's backlog: every hand-off was delivered at its first try" : undefined,
  })
  root.append("p").attr("class", "note").text(
    options.metric === "queueDepth"
      ? `${perInstance.length > 0
        ? "Time-average InQueue depth per step of each instance of the expanded service."
        : "Time-average InQueue depth per step, summed over each service's instances; expand a service to see its instances."} ${queueSummary(data.report, lines)}`
      : options.metric === "utilization"
        ? "Time-average busy workers / workers per step, over all of a service's instances."
        : options.metric === "backlog"
          ? "Messages waiting in the MQ's backlog for redelivery (time-average per step, all instances), per request kind with `redeliver`: they are delivered late, not lost."
          : "Fast reject's pass rate at the end of each step, lowest over the service's instances.",
  )
}

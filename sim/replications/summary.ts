/**
 * The replications table `wwsim run --replications` prints under the summary.
 */
import Table from "cli-table3"
import type { ReplicationsReport } from "../report/Report.ts"

/** A value with about four significant digits; ratios (utilization, success, CPU) as percentages. */
function format(metric: string, v: number | null): string {
  if (v === null || !Number.isFinite(v)) return "-"
  if (/\.(successRate|utilization|cpu)$/.test(metric)) return `${(v * 100).toPrecision(4)}%`
  return Math.abs(v) >= 1e4 ? v.toFixed(0) : v.toPrecision(4)
}

const unit = (metric: string): string =>
  /\.(latency\.\w+|queueWait\.mean)$/.test(metric) ? "ms" : metric.endsWith(".throughput") ? "/s" : ""

/**
 * Renders the replications' intervals (pure): one row per metric with its mean, ± the 95%
 * half-width and the half-width relative to the mean; then, with `--precision`, whether the key
 * metrics converged.
 *
 * @example
 * console.log(renderReplications(report.replications, { color: false }))
 */
export function renderReplications(r: ReplicationsReport, options: { readonly color: boolean }): string {
  const t = new Table({
    head: ["metric", "mean", `± ${Math.round(r.confidence * 100)}%`, "± rel", "unit"],
    colAligns: ["left", "right", "right", "right", "left"],
    style: { head: options.color ? ["cyan"] : [], border: options.color ? ["grey"] : [] },
  })
  for (const [metric, m] of Object.entries(r.metrics)) {
    const rel = m.halfWidth === null ? null : m.mean === 0 ? (m.halfWidth === 0 ? 0 : null) : m.halfWidth / Math.abs(m.mean)
    const halfWidth = m.halfWidth === null ? "-" : /\.(successRate|utilization|cpu)$/.test(metric)
      ? `${(m.halfWidth * 100).toPrecision(2)} pt` : m.halfWidth.toPrecision(2)
    t.push([metric, format(metric, m.mean), halfWidth, rel === null ? "-" : `${(rel * 100).toFixed(1)}%`, unit(metric)])
  }
  const lines = [`${r.count} replications · ${Math.round(r.confidence * 100)}% confidence intervals (Student t over replication means)`, t.toString()]
  const p = r.precision
  if (p !== undefined) {
    const target = `${+(p.target * 100).toPrecision(6)}%`
    lines.push(p.converged
      ? `precision ${target}: every key metric converged after ${r.count} replications (batches ${p.batches.join(" + ")})`
      : `precision ${target}: not reached at the cap of ${p.maxReplications} replications; did not converge: ${p.notConverged.join(", ")}`)
  }
  return lines.join("\n")
}

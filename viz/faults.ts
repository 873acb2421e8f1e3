/**
 * Time bands the charts shade: the scenario's fault windows and the warm-up.
 */
import type { Report } from "../sim/report/Report.ts"

/** A shaded interval of run time, in seconds from the start of the run (warm-up included). */
export interface Band {
  readonly fromS: number
  readonly toS: number
  /** Text drawn at the top of the band, e.g. `host-down logic-1`. */
  readonly label: string
  readonly kind: "fault" | "warmup"
}

/** The end of the run in seconds: the window's end, or the last series step's end if later. */
export function runEndS(report: Report): number {
  const windowEnd = report.window.warmupS + report.window.durationS
  const t = report.series.t
  const seriesEnd = t.length === 0 ? 0 : t[t.length - 1] + report.series.stepS
  return Math.max(windowEnd, seriesEnd)
}

/**
 * The fault windows of a report as bands, clipped to the run, plus the warm-up (when there is one).
 * A fault on several targets is one band labelled with all of them.
 *
 * @example
 * faultBands(report) // [{ fromS: 0, toS: 30, label: "warm-up", kind: "warmup" }, { fromS: 60, toS: 90, label: "host-down logic-1", kind: "fault" }]
 */
export function faultBands(report: Report): ReadonlyArray<Band> {
  const end = runEndS(report)
  const bands: Band[] = []
  if (report.window.warmupS > 0) bands.push({ fromS: 0, toS: report.window.warmupS, label: "warm-up", kind: "warmup" })
  for (const f of report.faults ?? []) {
    const fromS = Math.max(0, Number(f.fromS) || 0)
    const toS = Math.min(end, f.toS === null || f.toS === undefined ? end : Number(f.toS))
    if (!(toS > fromS)) continue
    const target = Array.isArray(f.target) ? f.target.map(String).join(", ") : String(f.target ?? "")
    bands.push({ fromS, toS, label: `${String(f.action ?? "fault")} ${target}`.trim(), kind: "fault" })
  }
  return bands
}

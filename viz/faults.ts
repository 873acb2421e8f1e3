/**
 * Time bands the charts shade: the scenario's fault windows, the warm-up, and each fault's outage
 * (success below the recovery threshold, from the first step below until back above to stay).
 */
import { DEFAULT_HEALTHY, type RecoveryReport, recoveryOf, unhealthyText } from "../sim/report/recovery.ts"
import type { Report } from "../sim/report/Report.ts"

/** A shaded interval of run time, in seconds from the start of the run (warm-up included). */
export interface Band {
  readonly fromS: number
  readonly toS: number
  /** Text drawn at the top of the band, e.g. `host-down logic-1`. */
  readonly label: string
  readonly kind: "fault" | "warmup" | "outage"
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
  return [...bands, ...outageBands(report, end)]
}

const secs = (s: number) => `${Number(s.toFixed(1))} s`

/** The report's recovery figures; computed from the series for a report written before they were stored. */
function recoveryFigures(report: Report): RecoveryReport | undefined {
  const r = (report as { recovery?: unknown }).recovery
  if (typeof r === "object" && r !== null && Array.isArray((r as RecoveryReport).all)) return r as RecoveryReport
  const faults = report.faults ?? []
  if (faults.length === 0 || report.series?.t === undefined) return undefined
  return recoveryOf(report.series, faults, report.window.warmupS + report.window.durationS, report.window.warmupS, { healthy: DEFAULT_HEALTHY })
}

/**
 * Each fault's outage over all request kinds: from the first step below the threshold to the step
 * success came back above it to stay (or the end of the run), labelled with how long it lasted and
 * how long after the fault ended it was back.
 *
 * @example
 * outageBands(report, 70) // [{ fromS: 30, toS: 71, label: "below 99% for 41 s · back 11 s after the fault ended", kind: "outage" }]
 */
export function outageBands(report: Report, end: number): ReadonlyArray<Band> {
  const recovery = recoveryFigures(report)
  if (recovery === undefined) return []
  const threshold = unhealthyText(recovery)
  const bands: Band[] = []
  for (const x of recovery.all) {
    const f = report.faults[x.fault]
    if (f === undefined || x.impactS === null) continue
    const fromS = f.fromS + x.impactS
    const toS = x.recoveredAtS ?? end
    const label = x.recoveredAtS === null
      ? `${threshold} to the end`
      : `${threshold} for ${secs(x.outageS ?? toS - fromS)} · back ${x.recoveredAtS < f.toS ? "before the fault ended" : `${secs(x.recoveryS ?? 0)} after the fault ended`}`
    if (toS > fromS) bands.push({ fromS, toS, label, kind: "outage" })
  }
  return bands
}

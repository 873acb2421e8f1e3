/**
 * Lines for the time charts, shaped from a report: plain data (times in seconds from the start of
 * the run, values or `null` for "no data in this step"), so they are tested without a browser.
 */
import type { Report } from "../sim/report/Report.ts"

/** One line of a time chart. `t` and `y` are aligned; `null` leaves a gap. */
export interface Line {
  /** Stable identifier, e.g. `p99:login`; used for `data-series` and legend toggles. */
  readonly id: string
  /** What the legend and tooltip show (text, never HTML). */
  readonly label: string
  readonly color: string
  readonly t: ReadonlyArray<number>
  readonly y: ReadonlyArray<number | null>
  /** A baseline's line: drawn dashed and fainter under the candidate's. */
  readonly baseline?: boolean
  /** An extra class for its path, e.g. `line-max` (thin, dotted). */
  readonly className?: string
}

/** Latency percentiles drawn per kind, with their colours. */
export const PERCENTILES = [
  { key: "p50Ms", label: "p50", color: "#4e79a7" },
  { key: "p95Ms", label: "p95", color: "#f28e2b" },
  { key: "p99Ms", label: "p99", color: "#e15759" },
] as const

/** The slowest ok request per step, drawn above the percentiles when the report has it. */
export const MAX_LINE = { key: "maxMs", label: "max", color: "#374151" } as const

/** Timed-out tries per step, marked along a latency panel's top edge. */
export const TIMEOUT_MARK = { label: "tries timed out", color: "#b91c1c" } as const

/** Outcome lines of the throughput chart, with their colours. */
export const OUTCOMES = [
  { key: "ok", label: "ok /s", color: "#59a14f" },
  { key: "rejected", label: "rejected /s", color: "#edc948" },
  { key: "failed", label: "failed /s", color: "#e15759" },
  { key: "retries", label: "retries /s", color: "#b07aa1" },
  { key: "fastRejects", label: "fast rejects /s", color: "#9c755f" },
] as const

/** The request kinds of a report, in report order. */
export const kindsOf = (report: Report): ReadonlyArray<string> => Object.keys(report.series.kinds)

const asBaseline = (lines: ReadonlyArray<Line>): ReadonlyArray<Line> =>
  lines.map((l) => ({ ...l, id: `baseline:${l.id}`, label: `${l.label} (baseline)`, baseline: true }))

/**
 * p50/p95/p99 of one kind's ok requests over time; the baseline's (same kind) after, dashed.
 *
 * @example
 * latencyLines(report, "sendmsg").map((l) => l.id) // ["p50:sendmsg", "p95:sendmsg", "p99:sendmsg"]
 */
export function latencyLines(report: Report, kind: string, baseline?: Report): ReadonlyArray<Line> {
  const own = (r: Report): ReadonlyArray<Line> => {
    const s = r.series.kinds[kind]
    if (s === undefined) return []
    const lines: Line[] = PERCENTILES.filter((p) => Array.isArray(s[p.key])).map((p) => ({
      id: `${p.label}:${kind}`,
      label: p.label,
      color: p.color,
      t: r.series.t,
      y: s[p.key],
    }))
    if (Array.isArray(s.maxMs)) lines.push({ id: `max:${kind}`, label: MAX_LINE.label, color: MAX_LINE.color, t: r.series.t, y: s.maxMs, className: "line-max" })
    return lines
  }
  return baseline === undefined ? own(report) : [...own(report), ...asBaseline(own(baseline))]
}

/**
 * The steps in which tries of `kind`'s requests timed out: times and rates (per second), only the
 * steps with any; empty when none did or the report does not count them.
 *
 * @example
 * timeoutMarks(report, "sendmsg") // [{ t: 41, perS: 15 }, …]
 */
export function timeoutMarks(report: Report, kind: string): ReadonlyArray<{ readonly t: number; readonly perS: number }> {
  const y = report.series.kinds[kind]?.timeouts
  if (!Array.isArray(y)) return []
  return report.series.t.flatMap((t, i) => ((y[i] ?? 0) > 0 ? [{ t, perS: y[i] }] : []))
}

/** Element-wise sum of aligned arrays (missing arrays count as zeros). */
export function sumSeries(n: number, arrays: ReadonlyArray<ReadonlyArray<number | null> | undefined>): number[] {
  const out = new Array<number>(n).fill(0)
  for (const a of arrays) {
    if (a === undefined) continue
    for (let i = 0; i < n; i++) out[i] += a[i] ?? 0
  }
  return out.map((x) => Math.round(x * 1000) / 1000)
}

/**
 * Throughput and outcomes per second over time, summed over `kinds` (all kinds by default):
 * ok, rejected and failed requests, plus the run-wide retries and fast rejects.
 *
 * @example
 * outcomeLines(report).map((l) => l.id) // ["ok", "rejected", "failed", "retries", "fastRejects"]
 */
export function outcomeLines(report: Report, kinds?: ReadonlyArray<string>, baseline?: Report): ReadonlyArray<Line> {
  const own = (r: Report): ReadonlyArray<Line> => {
    const n = r.series.t.length
    const ks = (kinds ?? kindsOf(r)).map((k) => r.series.kinds[k]).filter((k) => k !== undefined)
    const values: Record<(typeof OUTCOMES)[number]["key"], ReadonlyArray<number> | undefined> = {
      ok: sumSeries(n, ks.map((k) => k.throughput)),
      rejected: sumSeries(n, ks.map((k) => k.rejected)),
      failed: sumSeries(n, ks.map((k) => k.failed)),
      retries: r.series.resilience?.retries,
      fastRejects: r.series.resilience?.fastRejects,
    }
    return OUTCOMES.flatMap((o) => {
      const y = values[o.key]
      return y === undefined || y.length !== n ? [] : [{ id: o.key, label: o.label, color: o.color, t: r.series.t, y }]
    })
  }
  return baseline === undefined ? own(report) : [...own(report), ...asBaseline(own(baseline))]
}

/** What the service chart plots: InQueue depth, worker utilization, fast reject's pass rate, or an MQ's backlog. */
export type ServiceMetric = "queueDepth" | "utilization" | "passRate" | "backlog"

/**
 * One line per service for `metric` (services without that series are left out), coloured from
 * `palette` in report order so a service keeps its colour when others are hidden.
 *
 * @example
 * serviceLines(report, "queueDepth").map((l) => l.label) // ["nginx", "wwlproxy", …]
 */
export function serviceLines(report: Report, metric: ServiceMetric, palette: ReadonlyArray<string>): ReadonlyArray<Line> {
  // An MQ's backlog is kept per request kind (the kind's `redeliver`), named by the kind.
  if (metric === "backlog") {
    return Object.entries(report.series.kinds).flatMap(([name, k], i) =>
      k.backlog === undefined ? [] : [{ id: `backlog:${name}`, label: name, color: palette[i % palette.length], t: report.series.t, y: k.backlog }])
  }
  return Object.entries(report.series.services).flatMap(([name, s], i) => {
    const y = s[metric]
    return y === undefined ? [] : [{ id: `${metric}:${name}`, label: name, color: palette[i % palette.length], t: report.series.t, y }]
  })
}

/**
 * One InQueue-depth line per instance of `service`, when the report has per-instance series
 * (services with several instances); an empty list otherwise.
 *
 * @example
 * instanceLines(report, "wwllogic", palette).map((l) => l.label) // ["wwllogic@logic-1", …]
 */
export function instanceLines(report: Report, service: string, palette: ReadonlyArray<string>): ReadonlyArray<Line> {
  const instances = report.series.services[service]?.instances ?? {}
  return Object.entries(instances).map(([host, s], i) => ({
    id: `queueDepth:${service}@${host}`, label: `${service}@${host}`, color: palette[i % palette.length], t: report.series.t, y: s.queueDepth,
  }))
}

/**
 * The largest value of a line inside [from, to] seconds (null values ignored), or 0.
 *
 * @example
 * peakIn({ id: "a", label: "a", color: "", t: [0, 1, 2], y: [1, null, 5] }, 0, 1) // 1
 */
export function peakIn(line: Line, from: number, to: number): number {
  let peak = 0
  for (let i = 0; i < line.t.length; i++) {
    const v = line.y[i]
    if (line.t[i] >= from && line.t[i] <= to && v !== null && v !== undefined && v > peak) peak = v
  }
  return peak
}

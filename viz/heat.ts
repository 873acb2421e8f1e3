/**
 * Rows of the hosts × time heatmap: one per host, each step's use of the chosen resource as a
 * fraction of its limit, binned to at most `columns` cells so a one-hour run stays light to draw.
 */
import type { HostReport, HostSeries, Report } from "../sim/report/Report.ts"

/** The resources the heatmap switches between. */
export type HeatMetric = "cpu" | "nic" | "ports" | "disk"

export const HEAT_METRICS: ReadonlyArray<{ readonly key: HeatMetric; readonly label: string }> = [
  { key: "cpu", label: "CPU" },
  { key: "nic", label: "NIC" },
  { key: "ports", label: "ports" },
  { key: "disk", label: "disk" },
]

/** One cell: steps `[i0, i1)` of the series, drawn from `fromS` to `toS`. */
export interface HeatCell {
  readonly i0: number
  readonly i1: number
  readonly fromS: number
  readonly toS: number
  /** Largest fraction of the limit in the cell's steps (so a one-step spike stays visible). */
  readonly frac: number
  /** The raw value at that step, in `unit`. */
  readonly value: number
}

export interface HeatRow {
  readonly host: string
  readonly hostClass: string
  readonly unit: string
  /** What the fraction is of, e.g. `of 2000 Mbps`; "of the largest value" when the report has no limit. */
  readonly basis: string
  readonly cells: ReadonlyArray<HeatCell>
}

/** Disk limits as the engine writes them (`diskMBps.limit`), which `HostReport` does not declare yet. */
type DiskLimit = { readonly read?: number; readonly write?: number } | number | undefined

/** Per-step raw values and fractions of one host for `metric`, or undefined when the host has no such series. */
function hostSteps(metric: HeatMetric, s: HostSeries, h: HostReport | undefined): { raw: number[]; frac: number[]; unit: string; limit?: number; basis: string } | undefined {
  const n = s.cpuUtil.length
  const pick = (i: number, ...arrays: ReadonlyArray<ReadonlyArray<number> | undefined>) =>
    Math.max(0, ...arrays.map((a) => a?.[i] ?? 0))
  switch (metric) {
    case "cpu": {
      const raw = s.cpuUtil.map((v) => v * 100)
      return { raw, frac: s.cpuUtil.slice(), unit: "% busy", limit: 1, basis: `of ${h?.cores ?? "all"} cores` }
    }
    case "nic": {
      if (s.nicInMbps === undefined && s.nicOutMbps === undefined) return undefined
      const raw = Array.from({ length: n }, (_, i) => pick(i, s.nicInMbps, s.nicOutMbps))
      const limit = h?.nicMbps?.limit
      return { raw, frac: raw.map((v) => (limit ? v / limit : v)), unit: "Mbps (busier direction)", limit, basis: limit ? `of ${limit} Mbps` : "" }
    }
    case "ports": {
      if (s.ports === undefined) return undefined
      const limit = h?.portsInUse?.limit
      return { raw: s.ports.slice(), frac: s.ports.map((v) => (limit ? v / limit : v)), unit: "ports in use", limit, basis: limit ? `of ${limit} ports` : "" }
    }
    case "disk": {
      if (s.diskReadMBps === undefined && s.diskWriteMBps === undefined) return undefined
      const lim = (h?.diskMBps as { limit?: DiskLimit } | undefined)?.limit
      const rl = typeof lim === "number" ? lim : lim?.read
      const wl = typeof lim === "number" ? lim : lim?.write
      const raw = Array.from({ length: n }, (_, i) => pick(i, s.diskReadMBps, s.diskWriteMBps))
      const frac = rl && wl
        ? Array.from({ length: n }, (_, i) => Math.max((s.diskReadMBps?.[i] ?? 0) / rl, (s.diskWriteMBps?.[i] ?? 0) / wl))
        : raw
      return { raw, frac, unit: "MB/s (busier of read, write)", limit: rl && wl ? 1 : undefined, basis: rl && wl ? `of ${rl}/${wl} MB/s read/write` : "" }
    }
  }
}

/**
 * Splits `n` steps into at most `columns` consecutive bins of near-equal size: `[i0, i1)` pairs.
 *
 * @example
 * bins(5, 2) // [[0, 2], [2, 5]]
 */
export function bins(n: number, columns: number): ReadonlyArray<readonly [number, number]> {
  const k = Math.max(1, Math.min(n, Math.floor(columns)))
  if (n === 0) return []
  return Array.from({ length: k }, (_, j) => [Math.floor((j * n) / k), Math.floor(((j + 1) * n) / k)] as const)
}

/**
 * The heatmap's rows for `metric`: hosts in report order that have the series, each binned to at
 * most `columns` cells. Without a limit in the report, fractions are of the largest value over all
 * hosts (and `basis` says so).
 *
 * @example
 * heatRows(report, "cpu", 300)[0].cells.length // ≤ 300
 */
export function heatRows(report: Report, metric: HeatMetric, columns: number): ReadonlyArray<HeatRow> {
  const t = report.series.t
  const step = report.series.stepS
  const steps = Object.entries(report.series.hosts).flatMap(([host, s]) => {
    const st = hostSteps(metric, s, report.hosts[host])
    return st === undefined ? [] : [{ host, st }]
  })
  // no limit: scale by the largest value of any host, so rows stay comparable
  const largest = Math.max(1e-12, ...steps.filter((x) => x.st.limit === undefined).flatMap((x) => x.st.frac))
  const binned = bins(t.length, columns)
  return steps.map(({ host, st }) => ({
    host,
    hostClass: report.hosts[host]?.class ?? "",
    unit: st.unit,
    basis: st.limit === undefined ? "of the largest value" : st.basis,
    cells: binned.map(([i0, i1]) => {
      let best = i0
      for (let i = i0 + 1; i < i1; i++) if (st.frac[i] > st.frac[best]) best = i
      const frac = st.limit === undefined ? st.frac[best] / largest : st.frac[best]
      return { i0, i1, fromS: t[i0], toS: t[i1 - 1] + step, frac, value: st.raw[best] }
    }),
  }))
}

/** Predicted vs measured, one row per quantity, with relative errors against the issue's targets. */
import Table from "cli-table3"
import type { ExperimentResult } from "./experiment.ts"

/** (predicted − measured) / measured. */
export const relErr = (predicted: number, measured: number): number => (predicted - measured) / measured

const pct = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%` : "—")
const mark = (ok: boolean | undefined): string => (ok === undefined ? "" : ok ? " ✓" : " ✗")

export function renderTable(r: ExperimentResult): string {
  const t = new Table({ head: ["quantity", "predicted", "measured", "error", "target"] })
  const s = r.saturation
  const se = relErr(s.predicted, s.measured)
  t.push(["saturation throughput (/s)", s.predicted.toFixed(0), s.measured.toFixed(0), pct(se) + mark(Math.abs(se) <= 0.1), "±10%"])
  for (const row of r.rows) {
    const inBand = row.load !== undefined && row.load >= 0.5 - 1e-9 && row.load <= 0.85 + 1e-9 && !row.label.startsWith("failure")
    const p = row.predicted
    const m = row.measured
    const me = relErr(p.meanMs, m.meanMs)
    const pe = relErr(p.p99Ms, m.p99Ms)
    t.push([`${row.label} ${row.rate.toFixed(0)}/s mean (ms)`, p.meanMs.toFixed(2), m.meanMs.toFixed(2), pct(me) + mark(inBand ? Math.abs(me) <= 0.15 : undefined), inBand ? "±15%" : ""])
    t.push([`${row.label} p50 (ms)`, p.p50Ms.toFixed(2), m.p50Ms.toFixed(2), pct(relErr(p.p50Ms, m.p50Ms)), ""])
    t.push([`${row.label} p99 (ms)`, p.p99Ms.toFixed(2), m.p99Ms.toFixed(2), pct(pe) + mark(inBand ? Math.abs(pe) <= 0.25 : undefined), inBand ? "±25%" : ""])
    const failure = row.label.startsWith("failure")
    const ep = (p.errorShare - m.errorShare) * 100
    t.push([`${row.label} error share`, `${(p.errorShare * 100).toFixed(2)}%`, `${(m.errorShare * 100).toFixed(2)}%`,
      `${ep >= 0 ? "+" : ""}${ep.toFixed(2)} pt${mark(failure ? Math.abs(ep) <= 2 : undefined)}`, failure ? "±2 pt" : ""])
  }
  const d = r.calibration.demands
  const head = `${r.config.name}: nginx workers ${r.config.workerProcesses}, model scheduling ${r.config.scheduling}${r.config.wakeup ? " with wake-up" : ""}, ${r.conditions.pinned ? `pinned (system on core ${r.config.sutCore}, load on core ${r.config.loadCore})` : "not pinned"}${r.conditions.nice === undefined ? "" : `, nice ${r.conditions.nice}`}, load average ${r.conditions.loadavg.join(" ")}\n` +
    `calibrated at ${r.calibration.rate.toFixed(0)}/s: nginx ${d.nginxCpuUs.toFixed(0)} us/request (+${d.wakeupUs.nginx.toFixed(0)} us woken), backend ${d.backend.kind} mean ${d.backend.meanUs.toFixed(0)} us (+${d.wakeupUs.backend.toFixed(0)} us woken)` +
    `${d.backend.kind === "const" ? "" : ` cv ${d.backend.cv.toFixed(2)}`} (configured ${r.calibration.truthMeanUs.toFixed(0)} us), fixed overhead ${r.calibration.overheadUs.toFixed(0)} us`
  return `${head}\n${t.toString()}`
}

/** The same comparison as one Markdown table over several configurations (for the README). */
export function renderMarkdown(results: ReadonlyArray<ExperimentResult>): string {
  const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : "—")
  const lines = ["| configuration | load | quantity | predicted | measured | error |", "| --- | --- | --- | --- | --- | --- |"]
  for (const r of results) {
    const s = r.saturation
    lines.push(`| ${r.config.name} | saturation | throughput /s | ${s.predicted.toFixed(0)} | ${s.measured.toFixed(0)} | ${pct(relErr(s.predicted, s.measured))} |`)
    for (const row of r.rows) {
      const p = row.predicted
      const m = row.measured
      const label = `${row.label} (${row.rate.toFixed(0)}/s)`
      lines.push(`| | ${label} | mean / p50 / p99 ms | ${f2(p.meanMs)} / ${f2(p.p50Ms)} / ${f2(p.p99Ms)} | ${f2(m.meanMs)} / ${f2(m.p50Ms)} / ${f2(m.p99Ms)} | ${pct(relErr(p.meanMs, m.meanMs))} / ${pct(relErr(p.p50Ms, m.p50Ms))} / ${pct(relErr(p.p99Ms, m.p99Ms))} |`)
      if (row.label.startsWith("failure") || p.errorShare > 0 || m.errorShare > 0) {
        const ep = (p.errorShare - m.errorShare) * 100
        lines.push(`| | ${label} | error share | ${(p.errorShare * 100).toFixed(2)}% | ${(m.errorShare * 100).toFixed(2)}% | ${ep >= 0 ? "+" : ""}${ep.toFixed(2)} pt |`)
      }
    }
  }
  return lines.join("\n")
}

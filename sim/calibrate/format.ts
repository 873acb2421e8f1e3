/** The terminal summary of a calibration and its validation table, and the same as JSON. */
import Table from "cli-table3"
import type { Calibration } from "./estimate.ts"
import type { OverlayEntry } from "./model.ts"
import type { InputReport } from "./read.ts"
import type { Validation } from "./validate.ts"

const iso = (t: number) => new Date(t * 1000).toISOString().replace(/\.000Z$/, "Z")
const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? (+v.toPrecision(digits)).toLocaleString("en-US", { maximumFractionDigits: 6 }) : "–")
const us = (s: number) => (s < 0.001 ? `${fmt(s * 1e6)} µs` : `${fmt(s * 1000)} ms`)
const signed = (x: number | null) => (x === null ? "–" : `${x >= 0 ? "+" : ""}${(100 * x).toFixed(1)}%`)

const plain = { style: { head: [], border: [] } }

/** The whole printed summary. */
export function renderCalibration(cal: Calibration, inputs: ReadonlyArray<InputReport>, validation: Validation | undefined, out: { overlay?: string; html?: string }): string {
  const parts: string[] = []
  const inputTable = new Table({ head: ["input", "format", "lines", "records", "unparsed"], ...plain })
  for (const i of inputs) inputTable.push([i.file, i.format, i.lines.toLocaleString("en-US"), i.records.toLocaleString("en-US"), i.garbage === 0 ? "0" : `${i.garbage} (${(100 * i.garbage / (i.garbage + i.records)).toFixed(1)}%)`])
  parts.push(inputTable.toString())
  parts.push(`window: ${iso(cal.window.from)} to ${iso(cal.window.to)}, ${cal.window.intervals} intervals of ${cal.intervalS}s`)

  const kinds = new Table({ head: ["kind", "requests", "rate /s (95%)", "peak /s", "request B", "reply B", "$request_time mean / p50 / p99"], ...plain })
  for (const [k, e] of Object.entries(cal.kinds)) {
    kinds.push([k, Math.round(e.requests).toLocaleString("en-US"), `${fmt(e.rate.value)} (${fmt(e.rate.lo)}–${fmt(e.rate.hi)})`, `${fmt(e.peakRate)} at ${iso(e.peakAt).slice(11, 16)}`,
      fmt(e.requestBytes.value), fmt(e.replyBytes.value), `${us(e.latency.mean)} / ${us(e.latency.p50)} / ${us(e.latency.p99)}`])
  }
  parts.push(kinds.toString())

  for (const [cls, e] of Object.entries(cal.classes)) {
    const t = new Table({ head: [`${cls} (${e.hosts.length} × ${e.cores} cores)`, "CPU per request", "95% interval"], ...plain })
    e.fit.demands.forEach((d) => t.push([d.name, us(d.value), `${us(d.lo)}–${us(d.hi)}${d.atBound ? " (at 0)" : ""}`]))
    const b = e.fit.background
    t.push(["background", `${fmt(b.value)} cores`, `${fmt(b.lo)}–${fmt(b.hi)}`])
    parts.push(`${t.toString()}\n  R² ${e.fit.r2.toFixed(3)}, ${e.fit.n} intervals, residual sd ${fmt(e.fit.residualSd)} cores, mean use ${(100 * e.util).toFixed(1)}%`)
  }
  if (Object.keys(cal.modules).length > 0) {
    const t = new Table({ head: ["module", "calls", "by kind", "CPU mean (95%)", "cv", "from", "queue mean"], ...plain })
    for (const [name, m] of Object.entries(cal.modules)) {
      t.push([name, m.records.toLocaleString("en-US"), Object.entries(m.kinds).map(([k, n]) => `${k} ${n}`).join(", "), `${us(m.cpu.mean.value)} (${us(m.cpu.mean.lo)}–${us(m.cpu.mean.hi)})`, m.cpu.cv.toFixed(2), m.cpu.source, us(m.queueMeanS)])
    }
    parts.push(t.toString())
  }
  if (validation !== undefined) parts.push(renderValidation(validation))
  for (const n of cal.notes) parts.push(`note: ${n}`)
  if (out.overlay !== undefined) parts.push(`overlay: ${out.overlay}`)
  if (out.html !== undefined) parts.push(`page: ${out.html}`)
  return parts.join("\n")
}

/** The validation table: predicted vs measured with the relative error. */
export function renderValidation(v: Validation): string {
  const t = new Table({ head: ["validation", "", "measured", "predicted", "error"], ...plain })
  for (const r of v.rows) t.push([r.metric, r.subject, `${fmt(r.measured)} ${r.unit}`, `${fmt(r.predicted)} ${r.unit}`, signed(r.relError)])
  return `${t.toString()}\n  predicted: ${v.scenario} simulated at the measured load (seed ${v.seed}, ${v.warmupS}s warm-up + ${v.durationS}s); CPU includes the fitted background`
}

/** Everything as one JSON document. */
export function calibrationJson(cal: Calibration, inputs: ReadonlyArray<InputReport>, validation: Validation | undefined, entries: ReadonlyArray<OverlayEntry>): unknown {
  return {
    inputs,
    window: cal.window, intervalS: cal.intervalS,
    kinds: cal.kinds,
    classes: Object.fromEntries(Object.entries(cal.classes).map(([c, e]) => [c, {
      hosts: e.hosts, cores: e.cores, util: e.util,
      fit: { r2: e.fit.r2, n: e.fit.n, dof: e.fit.dof, residualSd: e.fit.residualSd, background: e.fit.background, demands: e.fit.demands, columns: e.fit.columns, residuals: e.fit.residuals },
    }])),
    modules: cal.modules,
    overlay: entries,
    validation: validation === undefined ? null : { scenario: validation.scenario, seed: validation.seed, warmupS: validation.warmupS, durationS: validation.durationS, rows: validation.rows },
    notes: cal.notes,
  }
}

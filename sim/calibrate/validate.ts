/**
 * Validation: the calibrated scenario simulated at the measured load, compared with what was
 * measured — per host class CPU (the simulated use plus the fitted background, which the model
 * does not simulate), per kind throughput, and mean / p50 / p99 of nginx's $request_time against
 * the simulated latency from arrival to reply.
 */
import type { SimReport } from "../report/Report.ts"
import type { Scenario } from "../scenario/Scenario.ts"
import { simulate } from "../simulate.ts"
import type { Calibration } from "./estimate.ts"

export interface ValidationRow {
  /** "cpu", "throughput", "latency.mean", "latency.p50", "latency.p99" */
  readonly metric: string
  /** A host class or a request kind. */
  readonly subject: string
  readonly unit: "%" | "/s" | "ms"
  readonly measured: number
  readonly predicted: number
  /** (predicted − measured) / measured; null when measured is 0. */
  readonly relError: number | null
}

export interface Validation {
  readonly scenario: string
  readonly seed: number
  readonly warmupS: number
  readonly durationS: number
  readonly rows: ReadonlyArray<ValidationRow>
  readonly report: SimReport
}

const row = (metric: string, subject: string, unit: ValidationRow["unit"], measured: number, predicted: number): ValidationRow => ({
  metric, subject, unit, measured, predicted, relError: measured === 0 || !Number.isFinite(measured) ? null : (predicted - measured) / measured,
})

/**
 * Simulates `scenario` (its window replaced by `warmupS` + `durationS`) and compares.
 *
 * @example
 * const v = validate(cal, scenario, { warmupS: 10, durationS: 60 })
 */
export function validate(cal: Calibration, scenario: Scenario, window: { readonly warmupS: number; readonly durationS: number }): Validation {
  const run = { ...scenario, warmup: window.warmupS, duration: window.durationS, faults: [], slo: [] }
  const { report } = simulate(run)
  const rows: ValidationRow[] = []
  for (const [cls, est] of Object.entries(cal.classes)) {
    const hosts = Object.values(report.hosts).filter((h) => h.class === cls)
    if (hosts.length === 0) continue
    const simUtil = hosts.reduce((a, h) => a + h.cpuUtil, 0) / hosts.length
    const background = est.fit.background.value / (est.cores * est.hosts.length)
    rows.push(row("cpu", cls, "%", 100 * est.util, 100 * (simUtil + background)))
  }
  for (const [kind, est] of Object.entries(cal.kinds)) {
    const r = report.requests[kind]
    if (r === undefined) continue
    rows.push(row("throughput", kind, "/s", est.rate.value, r.ok / window.durationS))
    if (r.ok === 0 || !Number.isFinite(est.latency.mean)) continue
    rows.push(row("latency.mean", kind, "ms", 1000 * est.latency.mean, r.latencyMs.mean))
    rows.push(row("latency.p50", kind, "ms", 1000 * est.latency.p50, r.latencyMs.p50))
    rows.push(row("latency.p99", kind, "ms", 1000 * est.latency.p99, r.latencyMs.p99))
  }
  return { scenario: scenario.name, seed: scenario.seed, warmupS: window.warmupS, durationS: window.durationS, rows, report }
}

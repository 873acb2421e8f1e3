import type { Scenario } from "./scenario/Scenario.ts"
import type { SimReport } from "./report/Report.ts"

/** Called on simulated-time progress, at most once per series step. */
export type ProgressListener = (simTimeS: number, totalS: number) => void

export interface SimulateOptions {
  readonly onProgress?: ProgressListener
}

export interface SimResult {
  readonly report: SimReport
  /** Events the kernel executed, for `run.events`. */
  readonly events: number
}

/**
 * Runs one scenario to the end of its window and returns its report (without `run`).
 * Pure: the same scenario gives the same report.
 *
 * @example
 * const { report } = simulate(scenario)
 * console.log(report.requests.ping.latencyMs.p99)
 */
export function simulate(scenario: Scenario, options: SimulateOptions = {}): SimResult {
  void scenario; void options
  throw new Error("simulate: not implemented yet")
}

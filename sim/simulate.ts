import { Engine, type ProgressListener } from "./engine/Engine.ts"
import { buildReport } from "./report/build.ts"
import type { SimReport } from "./report/Report.ts"
import type { Scenario } from "./scenario/Scenario.ts"
import { simulateWarmupAuto } from "./replications/warmupAuto.ts"

export type { ProgressListener }

export interface SimulateOptions {
  /** Called once per series step with the simulated time reached. */
  readonly onProgress?: ProgressListener
}

export interface SimResult {
  readonly report: SimReport
  /** Events the kernel executed, for `run.events`. */
  readonly events: number
}

/**
 * Runs one scenario to the end of its window and returns its report (without `run`).
 * Pure: the same scenario gives the same report. With `warmupAuto` (`warmup: auto`) the warm-up
 * is chosen by MSER-5 first, at the cost of a second run (`sim/replications/warmupAuto.ts`).
 *
 * @example
 * const { report } = simulate(scenario)
 * console.log(report.requests.ping.latencyMs.p99)
 */
export function simulate(scenario: Scenario, options: SimulateOptions = {}): SimResult {
  if (scenario.warmupAuto === true) return simulateWarmupAuto(scenario, options)
  const engine = new Engine(scenario, options.onProgress)
  engine.run()
  return { report: buildReport(engine), events: engine.events }
}

import { Engine, type ProgressListener } from "./engine/Engine.ts"
import { buildReport } from "./report/build.ts"
import type { SimReport } from "./report/Report.ts"
import type { Scenario } from "./scenario/Scenario.ts"
import { simulationWarmupAuto } from "./warmupAuto.ts"
import { type EncodedHistograms, encodeKinds } from "./measure/histograms.ts"

export type { ProgressListener }

export interface SimulateOptions {
  /** Called once per series step with the simulated time reached. */
  readonly onProgress?: ProgressListener
  /** Also return each kind's latency histogram, encoded (`SimResult.histograms`), for pooling replications. */
  readonly histograms?: boolean
}

export interface SimResult {
  readonly report: SimReport
  /** Events the kernel executed, for `run.events`. */
  readonly events: number
  /** With `histograms: true`: each kind's ok-request latency histogram (`sim/measure/histograms.ts`). */
  readonly histograms?: EncodedHistograms
}

/**
 * Runs one scenario to the end of its window and returns its report (without `run`).
 * Pure: the same scenario gives the same report. With `warmupAuto` (`warmup: auto`) the warm-up
 * is chosen by MSER-5 first, at the cost of a second run (`sim/warmupAuto.ts`).
 *
 * @example
 * const { report } = simulate(scenario)
 * console.log(report.requests.ping.latencyMs.p99)
 */
export function simulate(scenario: Scenario, options: SimulateOptions = {}): SimResult {
  const steps = simulation(scenario, options)
  for (;;) {
    const next = steps.next()
    if (next.done === true) return next.value
  }
}

/**
 * `simulate` as a generator that yields between slices of the engine's events (about a third
 * of a second each), so a caller on the main thread can let the event loop run — a Ctrl-C
 * handler, a progress redraw — without the hot loop knowing.
 *
 * @example
 * const steps = simulation(scenario); let r = steps.next(); while (!r.done) r = steps.next()
 */
export function* simulation(scenario: Scenario, options: SimulateOptions = {}): Generator<void, SimResult, void> {
  if (scenario.warmupAuto === true) return yield* simulationWarmupAuto(scenario, options)
  const engine = new Engine(scenario, options.onProgress)
  yield* slices(engine)
  const report = buildReport(engine)
  return options.histograms === true
    ? { report, events: engine.events, histograms: encodeKinds(engine.model.kinds) }
    : { report, events: engine.events }
}

/**
 * Runs `engine` to its end, yielding after each slice.
 *
 * @example
 * yield* slices(new Engine(scenario))
 */
export function* slices(engine: Engine): Generator<void, void, void> {
  while (!engine.runSlice()) yield
}

/**
 * The engine as a service. The hot loop stays the plain, synchronous `simulate`; this wrapper
 * only lets the CLI depend on it through a layer, and turns a throw inside it into a defect
 * (exit code 3: a bug in the simulator, not bad input).
 */
import { Context, Effect, Layer } from "effect"
import type { Scenario } from "./scenario/Scenario.ts"
import { simulate, type ProgressListener, type SimResult } from "./simulate.ts"

/**
 * Runs a scenario to the end of its window.
 *
 * @example
 * const { report, events } = yield* (yield* Simulator).run(scenario, onProgress)
 */
export class Simulator extends Context.Service<Simulator, {
  readonly run: (scenario: Scenario, onProgress?: ProgressListener) => Effect.Effect<SimResult>
}>()("wwsim/Simulator") {
  /**
   * The real engine.
   *
   * @example
   * program.pipe(Effect.provide(Simulator.layer))
   */
  static readonly layer = Layer.succeed(Simulator, {
    run: (scenario, onProgress) => Effect.sync(() => simulate(scenario, onProgress ? { onProgress } : {})),
  })
}

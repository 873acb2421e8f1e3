/**
 * The engine as a service. The hot loop stays plain and synchronous; this wrapper lets the CLI
 * depend on it through a layer, gives the event loop a turn between slices of events (so Ctrl-C
 * is handled within a fraction of a second, and interrupts the run), and turns a throw inside
 * it into a defect (exit code 3: a bug in the simulator, not bad input).
 */
import { Context, Effect, Layer } from "effect"
import type { Scenario } from "./scenario/Scenario.ts"
import { type ProgressListener, type SimResult, simulation } from "./simulate.ts"

/** A macrotask turn: signal handlers and I/O callbacks run (a microtask would not let them). */
const nextTurn = Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))

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
    run: (scenario, onProgress) =>
      Effect.suspend(() => {
        const steps = simulation(scenario, onProgress ? { onProgress } : {})
        const go: Effect.Effect<SimResult> = Effect.suspend(() => {
          const next = steps.next()
          return next.done === true ? Effect.succeed(next.value) : Effect.andThen(nextTurn, go)
        })
        return go
      }),
  })
}

/**
 * How `wwsim check` runs many scenarios at once: a service, so tests can run them in process.
 */
import { Context, Effect, Layer, type Scope } from "effect"
import type { Scenario } from "../scenario/Scenario.ts"
import { simulate } from "../simulate.ts"
import { SimulationCrashed, type TimedResult, WorkerPool } from "./WorkerPool.ts"

/** Simulates one scenario; a failure of the simulator is a defect (`SimulationCrashed`). */
export type Simulate = (scenario: Scenario, options?: SimulateJobOptions) => Effect.Effect<TimedResult>

/** `histograms`: also return each kind's encoded latency histogram (replications pool them). */
export interface SimulateJobOptions {
  readonly histograms?: boolean
}

/**
 * Starts a pool for the duration of a scope.
 *
 * @example
 * const simulate = yield* (yield* SimulationPool).start(4)
 * const { report, wallS } = yield* simulate(scenario)
 */
export class SimulationPool extends Context.Service<SimulationPool, {
  /** A simulator that runs up to `threads` scenarios at once; its workers stop when the scope closes. */
  readonly start: (threads: number) => Effect.Effect<Simulate, never, Scope.Scope>
}>()("wwsim/SimulationPool") {
  /**
   * Worker threads running `dist/wwsim-worker.mjs`.
   *
   * @example
   * program.pipe(Effect.provide(SimulationPool.workers))
   */
  static readonly workers = Layer.succeed(SimulationPool, {
    start: (threads) =>
      Effect.acquireRelease(
        Effect.sync(() => new WorkerPool(threads)),
        (pool) => Effect.promise(() => pool.close()),
      ).pipe(Effect.map((pool): Simulate => (scenario, options) => Effect.promise(() => pool.run(scenario, options)))),
  })

  /**
   * One scenario at a time on this thread, with the real engine: for tests, and where threads
   * are not wanted.
   *
   * @example
   * program.pipe(Effect.provide(SimulationPool.inProcess))
   */
  static readonly inProcess = Layer.succeed(SimulationPool, {
    start: () =>
      Effect.succeed((scenario, options) =>
        Effect.sync(() => {
          const started = performance.now()
          try {
            const { report, events, histograms } = simulate(scenario, { histograms: options?.histograms === true })
            return { report, events, wallS: (performance.now() - started) / 1000, ...(histograms ? { histograms } : {}) }
          } catch (e) {
            const error = e instanceof Error ? e : new Error(String(e))
            throw new SimulationCrashed(error.message, error.stack ?? error.message)
          }
        })),
  })
}

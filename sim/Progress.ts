/**
 * Simulated-time progress as a service: long-running work (a run, replications) reports through
 * it, and the CLI decides how it is shown (`sim/cli/Progress.ts`: a bar on a terminal, or nothing).
 */
import { Context, Effect, Layer, type Scope } from "effect"
import type { ProgressListener } from "./simulate.ts"

/**
 * Reports simulated-time progress to the user while the engine runs.
 *
 * @example
 * const onProgress = yield* (yield* Progress).track(scenario.warmup + scenario.duration)
 */
export class Progress extends Context.Service<Progress, {
  /** A listener for `simulate`'s `onProgress`; the display is removed when the scope closes. */
  readonly track: (totalS: number) => Effect.Effect<ProgressListener, never, Scope.Scope>
}>()("wwsim/Progress") {
  /**
   * No output at all: for `--quiet`, CI and pipes.
   *
   * @example
   * program.pipe(Effect.provide(Progress.none))
   */
  static readonly none = Layer.succeed(Progress, {
    track: () => Effect.succeed(() => {}),
  })
}

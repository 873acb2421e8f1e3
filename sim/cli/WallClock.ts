/**
 * Wall-clock time, for `run.wallS` only: the engine itself never reads it (its clock is simulated).
 * A service so tests can pin the figure.
 */
import { Context, Effect, Layer } from "effect"

/**
 * Reads the wall clock.
 *
 * @example
 * const started = yield* (yield* WallClock).nowS
 */
export class WallClock extends Context.Service<WallClock, {
  /** Seconds from an arbitrary origin; only differences are meaningful. */
  readonly nowS: Effect.Effect<number>
}>()("wwsim/WallClock") {
  /**
   * The process's monotonic clock (`performance.now`).
   *
   * @example
   * program.pipe(Effect.provide(WallClock.layer))
   */
  static readonly layer = Layer.succeed(WallClock, {
    nowS: Effect.sync(() => performance.now() / 1000),
  })

  /**
   * A clock that reads `times` in turn (the last one repeats): `fixed(0, 2)` makes a run take 2 s.
   *
   * @example
   * program.pipe(Effect.provide(WallClock.fixed(0, 2)))
   */
  static readonly fixed = (...times: ReadonlyArray<number>) => {
    let i = 0
    return Layer.succeed(WallClock, {
      nowS: Effect.sync(() => times[Math.min(i++, times.length - 1)] ?? 0),
    })
  }
}

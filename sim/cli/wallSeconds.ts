import { Clock, Effect } from "effect"

/**
 * Seconds on the monotonic clock of Effect's `Clock` service (`TestClock` in tests): only
 * differences mean anything. Wall-clock time feeds `run.wallS` and nothing else; the engine's
 * clock is simulated.
 *
 * @example
 * const started = yield* wallSeconds
 * // … work …
 * const wallS = (yield* wallSeconds) - started
 */
export const wallSeconds: Effect.Effect<number> = Effect.map(Clock.monotonicTimeNanos, (ns) => Number(ns) / 1e9)

/**
 * A run finished and at least one of its SLOs did not hold: exit code 1 (the README's exit codes).
 */
import { Data } from "effect"
import type { SloResult } from "./Slo.ts"

/**
 * At least one SLO was breached. `line` is the one line for stderr (already shaped by
 * `breachLine`, or a summary when `check` has printed the details).
 *
 * @example
 * yield* Effect.fail(new SloBreached({ line: breachLine(report.scenario, results), results }))
 */
export class SloBreached extends Data.TaggedError("SloBreached")<{
  readonly line: string
  readonly results: ReadonlyArray<SloResult>
}> {}

/**
 * How a finished CLI run becomes an exit code and (at most) one line on stderr.
 * The README's exit codes: 0 ran, 1 an SLO was breached, 2 bad input, 3 a bug in the simulator.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Cause, Exit } from "effect"
import { CliError } from "effect/cli"
import { ReportWriteFailed } from "../report/ReportSink.ts"
import { formatScenarioError, ScenarioInvalid, ScenarioUnreadable } from "../scenario/errors.ts"
import { SloBreached } from "../slo/errors.ts"
import { CheckInputInvalid } from "../check/errors.ts"
import { MergeInvalid } from "../replications/merge.ts"

/** The exit codes the README documents. */
export const ExitCode = { ok: 0, sloBreached: 1, badInput: 2, internal: 3 } as const

export interface Outcome {
  readonly code: number
  /** A line for stderr (`check`: one line per invalid file), when the run has not printed it already. */
  readonly line?: string
}

/**
 * The outcome of an expected failure, or `undefined` when the error is not one wwsim expects
 * (which then counts as a bug).
 *
 * @example
 * expectedFailure(new ReportWriteFailed({ path: "out/report.json", reason: "EACCES" }))
 * // { code: 2, line: "error: cannot write out/report.json: EACCES" }
 */
export const expectedFailure = (error: unknown): Outcome | undefined => {
  // effect/cli has already shown help or the one-line error (sim/cli/Presenter.ts)
  if (CliError.isCliError(error)) return { code: ExitCode.badInput }
  if (error instanceof ScenarioInvalid || error instanceof ScenarioUnreadable) {
    return { code: ExitCode.badInput, line: formatScenarioError(error) }
  }
  if (error instanceof SloBreached) return { code: ExitCode.sloBreached, line: error.line }
  // `check`: every invalid file, one line each
  if (error instanceof CheckInputInvalid) return { code: ExitCode.badInput, line: error.lines.join("\n") }
  // `merge`: the files are not exactly one run's shards
  if (error instanceof MergeInvalid) return { code: ExitCode.badInput, line: error.line }
  // an unwritable output location is the user's to fix, like any other bad input
  if (error instanceof ReportWriteFailed) {
    return { code: ExitCode.badInput, line: `error: cannot write ${error.path}: ${error.reason}` }
  }
  return undefined
}

/**
 * Writes the details of a crash where the user can find them: `results/wwsim-crash-<time>.log`,
 * or the system temp directory when `results/` is not writable. Returns the file.
 *
 * @example
 * writeCrashLog("TypeError: x is undefined\n    at …") // "results/wwsim-crash-2025-01-01T10-00-00-000Z.log"
 */
export const writeCrashLog = (
  details: string,
  now: Date = new Date(),
  dirs: ReadonlyArray<string> = ["results", tmpdir()],
): string => {
  const name = `wwsim-crash-${now.toISOString().replace(/[:.]/g, "-")}.log`
  const body = [
    `wwsim crash at ${now.toISOString()}`,
    `argv: ${JSON.stringify(process.argv.slice(2))}`,
    `node: ${process.version}  cwd: ${process.cwd()}`,
    "",
    details,
    "",
  ].join("\n")
  for (const dir of dirs) {
    try {
      mkdirSync(dir, { recursive: true })
      const file = join(dir, name)
      writeFileSync(file, body)
      return file
    } catch {
      // try the next place
    }
  }
  return `(nowhere: none of ${dirs.join(", ")} is writable)`
}

const firstLine = (s: string): string => s.split("\n", 1)[0] ?? s

/**
 * Maps the exit of the whole CLI program to an exit code and a stderr line; writes a crash
 * log for anything unexpected (defects, or an unknown typed error).
 *
 * @example
 * const { code, line } = outcomeOf(await Effect.runPromiseExit(program))
 */
export const outcomeOf = (exit: Exit.Exit<unknown, unknown>, crashLog: (details: string) => string = writeCrashLog): Outcome => {
  if (Exit.isSuccess(exit)) return { code: ExitCode.ok }
  const cause = exit.cause
  const failure = cause.reasons.find(Cause.isFailReason)
  if (failure && !Cause.hasDies(cause)) {
    const expected = expectedFailure(failure.error)
    if (expected) return expected
  }
  if (Cause.hasInterruptsOnly(cause)) return { code: 130, line: "error: interrupted" }
  const squashed = Cause.squash(cause)
  const message = squashed instanceof Error ? squashed.message : String(squashed)
  const file = crashLog(Cause.pretty(cause))
  return {
    code: ExitCode.internal,
    line: `error: internal error in the simulator: ${firstLine(message)}; details written to ${file}`,
  }
}

/**
 * How a finished CLI run becomes an exit code and (at most) one line on stderr: 0 ran, 1 an SLO
 * was breached (or `size` found no deployment), 2 bad input, 3 a bug in the simulator, 130/143
 * interrupted by SIGINT/SIGTERM.
 */
import { writeFileSync } from "node:fs"
import { makeDirectoriesSync } from "../report/directories.ts"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Cause, Exit } from "effect"
import { CliError } from "effect/cli"
import type { CheckInputInvalid } from "../check/errors.ts"
import type { OutputLocked, ReportWriteFailed } from "../report/ReportSink.ts"
import type { MergeInvalid } from "../replications/merge.ts"
import { formatScenarioError, type ScenarioInvalid, type ScenarioUnreadable } from "../scenario/errors.ts"
import type { SloBreached } from "../slo/errors.ts"
import type { FlagInvalid, NoDeploymentFound, ReportInvalid } from "./errors.ts"
import type { VizBuildFailed } from "./reportCommand.ts"

/** The exit codes of the README's table; an interrupt exits 128 + the signal's number. */
export const ExitCode = { ok: 0, sloBreached: 1, badInput: 2, internal: 3, interrupted: 130, terminated: 143 } as const

export interface Outcome {
  readonly code: number
  /** A line for stderr (`check`: one line per invalid file), when the run has not printed it already. */
  readonly line?: string
}

/**
 * Every error a command may fail with. `main.ts` checks at compile time that the program's error
 * type is within it, and `byTag` maps each tag, so a new error without an exit code does not build.
 */
export type CliFailure =
  | CliError.CliError
  | ScenarioInvalid
  | ScenarioUnreadable
  | FlagInvalid
  | ReportInvalid
  | ReportWriteFailed
  | OutputLocked
  | CheckInputInvalid
  | MergeInvalid
  | SloBreached
  | NoDeploymentFound
  | VizBuildFailed

type Tagged = Exclude<CliFailure, CliError.CliError>

/** A failure that is wwsim's fault, not the user's: exit 3, one line, the details in a crash log. */
interface Internal {
  readonly internal: string
}

const byTag: { readonly [K in Tagged["_tag"]]: (e: Extract<Tagged, { readonly _tag: K }>) => Outcome | Internal } = {
  ScenarioInvalid: (e) => ({ code: ExitCode.badInput, line: formatScenarioError(e) }),
  ScenarioUnreadable: (e) => ({ code: ExitCode.badInput, line: formatScenarioError(e) }),
  FlagInvalid: (e) => ({ code: ExitCode.badInput, line: e.line }),
  ReportInvalid: (e) => ({ code: ExitCode.badInput, line: e.line }),
  // an unwritable output location is the user's to fix, like any other bad input
  ReportWriteFailed: (e) => ({ code: ExitCode.badInput, line: `error: cannot write ${e.path}: ${e.reason}` }),
  OutputLocked: (e) => ({ code: ExitCode.badInput, line: e.line }),
  // `check`: every invalid file, one line each
  CheckInputInvalid: (e) => ({ code: ExitCode.badInput, line: e.lines.join("\n") }),
  // `merge`: the files are not exactly one run's shards
  MergeInvalid: (e) => ({ code: ExitCode.badInput, line: e.line }),
  SloBreached: (e) => ({ code: ExitCode.sloBreached, line: e.line }),
  // the question had an answer: none within the limit
  NoDeploymentFound: (e) => ({ code: ExitCode.sloBreached, line: e.line }),
  // a broken install or build
  VizBuildFailed: (e) => ({ internal: e.message }),
}

const isTagged = (error: unknown): error is Tagged => {
  const tag = (error as { _tag?: unknown } | null)?._tag
  return typeof tag === "string" && Object.hasOwn(byTag, tag)
}

/**
 * The outcome of an expected failure, or `undefined` when the error is not one wwsim expects
 * (which then counts as a bug).
 *
 * @example
 * expectedFailure(new ReportWriteFailed({ path: "out/report.json", reason: "EACCES" }))
 * // { code: 2, line: "error: cannot write out/report.json: EACCES" }
 */
export const expectedFailure = (error: unknown): Outcome | Internal | undefined => {
  // effect/cli has already shown help or the one-line error (sim/cli/Presenter.ts)
  if (CliError.isCliError(error)) return { code: ExitCode.badInput }
  if (!isTagged(error)) return undefined
  return (byTag[error._tag] as (e: Tagged) => Outcome | Internal)(error)
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
      makeDirectoriesSync(dir)
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
export const outcomeOf = (
  exit: Exit.Exit<unknown, unknown>,
  crashLog: (details: string) => string = writeCrashLog,
  signal?: "SIGINT" | "SIGTERM",
): Outcome => {
  if (Exit.isSuccess(exit)) return { code: ExitCode.ok }
  const cause = exit.cause
  const failure = cause.reasons.find(Cause.isFailReason)
  if (failure && !Cause.hasDies(cause)) {
    const expected = expectedFailure(failure.error)
    if (expected !== undefined && "code" in expected) return expected
    if (expected !== undefined) return internalError(expected.internal, crashLog(Cause.pretty(cause)))
  }
  if (Cause.hasInterruptsOnly(cause)) {
    return { code: signal === "SIGTERM" ? ExitCode.terminated : ExitCode.interrupted, line: "interrupted" }
  }
  const squashed = Cause.squash(cause)
  const message = squashed instanceof Error ? squashed.message : String(squashed)
  // the engine's own guards (no progress, out of memory) say what happened in their words
  const limit = (squashed as { simulatorLimit?: unknown } | null)?.simulatorLimit === true
  return internalError(limit ? firstLine(message) : `internal error in the simulator: ${firstLine(message)}`, crashLog(Cause.pretty(cause)))
}

const internalError = (what: string, file: string): Outcome =>
  ({ code: ExitCode.internal, line: `error: ${what}; details written to ${file}` })

/**
 * `wwsim check` refuses to run anything when one of its inputs is bad: exit code 2.
 */
import { Data } from "effect"

/**
 * Some scenario files (or paths) given to `check` are unreadable or invalid; `lines` has one
 * `error: …` line for each, in the order the files were found.
 *
 * @example
 * new CheckInputInvalid({ lines: ["error: a.yaml:3:5 services.server.workers: expected a positive integer, got 0"] })
 */
export class CheckInputInvalid extends Data.TaggedError("CheckInputInvalid")<{
  readonly lines: ReadonlyArray<string>
  /** Per path or file: its lines; and the files that were valid (for the JUnit file CI still gets). */
  readonly invalid?: ReadonlyArray<{ readonly file: string; readonly lines: ReadonlyArray<string> }>
  readonly valid?: ReadonlyArray<{ readonly file: string; readonly name: string }>
}> {}

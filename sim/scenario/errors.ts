/**
 * The two ways loading a scenario fails, each printed as one line (the CLI maps both to exit 2).
 */
import { Data } from "effect"

/**
 * The scenario is not valid: YAML/JSON syntax, a schema violation, a dangling name, a bad
 * `--set`. `file` is the scenario file or `--set`; `path` is dotted (`services.server.workers`),
 * empty for the whole file; `line`/`column` are 1-based, absent when unknown.
 */
export class ScenarioInvalid extends Data.TaggedError("ScenarioInvalid")<{
  readonly file: string
  readonly path: string
  readonly line?: number
  readonly column?: number
  readonly message: string
  /** The file's other mistakes, when it has several (up to a bound): one line each. */
  readonly more?: ReadonlyArray<ScenarioProblem>
}> {}

/** One mistake in a scenario, where it is and what is wrong. */
export interface ScenarioProblem {
  readonly file: string
  readonly path: string
  readonly line?: number
  readonly column?: number
  readonly message: string
}

/** The scenario file cannot be read: missing, a directory, no permission. */
export class ScenarioUnreadable extends Data.TaggedError("ScenarioUnreadable")<{
  readonly file: string
  readonly reason: string
}> {
  constructor(args: { readonly file: string; readonly reason: string }) {
    super(args)
    this.message = `cannot read ${args.file}: ${args.reason}` // so logs and stack traces say something
  }
}

/**
 * The line a user sees for a scenario error; one line per mistake when a file has several.
 *
 * @example
 * formatScenarioError(new ScenarioInvalid({ file: "scenarios/x.yaml", path: "services.server.workers",
 *   line: 12, column: 5, message: 'expected a positive integer, got "four"' }))
 * // 'error: scenarios/x.yaml:12:5 services.server.workers: expected a positive integer, got "four"'
 * formatScenarioError(new ScenarioUnreadable({ file: "x.yaml", reason: "no such file" }))
 * // "error: cannot read x.yaml: no such file"
 */
export function formatScenarioError(e: ScenarioInvalid | ScenarioUnreadable): string {
  if (e._tag === "ScenarioUnreadable") return oneLine(`error: cannot read ${e.file}: ${e.reason}`)
  return [e, ...(e.more ?? [])].map(problemLine).join("\n")
}

/** One mistake as its one line. */
function problemLine(e: ScenarioProblem): string {
  const where = e.line === undefined ? e.file : `${e.file}:${e.line}${e.column === undefined ? "" : `:${e.column}`}`
  return oneLine(e.path === "" ? `error: ${where}: ${e.message}` : `error: ${where} ${e.path}: ${e.message}`)
}

/** Messages may quote user input; a newline in it must not break the one-line promise. */
const oneLine = (s: string): string => s.replace(/\s*[\r\n]+\s*/g, " ")

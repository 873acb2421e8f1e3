/**
 * How `effect/cli` output is shown: help and version as usual, but a bad invocation (unknown
 * flag, missing argument, bad value) as one `error: …` line on stderr instead of the full help.
 */
import { Console } from "effect"
import { CliOutput } from "effect/cli"
import type { CliError } from "effect/cli"

/**
 * One line for a rejected command line, pointing at `--help`.
 *
 * @example
 * invocationErrorLine(["wwsim", "run"], [new CliError.UnrecognizedOption({ option: "--sed", command: ["wwsim", "run"], suggestions: ["--seed"] })])
 * // 'error: unknown flag --sed for "wwsim run"; did you mean --seed? (see "wwsim run --help")'
 */
export const invocationErrorLine = (
  commandPath: ReadonlyArray<string>,
  errors: ReadonlyArray<CliError.CliError>,
): string => {
  const messages = errors.map(describe)
  return `error: ${messages.join("; ")} (see "${[...commandPath, "--help"].join(" ")}")`
}

const didYouMean = (suggestions: ReadonlyArray<string>): string =>
  suggestions.length === 0 ? "" : `; did you mean ${suggestions.join(" or ")}?`

// effect/cli's messages for these span several lines; the rest are one line already
const describe = (e: CliError.CliError): string => {
  switch (e._tag) {
    case "UnrecognizedOption":
      return `unknown flag ${e.option}${e.command ? ` for "${e.command.join(" ")}"` : ""}${didYouMean(e.suggestions)}`
    case "UnknownSubcommand":
      return `unknown command "${e.subcommand}"${didYouMean(e.suggestions)}`
    default:
      return e.message.replace(/\s*\n\s*/g, " ").trim()
  }
}

const presenter: CliOutput.Presenter = {
  present: (event) =>
    event._tag === "InvalidInvocation"
      ? Console.error(invocationErrorLine(event.commandPath, event.errors))
      : CliOutput.defaultPresenter.present(event),
}

/**
 * Install with `Effect.provide(OneLineErrors)` around `Command.run`.
 *
 * @example
 * Command.run(wwsim, { version }).pipe(Effect.provide(OneLineErrors))
 */
export const OneLineErrors = CliOutput.layerPresenter(presenter)

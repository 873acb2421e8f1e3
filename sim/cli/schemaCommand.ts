/**
 * `wwsim schema`: the scenario JSON Schema, for editor completion.
 */
import { Console } from "effect"
import { Command } from "effect/cli"
import { scenarioJsonSchema } from "../scenario/schema.ts"

/**
 * The `schema` subcommand: pretty JSON on stdout.
 *
 * @example
 * // wwsim schema > scenario.schema.json
 */
export const schemaCommand = Command.make("schema", {}, () =>
  Console.log(JSON.stringify(scenarioJsonSchema(), null, 2))).pipe(
  Command.withDescription("Print the scenario JSON Schema (for editor completion)."),
)

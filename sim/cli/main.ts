/**
 * Entry point of the `wwsim` command (`bin/wwsim.js`, `npm run sim -- …`): runs the app on this
 * process and turns its result into an exit code and at most one line on stderr.
 */
import { Effect } from "effect"
import { AppLayer, cli } from "./app.ts"
import { outcomeOf } from "./outcome.ts"
import { tuneV8 } from "../kernel/tuneV8.ts"

tuneV8()

const exit = await Effect.runPromiseExit(cli(process.argv.slice(2)).pipe(Effect.provide(AppLayer)))
const { code, line } = outcomeOf(exit)
if (line !== undefined) process.stderr.write(line + "\n")
process.exitCode = code

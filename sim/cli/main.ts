/**
 * Entry point of the `wwsim` command (`bin/wwsim.js`, `npm run sim -- …`): runs the app on this
 * process and turns its result into an exit code and at most one line on stderr.
 *
 * No top-level await: the bundle is CommonJS, so the launcher can keep V8's compiled code for it
 * between runs (see scripts/bundle.mjs).
 */
import { Effect } from "effect"
import { AppLayer, cli } from "./app.ts"
import { type CliFailure, outcomeOf } from "./outcome.ts"

// Every error the program can fail with has an exit code: adding one to a command without
// mapping it in outcome.ts stops this line from compiling.
const program: Effect.Effect<void, CliFailure> = cli(process.argv.slice(2)).pipe(Effect.provide(AppLayer))

void Effect.runPromiseExit(program).then((exit) => {
  const { code, line } = outcomeOf(exit)
  if (line !== undefined) process.stderr.write(line + "\n")
  process.exitCode = code
})

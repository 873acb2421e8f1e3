/**
 * Entry point of the `wwsim` command (`bin/wwsim.js`, `npm run sim -- …`): runs the app on this
 * process and turns its result into an exit code and at most one line on stderr.
 *
 * SIGINT (Ctrl-C) and SIGTERM interrupt the program: its scopes close (the output lock is
 * released, the progress bar stopped), temporary files still being written are removed, the
 * terminal's cursor and line wrap are restored, and it prints `interrupted` and exits 130 / 143.
 * A second signal while that cleanup runs exits at once.
 *
 * No top-level await: the bundle is CommonJS, so the launcher can keep V8's compiled code for it
 * between runs (see scripts/bundle.mjs).
 */
import { Effect } from "effect"
import { tempFiles } from "../report/tempFiles.ts"
import { AppLayer, cli } from "./app.ts"
import { type CliFailure, ExitCode, outcomeOf } from "./outcome.ts"

// Every error the program can fail with has an exit code: adding one to a command without
// mapping it in outcome.ts stops this line from compiling.
const program: Effect.Effect<void, CliFailure> = cli(process.argv.slice(2)).pipe(Effect.provide(AppLayer))

/** Show the cursor, turn line wrap back on: what a progress bar cut short may have left off. */
const RESTORE_TERMINAL = "\x1b[?25h\x1b[?7h"

let signal: "SIGINT" | "SIGTERM" | undefined
const fiber = Effect.runFork(program)

const onSignal = (name: "SIGINT" | "SIGTERM") => () => {
  const code = name === "SIGTERM" ? ExitCode.terminated : ExitCode.interrupted
  if (signal !== undefined) {
    // a second Ctrl-C: stop waiting for the cleanup
    tempFiles.removeAll()
    process.exit(code)
  }
  signal = name
  fiber.interruptUnsafe()
}
process.on("SIGINT", onSignal("SIGINT"))
process.on("SIGTERM", onSignal("SIGTERM"))

fiber.addObserver((exit) => {
  const { code, line } = outcomeOf(exit, undefined, signal)
  if (signal !== undefined) {
    tempFiles.removeAll()
    if (process.stderr.isTTY === true) process.stderr.write(RESTORE_TERMINAL)
    if (process.stdout.isTTY === true) process.stdout.write(RESTORE_TERMINAL)
  }
  if (line !== undefined) process.stderr.write(line + "\n")
  process.exitCode = code
  // worker threads or timers of an interrupted run must not keep the process alive
  if (signal !== undefined) process.exit(code)
})

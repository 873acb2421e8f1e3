/**
 * The progress bar shown while a scenario runs: simulated time over total simulated time.
 *
 * The engine calls its listener synchronously from the hot loop, so the bar redraws
 * synchronously too (cli-progress `synchronousUpdate`), throttled by cli-progress itself.
 */
import { Effect, Layer } from "effect"
import cliProgress from "cli-progress"
import { Progress } from "../Progress.ts"
import type { ProgressListener } from "../simulate.ts"

/**
 * A cli-progress bar on stderr: `simulating [=====-----] 42% 12m/30m sim`.
 *
 * @example
 * program.pipe(Effect.provide(progressBar))
 */
export const progressBar = Layer.succeed(Progress, {
  track: (totalS) =>
    Effect.acquireRelease(
      Effect.sync(() => {
        const bar = new cliProgress.SingleBar({
          format: "simulating [{bar}] {percentage}% {simTime}/{simTotal} sim",
          barsize: 30,
          hideCursor: true,
          clearOnComplete: true,
          stream: process.stderr,
        }, cliProgress.Presets.legacy)
        bar.start(totalS, 0, { simTime: formatSimTime(0), simTotal: formatSimTime(totalS) })
        return bar
      }),
      (bar) => Effect.sync(() => bar.stop()),
    ).pipe(Effect.map((bar): ProgressListener => (simTimeS) =>
      bar.update(simTimeS, { simTime: formatSimTime(simTimeS) }))),
})

/**
 * `bar` when both stdout and stderr are terminals and `CI` is unset, otherwise `none`.
 *
 * @example
 * program.pipe(Effect.provide(quiet ? Progress.none : progressLayer))
 */
export const progressLayer = Layer.unwrap(Effect.sync(() =>
  showsBar({ ci: process.env.CI, stdoutTTY: process.stdout.isTTY === true, stderrTTY: process.stderr.isTTY === true })
    ? progressBar
    : Progress.none))

/** Whether a bar is wanted; the environment variable `CI` set to anything but "" or "0"/"false" disables it. */
export const showsBar = (env: { ci: string | undefined; stdoutTTY: boolean; stderrTTY: boolean }): boolean =>
  env.stdoutTTY && env.stderrTTY && (env.ci === undefined || env.ci === "" || env.ci === "0" || env.ci === "false")

/**
 * Compact simulated time: `45s`, `12m`, `2h05m`.
 *
 * @example
 * formatSimTime(720) // "12m"
 */
export const formatSimTime = (s: number): string => {
  if (s < 120) return `${Math.floor(s)}s`
  if (s < 7200) return `${Math.floor(s / 60)}m`
  const h = Math.floor(s / 3600)
  return `${h}h${String(Math.floor((s - h * 3600) / 60)).padStart(2, "0")}m`
}

/**
 * Temporary files being written (`report.json.tmp-<pid>` and the like, renamed onto their target
 * when whole). An interrupt (Ctrl-C, SIGTERM) can land while one is written; the CLI removes
 * whatever is still listed before it exits, so no ~40 MB half-report is left behind.
 */
import { rmSync } from "node:fs"
import { Effect, Exit } from "effect"

const pending = new Set<string>()

/**
 * The registry of temporary files in flight.
 *
 * @example
 * tempFiles.add(tmp) // before writing it
 * tempFiles.delete(tmp) // once renamed or removed
 * tempFiles.removeAll() // on an interrupt
 */
export const tempFiles = {
  add: (file: string): void => void pending.add(file),
  delete: (file: string): void => void pending.delete(file),
  /** Removes every listed file (synchronously: the process is about to exit). */
  removeAll: (): void => {
    for (const file of pending) rmSync(file, { force: true })
    pending.clear()
  },
}

/**
 * Runs `write` (which writes `tmp` and renames it) with `tmp` listed: it leaves the list when
 * `write` ends, except on an interrupt, when it stays for the CLI to remove.
 *
 * @example
 * yield* writingTemp(tmp, fs.writeFileString(tmp, text).pipe(Effect.flatMap(() => fs.rename(tmp, file))))
 */
export const writingTemp = <A, E, R>(tmp: string, write: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.sync(() => tempFiles.add(tmp)).pipe(
    Effect.andThen(write),
    Effect.onExit((exit) => Effect.sync(() => {
      if (!Exit.hasInterrupts(exit)) tempFiles.delete(tmp)
    })),
  )

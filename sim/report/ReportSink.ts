/**
 * Where a finished report goes: `DIR/report.json`, written atomically so it is whole or absent.
 */
import { Context, Data, Effect, FileSystem, Layer, Path } from "effect"
import type { PlatformError } from "effect/PlatformError"
import type { PartialReport, Report } from "./Report.ts"
import { stableStringify } from "./json.ts"

/**
 * The report could not be written (unwritable `--out`, disk full, …). The CLI treats it as bad
 * input (exit 2): the user's output location is at fault, not the simulator.
 */
export class ReportWriteFailed extends Data.TaggedError("ReportWriteFailed")<{
  readonly path: string
  readonly reason: string
}> {}

/**
 * Stores finished reports.
 *
 * @example
 * yield* sink.prepare(dir) // before a long run
 * const file = yield* sink.write(dir, report)
 */
export class ReportSink extends Context.Service<ReportSink, {
  /** Creates `dir` and checks it is writable, so a bad `--out` fails before a long run, not after. */
  readonly prepare: (dir: string) => Effect.Effect<void, ReportWriteFailed>
  /** Writes `dir/report.json` (creating `dir`) and returns that path. */
  readonly write: (dir: string, report: Report | PartialReport) => Effect.Effect<string, ReportWriteFailed>
}>()("wwsim/ReportSink") {
  /**
   * The file-system sink: `mkdir -p dir`, write `report.json.tmp-<pid>`, rename onto `report.json`.
   * A rename within one directory is atomic, so readers never see a half-written report.
   *
   * @example
   * program.pipe(Effect.provide(ReportSink.layer)) // needs FileSystem and Path (NodeEnvironment)
   */
  static readonly layer = Layer.effect(ReportSink, Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const reportFile = (dir: string) => path.join(dir, "report.json")
    const failed = (file: string) => (e: PlatformError) =>
      new ReportWriteFailed({ path: file, reason: e.reason.description ?? e.message })
    const prepare = (dir: string) =>
      fs.makeDirectory(dir, { recursive: true }).pipe(
        Effect.flatMap(() => fs.access(dir, { writable: true })),
        Effect.mapError(failed(reportFile(dir))),
      )
    return {
      prepare,
      write: (dir, report) => {
        const file = reportFile(dir)
        const tmp = `${file}.tmp-${process.pid}`
        return prepare(dir).pipe(
          Effect.flatMap(() =>
            fs.writeFileString(tmp, stableStringify(report)).pipe(
              Effect.flatMap(() => fs.rename(tmp, file)),
              // leave nothing behind: the temporary file is useless once the write failed
              Effect.tapError(() => Effect.ignore(fs.remove(tmp, { force: true }))),
              Effect.mapError(failed(file)),
            )),
          Effect.as(file),
        )
      },
    }
  }))
}

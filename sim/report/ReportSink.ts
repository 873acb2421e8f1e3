/**
 * Where a finished report goes: `DIR/report.json`, written atomically so it is whole or absent.
 */
import { Context, Data, Effect, FileSystem, Layer, Path, type Scope } from "effect"
import type { PlatformError } from "effect/PlatformError"
import type { PartialReport, Report } from "./Report.ts"
import { stableStringify } from "./json.ts"
import { writingTemp } from "./tempFiles.ts"

/** The lock file a run keeps in its output directory while it runs. */
export const LOCK_FILE = ".wwsim-lock"

/** Whether a process with this id exists (signal 0 checks without sending anything). */
const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    // EPERM: it exists, but belongs to another user
    return (e as NodeJS.ErrnoException).code === "EPERM"
  }
}

/**
 * The report could not be written (unwritable `--out`, disk full, …). The CLI treats it as bad
 * input (exit 2): the user's output location is at fault, not the simulator.
 */
export class ReportWriteFailed extends Data.TaggedError("ReportWriteFailed")<{
  readonly path: string
  readonly reason: string
}> {}

/**
 * The report's JSON text, or `ReportWriteFailed` when it cannot be one string: the run budget
 * refuses such a scenario before it runs (its size estimate errs high), so this is the last
 * guard, not the plan ("Invalid string length" was the exit-3 line).
 */
const serialize = (file: string, report: Report | PartialReport): Effect.Effect<string, ReportWriteFailed> =>
  Effect.try({
    try: () => stableStringify(report),
    catch: (e) => {
      if (e instanceof RangeError) {
        return new ReportWriteFailed({ path: file, reason: "the report is too large for one JSON text (~512 MB): set a larger `series.step`, or model fewer hosts" })
      }
      throw e
    },
  })

/**
 * Another wwsim process is writing into the same output directory: exit code 2 (two runs into
 * one `--out` would each claim the report).
 *
 * @example
 * new OutputLocked({ dir: "results/x", holder: "pid 4242" }).line
 */
export class OutputLocked extends Data.TaggedError("OutputLocked")<{
  readonly dir: string
  readonly holder: string
}> {
  get line(): string {
    return `error: ${this.dir} is in use by another wwsim run (${this.holder}); wait for it, or give another --out`
  }
}

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
  /**
   * Claims `dir` for this process until the scope closes (`dir/.wwsim-lock`, created exclusively,
   * holding the pid): a second run into the same directory fails at once instead of both claiming
   * the report. A lock whose process is gone is taken over.
   */
  readonly lock: (dir: string) => Effect.Effect<void, OutputLocked | ReportWriteFailed, Scope.Scope>
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
    const lockFile = (dir: string) => path.join(dir, LOCK_FILE)
    const claim = (dir: string): Effect.Effect<void, OutputLocked | ReportWriteFailed> =>
      fs.writeFileString(lockFile(dir), `${process.pid}\n`, { flag: "wx" }).pipe(
        Effect.catchTag("PlatformError", (e) => {
          if (e.reason._tag !== "AlreadyExists") return Effect.fail(failed(lockFile(dir))(e))
          return fs.readFileString(lockFile(dir)).pipe(
            Effect.orElseSucceed(() => ""),
            Effect.flatMap((text) => {
              const pid = Number.parseInt(text, 10)
              if (Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
                return Effect.fail(new OutputLocked({ dir, holder: `pid ${pid}` }))
              }
              // left by a process that is gone (killed, crashed): take it over
              return fs.remove(lockFile(dir), { force: true }).pipe(
                Effect.mapError(failed(lockFile(dir))),
                Effect.flatMap(() => claimOnce(dir)),
              )
            }),
          )
        }),
      )
    // a second try after removing a stale lock; losing that race to another run is a lock too
    const claimOnce = (dir: string): Effect.Effect<void, OutputLocked | ReportWriteFailed> =>
      fs.writeFileString(lockFile(dir), `${process.pid}\n`, { flag: "wx" }).pipe(
        Effect.mapError((e) => (e.reason._tag === "AlreadyExists" ? new OutputLocked({ dir, holder: "another process" }) : failed(lockFile(dir))(e))),
      )
    return {
      prepare,
      lock: (dir) =>
        Effect.acquireRelease(
          prepare(dir).pipe(Effect.flatMap(() => claim(dir))),
          () => Effect.ignore(fs.remove(lockFile(dir), { force: true })),
        ),
      write: (dir, report) => {
        const file = reportFile(dir)
        const tmp = `${file}.tmp-${process.pid}`
        return prepare(dir).pipe(
          Effect.flatMap(() =>
            writingTemp(tmp, serialize(file, report).pipe(
              Effect.flatMap((text) => fs.writeFileString(tmp, text)),
              Effect.flatMap(() => fs.rename(tmp, file)),
              // leave nothing behind: the temporary file is useless once the write failed
              Effect.tapError(() => Effect.ignore(fs.remove(tmp, { force: true }))),
            )).pipe(Effect.mapError((e) => (e instanceof ReportWriteFailed ? e : failed(file)(e))))),
          Effect.as(file),
        )
      },
    }
  }))
}

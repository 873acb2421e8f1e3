/**
 * `wwsim report <report.json> [--out report.html] [--baseline other.json]`: one self-contained
 * HTML file with the visualiser and the report's data inlined, that opens from disk with no server.
 *
 * The visualiser's built assets live in `dist/viz/` (Vite, `vite.config.ts`); they are (re)built
 * here when missing or older than a source under `viz/`, the way `bin/wwsim.js` rebuilds the CLI
 * bundle.
 */
import { writingTemp } from "../report/tempFiles.ts"
import { readdirSync, statSync } from "node:fs"
import { mkdir, readFile, rename, rm } from "node:fs/promises"
import { join } from "node:path"
import { Console, Context, Data, Effect, FileSystem, Layer, Option, Path } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import type { PlatformError } from "effect/PlatformError"
import { fileErrorText } from "../scenario/fileError.ts"
import { reportProblem, selfContainedHtml } from "../report/html.ts"
import type { VizAssets } from "../report/html.ts"
import { ReportWriteFailed } from "../report/ReportSink.ts"
import { ReportInvalid } from "./errors.ts"
import { MAX_REPORT_BYTES } from "./runBudget.ts"
import { runtimeImport } from "../runtimeImport.ts"
import { packageRoot } from "../packageRoot.ts"

/** The visualiser could not be built or read (a broken install or build): a bug, not bad input. */
export class VizBuildFailed extends Data.TaggedError("VizBuildFailed")<{ readonly reason: string }> {
  constructor(args: { readonly reason: string }) {
    super(args)
    this.message = `cannot build the visualiser: ${args.reason}`
  }
}

const ASSETS = ["viz.js", "viz.css", "index.html"] as const

/** The largest report.json `report` reads: what `run` may write, with room for its estimate's error. */
const MAX_READ_BYTES = 256_000_000

/** The package root, or the error that says it was not found. */
function packageRootOrFail(): string {
  const root = packageRoot()
  if (root === undefined) throw new VizBuildFailed({ reason: "cannot find wwsim's package root" })
  return root
}

/** Newest modification time of the files under `dir` (0 when it does not exist). */
function newest(dir: string): number {
  let t = 0
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return 0
  }
  for (const e of entries) {
    const p = join(dir, e.name)
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }
  return t
}

const mtime = (file: string): number => {
  try {
    return statSync(file).mtimeMs
  } catch {
    return 0
  }
}

/**
 * Whether `dist/viz/` is missing an asset or older than a source it is built from (`viz/`, the
 * Vite config, and the report modules the page imports).
 *
 * @example
 * vizIsStale("/work/main") // true right after editing viz/main.ts
 */
export function vizIsStale(root: string): boolean {
  const built = Math.min(...ASSETS.map((a) => mtime(join(root, "dist", "viz", a))))
  if (built === 0) return true
  const sources = Math.max(
    newest(join(root, "viz")),
    mtime(join(root, "vite.config.ts")),
    mtime(join(root, "sim", "report", "html.ts")),
    mtime(join(root, "sim", "report", "Report.ts")),
    mtime(join(root, "sim", "report", "recovery.ts")),
  )
  return built < sources
}

/**
 * Builds the visualiser into `dist/viz/` with Vite's `build()`: into a private temporary directory
 * first, then each file renamed into place, so a concurrent `wwsim report` never reads half a file.
 */
async function buildViz(root: string): Promise<void> {
  // a computed specifier: the CLI bundle must load Vite from node_modules at run time, not inline it
  const specifier = ["vi", "te"].join("")
  const vite = (await runtimeImport(specifier)) as typeof import("vite")
  const tmp = join(root, "dist", `.viz-build-${process.pid}`)
  try {
    await vite.build({
      configFile: join(root, "vite.config.ts"),
      root: join(root, "viz"),
      logLevel: "error",
      build: { outDir: tmp, emptyOutDir: true },
    })
    await mkdir(join(root, "dist", "viz"), { recursive: true })
    for (const a of ASSETS) await rename(join(tmp, a), join(root, "dist", "viz", a))
  } finally {
    await rm(tmp, { recursive: true, force: true })
  }
}

/**
 * The visualiser's built page, script and stylesheet.
 *
 * @example
 * const assets = yield* (yield* VizAssetsSource).load
 */
export class VizAssetsSource extends Context.Service<VizAssetsSource, {
  readonly load: Effect.Effect<VizAssets, VizBuildFailed>
}>()("wwsim/VizAssetsSource") {
  /**
   * `dist/viz/` of this package, built first when stale (needs Vite, a dev dependency, only then).
   *
   * @example
   * program.pipe(Effect.provide(VizAssetsSource.layer))
   */
  static readonly layer = Layer.succeed(VizAssetsSource, {
    load: Effect.tryPromise({
      try: async () => {
        const root = packageRootOrFail()
        if (vizIsStale(root)) {
          if (newest(join(root, "viz")) === 0) throw new VizBuildFailed({ reason: `no built visualiser in ${join(root, "dist", "viz")} and no viz/ sources to build it from` })
          await buildViz(root)
        }
        const read = (a: string) => readFile(join(root, "dist", "viz", a), "utf8")
        const [js, css, html] = await Promise.all(ASSETS.map(read))
        return { js, css, html }
      },
      catch: (e) => (e instanceof VizBuildFailed ? e : new VizBuildFailed({ reason: e instanceof Error ? e.message.split("\n", 1)[0] : String(e) })),
    }),
  })
}

export interface ReportArgs {
  readonly report: string
  readonly out: Option.Option<string>
  readonly baseline: Option.Option<string>
}

/** Reads and checks one report file; errors print as one line and exit 2 (bad input). */
const readReport = Effect.fn("readReport")(function* (file: string) {
  const fs = yield* FileSystem.FileSystem
  const info = yield* fs.stat(file).pipe(
    Effect.mapError((e: PlatformError) => new ReportInvalid({ file, message: `cannot read it: ${fileErrorText(e)}` })),
  )
  // checked before reading: parsing and inlining a huge file would exhaust memory
  if (Number(info.size) > MAX_READ_BYTES) {
    return yield* new ReportInvalid({ file, message: `it has ${Math.round(Number(info.size) / 1e6)} MB; wwsim writes at most ${MAX_REPORT_BYTES / 1e6} MB and reads at most ${MAX_READ_BYTES / 1e6} MB` })
  }
  const text = yield* fs.readFileString(file).pipe(
    Effect.mapError((e: PlatformError) => new ReportInvalid({ file, message: `cannot read it: ${fileErrorText(e)}` })),
  )
  const value = yield* Effect.try({
    try: () => JSON.parse(text) as unknown,
    catch: (e) => new ReportInvalid({ file, message: `invalid JSON: ${e instanceof Error ? e.message : String(e)}` }),
  })
  const problem = reportProblem(value)
  if (problem !== undefined) return yield* new ReportInvalid({ file, message: `not a wwsim report: ${problem}` })
  return value
})

/**
 * Where the HTML goes by default: beside the report, `.json` swapped for `.html`.
 *
 * @example
 * defaultHtmlPath("results/wecom-20k/report.json") // "results/wecom-20k/report.html"
 */
export const defaultHtmlPath = (report: string): string =>
  /\.json$/i.test(report) ? report.replace(/\.json$/i, ".html") : `${report}.html`

/**
 * The body of `wwsim report`, separate from its flags so tests can call it with their own layers.
 *
 * @example
 * writeHtmlReport({ report: "results/x/report.json", out: Option.none(), baseline: Option.none() })
 */
export const writeHtmlReport = Effect.fn("writeHtmlReport")(function* (args: ReportArgs) {
  const report = yield* readReport(args.report)
  const baseline = Option.isSome(args.baseline) ? yield* readReport(args.baseline.value) : undefined
  const assets = yield* (yield* VizAssetsSource).load
  const file = Option.getOrElse(args.out, () => defaultHtmlPath(args.report))
  yield* writeHtmlFile(file, selfContainedHtml(assets, report, baseline))
  yield* Console.log(`html: ${file}`)
})

/**
 * Writes a page whole, then renames it into place: the file is complete or absent. Creates its
 * folder; a failure is `ReportWriteFailed` (exit 2).
 *
 * @example
 * yield* writeHtmlFile("results/html/drill.html", selfContainedHtml(assets, report))
 */
export const writeHtmlFile = Effect.fn("writeHtmlFile")(function* (file: string, html: string) {
  const fs = yield* FileSystem.FileSystem
  const path = yield* Path.Path
  const tmp = `${file}.tmp-${process.pid}`
  const failed = (e: PlatformError) => new ReportWriteFailed({ path: file, reason: e.reason.description ?? e.message })
  yield* fs.makeDirectory(path.dirname(path.resolve(file)), { recursive: true }).pipe(Effect.mapError(failed))
  // written whole, then renamed: the file is complete or absent
  yield* writingTemp(tmp, fs.writeFileString(tmp, html).pipe(
    Effect.flatMap(() => fs.rename(tmp, file)),
    Effect.tapError(() => Effect.ignore(fs.remove(tmp, { force: true }))),
  )).pipe(Effect.mapError(failed))
})

/**
 * The `report` subcommand.
 *
 * @example
 * Command.make("wwsim").pipe(Command.withSubcommands([reportCommand]))
 */
export const reportCommand = Command.make("report", {
  report: Argument.String("report").pipe(
    Argument.withDescription("a report.json written by `wwsim run`"),
  ),
  out: Flag.String("out").pipe(
    Flag.withDescription("the HTML file to write (default: beside the report, .json → .html)"),
    Flag.optional,
  ),
  baseline: Flag.String("baseline").pipe(
    Flag.withDescription("a second report.json to overlay as the baseline (dashed lines, p99 change)"),
    Flag.optional,
  ),
}, (args) => writeHtmlReport(args).pipe(Effect.provide(VizAssetsSource.layer))).pipe(
  Command.withDescription("Write a self-contained HTML visualisation of a report (opens from disk, no server)."),
  Command.withExamples([
    { command: "wwsim report results/wecom-20k/report.json", description: "writes results/wecom-20k/report.html" },
    { command: "wwsim report candidate/report.json --baseline baseline/report.json --out compare.html" },
  ]),
)

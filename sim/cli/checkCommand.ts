/**
 * `wwsim check <files or folders>… [--out DIR] [--junit FILE] [--html DIR] [--set path=value]… [--threads N]`:
 * the CI gate. Validates every scenario first (any invalid file: exit 2, nothing runs), runs them
 * concurrently on worker threads, writes each report, prints one table, writes one JUnit file,
 * and exits 1 when any SLO's verdict is unexpected (a breach not declared with `expect: breach`, a
 * hold where a breach was expected, a value outside `within`), 3 when the simulator failed on any scenario.
 */
import { Cause, Console, Effect, Exit, Option, Path, Result } from "effect"
import { Argument, Command, Flag, TerminalCapabilities } from "effect/cli"
import { CheckInputInvalid } from "../check/errors.ts"
import { discoverScenarioFiles } from "../check/discover.ts"
import { type CheckRow, renderCheckSummary } from "../check/summary.ts"
import { SimulationPool } from "../check/SimulationPool.ts"
import { SimulationCrashed } from "../check/WorkerPool.ts"
import { selfContainedHtml } from "../report/html.ts"
import { ReportSink } from "../report/ReportSink.ts"
import { VizAssetsSource, writeHtmlFile } from "./reportCommand.ts"
import { formatScenarioError } from "../scenario/errors.ts"
import { loadScenario } from "../scenario/load.ts"
import type { Scenario } from "../scenario/Scenario.ts"
import { SloBreached } from "../slo/errors.ts"
import { type SloResult, verdictOf } from "../slo/Slo.ts"
import { type JUnitSuite, prepareJUnit, renderJUnit, writeJUnit } from "../slo/junit.ts"
import { ProcessInfo } from "./ProcessInfo.ts"
import { checkRunBudget, completeReport, MAX_THREADS } from "./runCommand.ts"
import { DEFAULT_MAX_EVENTS } from "./runBudget.ts"
import { wallSeconds } from "./wallSeconds.ts"

export interface CheckArgs {
  readonly paths: ReadonlyArray<string>
  readonly out: Option.Option<string>
  readonly junit: Option.Option<string>
  /** `--html DIR`: each scenario's HTML report as DIR/<name>.html. */
  readonly html?: Option.Option<string>
  readonly set: ReadonlyArray<string>
  readonly threads: Option.Option<number>
  readonly maxEvents?: Option.Option<number>
}

interface Job {
  readonly file: string
  readonly scenario: Scenario
  readonly dir: string
}

/** Loads every file; all problems (one line each) or the jobs, never a mix. */
const loadAll = Effect.fn("loadAll")(function* (args: CheckArgs, outDir: string) {
  const path = yield* Path.Path
  const found = discoverScenarioFiles(args.paths)
  const lines = [...found.problems]
  const invalid = found.problems.map((line) => ({ file: args.paths.find((p) => line.includes(p)) ?? "", lines: [line] }))
  const jobs: Job[] = []
  const byName = new Map<string, string>()
  const refuse = (file: string, text: string) => {
    lines.push(text)
    invalid.push({ file, lines: text.split("\n") })
  }
  for (const file of found.files) {
    const loaded = yield* Effect.result(loadScenario(file, args.set))
    if (Result.isFailure(loaded)) {
      refuse(file, formatScenarioError(loaded.failure))
      continue
    }
    const scenario = loaded.success
    const budget = yield* Effect.result(checkRunBudget(file, scenario, 1, args.maxEvents))
    if (Result.isFailure(budget)) {
      refuse(file, formatScenarioError(budget.failure))
      continue
    }
    const first = byName.get(scenario.name)
    if (first !== undefined) {
      refuse(file, `error: ${file}: scenario name "${scenario.name}" is also the name of ${first}; scenarios checked together need distinct names (each names its results folder)`)
      continue
    }
    byName.set(scenario.name, file)
    jobs.push({ file, scenario, dir: path.join(outDir, scenario.name) })
  }
  // a bad --set gives the same line for every file
  if (lines.length > 0) {
    return yield* Effect.fail(new CheckInputInvalid({
      lines: [...new Set(lines)], invalid, valid: jobs.map((j) => ({ file: j.file, name: j.scenario.name })),
    }))
  }
  return jobs
})

/** "2 held, 1 breached as expected" — the unexpected named only when there are some. */
const progressCounts = (slo: ReadonlyArray<SloResult>): string => {
  const n = (v: string) => slo.filter((s) => verdictOf(s) === v).length
  const parts = [`${n("held")} held`]
  if (n("expected") > 0) parts.push(`${n("expected")} breached as expected`)
  if (n("unexpected") > 0) parts.push(`${n("unexpected")} UNEXPECTED`)
  return `${slo.length} SLOs: ${parts.join(", ")}`
}

const crashOf = (cause: Cause.Cause<unknown>): { message: string; details: string } => {
  const e = Cause.squash(cause)
  if (e instanceof SimulationCrashed) return { message: e.message, details: e.details }
  return { message: e instanceof Error ? e.message : String(e), details: Cause.pretty(cause) }
}

/**
 * The body of `wwsim check`, separate from its flags so tests can call it with their own layers.
 *
 * @example
 * checkScenarios({ paths: ["scenarios"], out: Option.none(), junit: Option.some("junit.xml"), set: [], threads: Option.none() })
 */
export const checkScenarios = (args: CheckArgs) => Effect.scoped(checkLocked(args))

/** The body, with each output directory locked until the scope closes. */
const checkLocked = Effect.fn("checkScenarios")(function* (args: CheckArgs) {
  const outDir = Option.getOrElse(args.out, () => "results")
  const junit = Option.getOrUndefined(args.junit)
  // nothing runs when a file is invalid, but CI still gets a JUnit file that shows why
  // (best effort: the files' own errors are the ones to report)
  const jobs = yield* loadAll(args, outDir).pipe(Effect.tapError((e) => (junit === undefined ? Effect.void : Effect.ignore(writeJUnit(junit, renderJUnit([
    ...(e.invalid ?? []).map((x): JUnitSuite => ({ name: x.file, file: x.file, timeS: 0, results: [], error: x.lines.join("\n"), errorKind: "invalid" })),
    ...(e.valid ?? []).map((x): JUnitSuite => ({ name: x.name, file: x.file, timeS: 0, results: [], skipped: "not run: another file given to check is invalid" })),
  ]))))))
  const sink = yield* ReportSink
  for (const job of jobs) yield* sink.lock(job.dir)
  if (junit !== undefined) yield* prepareJUnit(junit)
  const htmlDir = Option.getOrUndefined(args.html ?? Option.none())
  // built (when stale) before anything runs: a broken install fails at once, not after the runs
  const assets = htmlDir === undefined ? undefined
    : yield* Effect.gen(function* () { return yield* (yield* VizAssetsSource).load }).pipe(Effect.provide(VizAssetsSource.layer))
  const path = yield* Path.Path

  const proc = yield* ProcessInfo
  const threads = Math.max(1, Math.min(jobs.length, Option.getOrElse(args.threads, () => proc.cores)))
  yield* Console.log(`checking ${jobs.length} scenario${jobs.length === 1 ? "" : "s"} on ${threads} thread${threads === 1 ? "" : "s"}`)
  const started = yield* wallSeconds
  let finished = 0
  const rows: ReadonlyArray<CheckRow> = yield* Effect.scoped(Effect.gen(function* () {
    const simulate = yield* (yield* SimulationPool).start(threads)
    return yield* Effect.forEach(jobs, (job) => Effect.gen(function* () {
      const exit = yield* Effect.exit(simulate(job.scenario))
      const n = `[${++finished}/${jobs.length}]`
      if (Exit.isFailure(exit)) {
        const crash = crashOf(exit.cause)
        yield* Console.log(`${n} ${job.scenario.name}: the simulator failed: ${crash.message}`)
        return { file: job.file, name: job.scenario.name, crash, wallS: 0 } satisfies CheckRow
      }
      const { report: sim, events, wallS } = exit.value
      const report = completeReport(job.scenario, { report: sim, events }, wallS, { peakMemoryMB: yield* proc.peakMemoryMB, node: proc.node })
      const reportFile = yield* sink.write(job.dir, report)
      if (assets !== undefined && htmlDir !== undefined) yield* writeHtmlFile(path.join(htmlDir, `${job.scenario.name}.html`), selfContainedHtml(assets, report))
      const slo = report.slo ?? []
      yield* Console.log(`${n} ${job.scenario.name}: ${slo.length === 0 ? "no SLOs" : progressCounts(slo)} (${wallS.toFixed(2)} s) → ${reportFile}`)
      return { file: job.file, name: job.scenario.name, slo, wallS, reportFile } satisfies CheckRow
    }), { concurrency: "unbounded" })
  }))
  const wallS = (yield* wallSeconds) - started

  const { canColor } = yield* TerminalCapabilities.TerminalCapabilities
  yield* Console.log(renderCheckSummary(rows, wallS, { color: canColor }))
  if (junit !== undefined) {
    const suites: JUnitSuite[] = rows.map((r) => ({
      name: r.name, file: r.file, timeS: r.wallS, results: r.slo ?? [],
      ...(r.crash !== undefined ? { error: r.crash.message } : {}),
    }))
    yield* writeJUnit(junit, renderJUnit(suites))
    yield* Console.log(`junit: ${junit}`)
  }
  if (htmlDir !== undefined) yield* Console.log(`html: ${path.join(htmlDir, "<scenario>.html")} (${rows.filter((r) => r.crash === undefined).length} pages)`)

  const crashed = rows.filter((r) => r.crash !== undefined)
  if (crashed.length > 0) {
    const first = crashed[0]
    const error = new Error(
      `${crashed.length} of ${rows.length} scenarios failed in the simulator, first ${first.file}: ${first.crash!.message}`)
    error.stack = crashed.map((r) => `${r.file}:\n${r.crash!.details}`).join("\n\n")
    return yield* Effect.die(error)
  }
  const failing = rows.filter((r) => (r.slo ?? []).some((s) => verdictOf(s) === "unexpected"))
  if (failing.length > 0) {
    return yield* Effect.fail(new SloBreached({
      line: `error: ${failing.length} of ${rows.length} scenarios had unexpected SLO verdicts: ${failing.map((r) => r.name).join(", ")}`,
      results: failing.flatMap((r) => r.slo ?? []),
    }))
  }
})

/**
 * The `check` subcommand.
 *
 * @example
 * Command.make("wwsim").pipe(Command.withSubcommands([checkCommand]))
 */
export const checkCommand = Command.make("check", {
  paths: Argument.String("paths").pipe(
    Argument.withDescription("scenario files, or folders searched recursively for *.yaml, *.yml and *.json"),
    Argument.atLeast(1),
  ),
  out: Flag.String("out").pipe(
    Flag.withDescription("write each report to DIR/<scenario name>/report.json (default results/)"),
    Flag.optional,
  ),
  junit: Flag.String("junit").pipe(
    Flag.withDescription("write JUnit XML to FILE: a test suite per scenario, a test case per SLO"),
    Flag.optional,
  ),
  html: Flag.String("html").pipe(
    Flag.withDescription("also write each scenario's HTML report (as `wwsim report` does) to DIR/<scenario name>.html"),
    Flag.optional,
  ),
  set: Flag.String("set").pipe(
    Flag.withDescription("override a field in every scenario, e.g. --set duration=1m (repeatable)"),
    Flag.atLeast(0),
  ),
  threads: Flag.Int("threads").pipe(
    Flag.withDescription("scenarios simulated at once (default: one per core)"),
    Flag.filter((n) => n >= 1 && n <= MAX_THREADS, (n) => `threads must be from 1 to ${MAX_THREADS}, got ${n}`),
    Flag.optional,
  ),
  maxEvents: Flag.Finite("max-events").pipe(
    Flag.withDescription(`refuse a scenario estimated to need more engine events than this (default ${DEFAULT_MAX_EVENTS.toExponential(0).replace("e+", "e")})`),
    Flag.filter((n) => n >= 1, (n) => `max-events must be at least 1, got ${n}`),
    Flag.optional,
  ),
}, checkScenarios).pipe(
  Command.withDescription("Run many scenarios concurrently and check their SLOs: the CI gate (exit 1 if any SLO verdict is unexpected: a breach not declared with `expect: breach`, a hold where one was, a value outside `within`)."),
  Command.withExamples([
    { command: "wwsim check scenarios/drills scenarios/systems --junit results/junit.xml", description: "run every drill and system scenario" },
    { command: "wwsim check scenarios --set duration=1m", description: "a quick pass at a short duration" },
  ]),
)

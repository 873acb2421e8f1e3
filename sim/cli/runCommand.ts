/**
 * `wwsim run <scenario> [--seed N] [--out DIR] [--set path=value]… [--junit FILE] [--quiet]
 * [--replications R] [--precision 5%] [--max-replications N] [--threads N]`:
 * load, simulate, check the scenario's SLOs, write `report.json` (and JUnit XML), print the
 * summary; exit 1 when an SLO's verdict is unexpected (see `SloVerdict`). With replications, see docs/replications.md.
 */
import { Console, Effect, Option, Path } from "effect"
import { Argument, Command, Flag, TerminalCapabilities } from "effect/cli"
import { Simulator } from "../Simulator.ts"
import type { Report } from "../report/Report.ts"
import { recoveryOf } from "../report/recovery.ts"
import { ReportSink } from "../report/ReportSink.ts"
import { renderSummary } from "../report/summary.ts"
import { type ReplicationPlan, replicate, replicateShard, type ShardPlan, withReplications, withShard } from "../replications/replicate.ts"
import { renderReplications } from "../replications/summary.ts"
import { describeWarmupAuto } from "../warmupAuto.ts"
import { loadScenario } from "../scenario/load.ts"
import { loadWithOverlays } from "../calibrate/overlay.ts"
import type { Scenario } from "../scenario/Scenario.ts"
import type { SimResult } from "../simulate.ts"
import { SloBreached } from "../slo/errors.ts"
import { evaluateSlos } from "../slo/evaluate.ts"
import { breachLine } from "../slo/format.ts"
import { verdictOf } from "../slo/Slo.ts"
import { prepareJUnit, renderJUnit, writeJUnit } from "../slo/junit.ts"
import { parseRatio } from "../scenario/units.ts"
import { Progress } from "../Progress.ts"
import { progressLayer } from "./Progress.ts"
import { formatScenarioError, ScenarioInvalid, type ScenarioUnreadable } from "../scenario/errors.ts"
import { FlagInvalid } from "./errors.ts"
import { DEFAULT_MAX_EVENTS, runBudgetProblem } from "./runBudget.ts"
import { ProcessInfo } from "./ProcessInfo.ts"
import { wallSeconds } from "./wallSeconds.ts"
import { packageVersion } from "./version.ts"

export interface RunArgs {
  readonly scenario: string
  /** Several scenarios share `--out` as a parent: each report goes to DIR/<name>/. */
  readonly outIsParent?: boolean
  readonly seed: Option.Option<number>
  readonly out: Option.Option<string>
  readonly set: ReadonlyArray<string>
  /** Overlay files (`calibrate`'s output), applied in order before `set`. */
  readonly overlay?: ReadonlyArray<string>
  readonly quiet: boolean
  /** Where to write JUnit XML with one test case per SLO. */
  readonly junit?: Option.Option<string>
  /** `--replications R`: R > 1 runs R independent replications (docs/replications.md). */
  readonly replications?: Option.Option<number>
  /** `--precision`: add replications until each key metric's half-width is below this share of its mean. */
  readonly precision?: Option.Option<number>
  /** `--max-replications`: the cap with `--precision` (default 50). */
  readonly maxReplications?: Option.Option<number>
  /** Replications simulated at once (default one per core). */
  readonly threads?: Option.Option<number>
  /** `--shard i/N`: run only replications k with k mod N = i and write a partial report (docs/sharding.md). */
  readonly shard?: Option.Option<{ readonly index: number; readonly count: number }>
  /** `--max-events`: refuse a run estimated to need more engine events (default `DEFAULT_MAX_EVENTS`). */
  readonly maxEvents?: Option.Option<number>
}

/** Most replications one command may ask for (each is a full run whose values are kept). */
export const MAX_REPLICATIONS = 10_000
/** Most threads: far more than any machine has cores; each is a worker thread with its own heap. */
export const MAX_THREADS = 256

/**
 * Refuses, before anything runs, a scenario that cannot finish within `--max-events` (`runs`
 * times: replications) or whose report could not be written.
 */
export const checkRunBudget = (file: string, scenario: Scenario, runs: number, maxEvents: Option.Option<number> | undefined) => {
  const budget = Option.getOrElse(maxEvents ?? Option.none(), () => DEFAULT_MAX_EVENTS) / runs
  const problem = runBudgetProblem(scenario, budget)
  return problem === undefined
    ? Effect.void
    : Effect.fail(new ScenarioInvalid({ file, path: "", message: runs > 1 ? `${problem} (per replication, for ${runs})` : problem }))
}

/** `--shard i/N` → `{ index: i, count: N }`; `undefined` unless 0 ≤ i < N. */
export const parseShard = (text: string): { readonly index: number; readonly count: number } | undefined => {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim())
  if (m === null) return undefined
  const index = Number(m[1]), count = Number(m[2])
  return Number.isSafeInteger(count) && count >= 1 && index < count ? { index, count } : undefined
}

/** The shard the flags ask for; `null`: not sharded. `--shard` needs `--replications R` with R ≥ N, and no `--precision`. */
const shardPlan = (args: RunArgs, cores: number): Effect.Effect<ShardPlan | null, FlagInvalid> => {
  const shard = Option.getOrUndefined(args.shard ?? Option.none())
  if (shard === undefined) return Effect.succeed(null)
  const invalid = (message: string) => Effect.fail(new FlagInvalid({ flag: "--shard", message }))
  if (Option.isSome(args.precision ?? Option.none())) return invalid("cannot be combined with --precision (its batches depend on all replications); give --replications R")
  const count = Option.getOrUndefined(args.replications ?? Option.none())
  if (count === undefined) return invalid("needs --replications R")
  if (count < shard.count) return invalid(`needs at least as many replications as shards, got --replications ${count} for ${shard.count} shards`)
  const threads = Option.getOrElse(args.threads ?? Option.none(), () => cores)
  return Effect.succeed({ count, index: shard.index, shards: shard.count, threads })
}

/** Default first batch with `--precision` and no `--replications`, and the default cap. */
const PRECISION_START = 5
const PRECISION_CAP = 50

/** The replications the flags ask for; `null`: one plain run. */
const replicationPlan = (args: RunArgs, cores: number): Effect.Effect<ReplicationPlan | null, FlagInvalid> => {
  const count = Option.getOrUndefined(args.replications ?? Option.none())
  const precision = Option.getOrNull(args.precision ?? Option.none())
  const max = Option.getOrUndefined(args.maxReplications ?? Option.none())
  const threads = Option.getOrElse(args.threads ?? Option.none(), () => cores)
  const invalid = (flag: string, message: string) => Effect.fail(new FlagInvalid({ flag, message }))
  if (precision === null) {
    if (max !== undefined) return invalid("--max-replications", "applies only with --precision")
    return Effect.succeed(count === undefined || count === 1 ? null : { count, precision: null, maxReplications: count, threads })
  }
  const start = count ?? PRECISION_START
  const cap = max ?? Math.max(PRECISION_CAP, start)
  if (cap < start) return invalid("--max-replications", `expected at least --replications (${start}), got ${cap}`)
  return Effect.succeed({ count: start, precision, maxReplications: cap, threads })
}

/** What `run` records about the process besides the wall time: from `ProcessInfo`. */
export interface RunFacts {
  readonly peakMemoryMB: number
  readonly node: string
}

/**
 * The full report of a finished run: the engine's part, the scenario's SLO verdicts (when it has
 * SLOs) and the wall-clock `run` figures.
 *
 * @example
 * const report = completeReport(scenario, simulate(scenario), 1.2, { peakMemoryMB: 80, node: "v20.19.0" })
 */
export function completeReport(scenario: Scenario, result: SimResult, wallS: number, facts: RunFacts): Report {
  const slos = scenario.slo ?? []
  const { series, faults, window } = result.report
  const recovery = recoveryOf(series, faults, window.warmupS + window.durationS, window.warmupS, scenario.recovery)
  return {
    ...result.report,
    ...(slos.length > 0 ? { slo: evaluateSlos(result.report, slos) } : {}),
    ...(recovery !== undefined ? { recovery } : {}),
    run: {
      wallS,
      events: result.events,
      eventsPerS: wallS > 0 ? result.events / wallS : 0,
      version: packageVersion(),
      node: facts.node,
      peakMemoryMB: facts.peakMemoryMB,
      simSpeedup: wallS > 0 ? (scenario.warmup + scenario.duration) / wallS : 0,
    },
  }
}

/**
 * The body of `wwsim run`, separate from its flags so tests can call it with their own layers.
 *
 * @example
 * runScenario({ scenario: "scenarios/mm8-example.yaml", seed: Option.none(), out: Option.none(), set: [], quiet: true })
 */
export const runScenario = Effect.fn("runScenario")(function* (args: RunArgs) {
  const proc = yield* ProcessInfo
  const sharded = yield* shardPlan(args, proc.cores)
  if (sharded !== null) return yield* runShard(args, sharded)
  const plan = yield* replicationPlan(args, proc.cores)
  const junit = Option.getOrUndefined(args.junit ?? Option.none())
  // an invalid scenario runs nothing, but CI still gets a JUnit file that says why
  const invalidJUnit = (e: ScenarioInvalid | ScenarioUnreadable) => (junit === undefined ? Effect.void
    // best effort: the scenario's own error is the one to report
    : Effect.ignore(writeJUnit(junit, renderJUnit([{ name: args.scenario, file: args.scenario, timeS: 0, results: [], error: formatScenarioError(e), errorKind: "invalid" }]))))
  const loaded = yield* (args.overlay !== undefined && args.overlay.length > 0 ? loadWithOverlays(args.scenario, args.overlay, args.set) : loadScenario(args.scenario, args.set))
    .pipe(Effect.tapError(invalidJUnit))
  const scenario = Option.match(args.seed, { onNone: () => loaded, onSome: (seed) => ({ ...loaded, seed }) })
  const budget: Effect.Effect<void, ScenarioInvalid> = checkRunBudget(args.scenario, scenario, plan?.maxReplications ?? 1, args.maxEvents)
  yield* budget.pipe(Effect.tapError(invalidJUnit))
  const path = yield* Path.Path
  const dir = Option.match(args.out, {
    onNone: () => path.join("results", scenario.name),
    onSome: (out) => (args.outIsParent === true ? path.join(out, scenario.name) : out),
  })
  const sink = yield* ReportSink
  yield* sink.lock(dir)
  if (junit !== undefined) yield* prepareJUnit(junit)

  const simulator = yield* Simulator
  const started = yield* wallSeconds
  const replicated = plan === null ? undefined : yield* replicate(scenario, plan)
  const result = replicated ?? (yield* Effect.scoped(Effect.gen(function* () {
    const onProgress = yield* (yield* Progress).track(scenario.warmup + scenario.duration)
    return yield* simulator.run(scenario, onProgress)
  })))
  const wallS = (yield* wallSeconds) - started

  const single = completeReport(scenario, result, wallS, { peakMemoryMB: yield* proc.peakMemoryMB, node: proc.node })
  const report = replicated === undefined ? single : withReplications(single, replicated.replications, scenario)
  const file = yield* sink.write(dir, report)
  const slo = report.slo ?? []
  if (junit !== undefined) {
    yield* writeJUnit(junit, renderJUnit([{ name: scenario.name, file: args.scenario, timeS: wallS, results: slo }]))
  }

  if (!args.quiet) {
    const { canColor } = yield* TerminalCapabilities.TerminalCapabilities
    yield* Console.log(renderSummary(report, { color: canColor }))
    if (report.warmupAuto !== undefined) yield* Console.log(describeWarmupAuto(report.warmupAuto))
    if (report.trace !== undefined) {
      const t = report.trace
      yield* Console.log(`replayed ${t.file} from ${t.from} to ${t.to} at speed ${t.speed}: ${t.logged} logged requests → ${t.arrivals} arrivals${t.unparsed > 0 ? `; ${t.unparsed} lines did not parse` : ""}`)
    }
    if (report.replications !== undefined) yield* Console.log(renderReplications(report.replications, { color: canColor }))
  }
  yield* Console.log(`report: ${file}`)
  if (junit !== undefined) yield* Console.log(`junit: ${junit}`)
  if (slo.some((r) => verdictOf(r) === "unexpected")) return yield* Effect.fail(new SloBreached({ line: breachLine(scenario.name, slo), results: slo }))
})

/**
 * `run --replications R --shard i/N`: the shard's replications, and its partial report.json for
 * `wwsim merge`. A shard never exits 1 for an SLO (a batch engine would retry it); `merge` does.
 */
const runShard = Effect.fn("runShard")(function* (args: RunArgs, plan: ShardPlan) {
  const loaded = yield* (args.overlay !== undefined && args.overlay.length > 0 ? loadWithOverlays(args.scenario, args.overlay, args.set) : loadScenario(args.scenario, args.set))
  const scenario = Option.match(args.seed, { onNone: () => loaded, onSome: (seed) => ({ ...loaded, seed }) })
  yield* checkRunBudget(args.scenario, scenario, Math.ceil(plan.count / plan.shards), args.maxEvents)
  const path = yield* Path.Path
  const dir = Option.match(args.out, {
    onNone: () => path.join("results", `${scenario.name}-shard-${plan.index}-of-${plan.shards}`),
    onSome: (out) => (args.outIsParent === true ? path.join(out, scenario.name) : out),
  })
  const sink = yield* ReportSink
  yield* sink.lock(dir)
  const proc = yield* ProcessInfo
  const started = yield* wallSeconds
  const sharded = yield* replicateShard(scenario, plan)
  const wallS = (yield* wallSeconds) - started
  const single = completeReport(scenario, sharded, wallS, { peakMemoryMB: yield* proc.peakMemoryMB, node: proc.node })
  const file = yield* sink.write(dir, withShard(single, sharded.shard, scenario))
  if (!args.quiet) {
    const { canColor } = yield* TerminalCapabilities.TerminalCapabilities
    yield* Console.log(renderSummary(single, { color: canColor }))
    const indices = sharded.shard.replications.map((r) => r.index)
    yield* Console.log(`shard ${plan.index}/${plan.shards}: replications ${indices.join(", ")} of ${plan.count}; merge all ${plan.shards} shards with \`wwsim merge\``)
  }
  yield* Console.log(`report: ${file}`)
})

/**
 * Several scenarios in turn (`wwsim run scenarios/wecom-*.yaml`): each runs even when an earlier
 * one breached its SLOs; the breaches are reported together at the end. With one JUnit file for
 * several scenarios, use `wwsim check`.
 */
const runScenarios = Effect.fn("runScenarios")(function* (args: Omit<RunArgs, "scenario"> & { readonly scenarios: ReadonlyArray<string> }) {
  if (args.scenarios.length === 1) return yield* Effect.scoped(runScenario({ ...args, scenario: args.scenarios[0] }))
  if (Option.isSome(args.junit ?? Option.none())) {
    return yield* Effect.fail(new FlagInvalid({
      flag: "--junit", message: "one JUnit file for several scenarios is `wwsim check`'s job; run them with check, or one at a time",
    }))
  }
  const breaches: SloBreached[] = []
  for (const scenario of args.scenarios) {
    const breach = yield* runScenario({ ...args, scenario, outIsParent: true, junit: Option.none() }).pipe(
      Effect.scoped,
      Effect.as(undefined),
      Effect.catchTag("SloBreached", (e) => Effect.succeed(e)),
    )
    if (breach !== undefined) breaches.push(breach)
  }
  if (breaches.length > 0) {
    return yield* Effect.fail(new SloBreached({ line: breaches.map((b) => b.line).join("\n"), results: breaches.flatMap((b) => b.results) }))
  }
})

/**
 * The `run` subcommand.
 *
 * @example
 * Command.make("wwsim").pipe(Command.withSubcommands([runCommand]))
 */
export const runCommand = Command.make("run", {
  scenarios: Argument.String("scenario").pipe(
    Argument.withDescription("scenario files (.yaml, .yml or .json), run one after another"),
    Argument.atLeast(1),
  ),
  seed: Flag.String("seed").pipe(
    Flag.withDescription("random seed; overrides the scenario's seed"),
    // the same range the scenario schema allows for `seed`; read from the text, so a seed past
    // 2^53 is quoted as typed, not rounded
    Flag.filterMap(
      (text) => Option.some(Number(text.trim())).pipe(Option.filter((n) => /^\+?\d+$/.test(text.trim()) && Number.isSafeInteger(n))),
      (text) => `seed must be an integer from 0 to ${Number.MAX_SAFE_INTEGER} (2^53 − 1), got ${text}`,
    ),
    Flag.optional,
  ),
  out: Flag.String("out").pipe(
    Flag.withDescription("output directory for report.json (default results/<scenario name>/)"),
    Flag.optional,
  ),
  set: Flag.String("set").pipe(
    Flag.withDescription("override a scenario field by dotted path, e.g. --set services.server.workers=16 (repeatable)"),
    Flag.atLeast(0),
  ),
  overlay: Flag.String("overlay").pipe(
    Flag.withDescription("apply an overlay (dotted paths and values, as `wwsim calibrate` writes) before --set (repeatable)"),
    Flag.atLeast(0),
  ),
  quiet: Flag.Boolean("quiet").pipe(
    Flag.withDescription("print only the report path"),
    Flag.withDefault(false),
  ),
  junit: Flag.String("junit").pipe(
    Flag.withDescription("also write the SLO verdicts as JUnit XML to FILE (one test case per SLO)"),
    Flag.optional,
  ),
  replications: Flag.Int("replications").pipe(
    Flag.withDescription("independent replications (derived seeds) with 95% confidence intervals; report.json is the first's plus a replications block"),
    Flag.filter((n) => n >= 1 && n <= MAX_REPLICATIONS, (n) => `replications must be from 1 to ${MAX_REPLICATIONS}, got ${n}`),
    Flag.optional,
  ),
  precision: Flag.String("precision").pipe(
    Flag.withDescription("add replications until each kind's latency mean and success rate has a 95% half-width below this share of its mean, e.g. 5%"),
    Flag.filterMap(
      (text) => Option.fromNullishOr(parseRatio(text)).pipe(Option.filter((r) => r > 0)),
      (text) => `precision must be a share above 0 like 5% or 0.05, got ${text}`,
    ),
    Flag.optional,
  ),
  maxReplications: Flag.Int("max-replications").pipe(
    Flag.withDescription(`with --precision: stop after this many replications (default ${PRECISION_CAP})`),
    Flag.filter((n) => n >= 1 && n <= MAX_REPLICATIONS, (n) => `max-replications must be from 1 to ${MAX_REPLICATIONS}, got ${n}`),
    Flag.optional,
  ),
  threads: Flag.Int("threads").pipe(
    Flag.withDescription("replications simulated at once (default: one per core)"),
    Flag.filter((n) => n >= 1 && n <= MAX_THREADS, (n) => `threads must be from 1 to ${MAX_THREADS}, got ${n}`),
    Flag.optional,
  ),
  maxEvents: Flag.Finite("max-events").pipe(
    Flag.withDescription(`refuse a run estimated to need more engine events than this (default ${DEFAULT_MAX_EVENTS.toExponential(0).replace("e+", "e")}, about nine hours)`),
    Flag.filter((n) => n >= 1 && Number.isFinite(n), (n) => `max-events must be a number of at least 1, got ${n}`),
    Flag.optional,
  ),
  shard: Flag.String("shard").pipe(
    Flag.withDescription("with --replications R: run only replications k with k mod N = i and write a partial report for `wwsim merge`, e.g. 0/4"),
    Flag.filterMap(
      (text) => Option.fromNullishOr(parseShard(text)),
      (text) => `shard must be i/N with 0 ≤ i < N, like 0/4, got ${text}`,
    ),
    Flag.optional,
  ),
}, (args) => runScenarios(args).pipe(Effect.provide(args.quiet ? Progress.none : progressLayer))).pipe(
  Command.withDescription(
    "Simulate scenarios one after another, write each DIR/report.json and check their SLOs (exit 1 if a verdict is unexpected: a breach not declared with `expect: breach`, or a value outside `within`).",
  ),
  Command.withExamples([
    { command: "wwsim run scenarios/mm8-example.yaml", description: "run the example M/M/8 queue" },
    { command: "wwsim run scenarios/mm8-example.yaml --seed 3 --set services.server.workers=16" },
    { command: "wwsim run scenarios/mm1.yaml --junit results/junit.xml", description: "also write the SLO verdicts for CI" },
    { command: "wwsim run scenarios/mm1.yaml --replications 10", description: "10 replications with 95% confidence intervals" },
    { command: "wwsim run scenarios/mm1.yaml --precision 5% --max-replications 40", description: "replicate until the intervals are within 5% of the means" },
    { command: "wwsim run scenarios/mm1.yaml --replications 8 --shard 0/2 --out results/shard-0", description: "one of two shards; then `wwsim merge results/shard-*/report.json`" },
  ]),
)

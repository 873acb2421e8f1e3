/**
 * `wwsim size --users N [--base scenario.yaml] [--slo 'metric<thr']… [--no-n-1] [--json]
 * [--window 30s] [--warmup 10s] [--threads N] [--max-machines 60]`: the smallest WeCom deployment
 * that meets the SLOs at the load of N users, by default with any single machine down. Candidates'
 * runs are simulated concurrently on worker threads. Exit 0 with a recommendation, 1 when none is
 * found within `--max-machines`, 2 on bad input. See docs/sizing.md.
 */
import { Console, Effect, Option } from "effect"
import { Command, Flag } from "effect/cli"
import { SimulationPool } from "../check/SimulationPool.ts"
import { ScenarioInvalid } from "../scenario/errors.ts"
import { loadScenario, readScenarioText } from "../scenario/load.ts"
import { loadWithOverlays, overlayText } from "../calibrate/overlay.ts"
import { parseDuration } from "../scenario/units.ts"
import { FlagInvalid, NoDeploymentFound } from "./errors.ts"
import { ProcessInfo } from "./ProcessInfo.ts"
import { wallSeconds } from "./wallSeconds.ts"
import { DEFAULT_HORIZON, type HorizonOptions, type HorizonResult, horizonOf, parseGrowth, parseMonths, parseRetention, parseSpace } from "../size/horizon.ts"
import { renderHorizon, renderSensitivity, renderSize, seedConditions, sizeJson } from "../size/format.ts"
import { type SensitivityMode, type SensitivityResult, condition, sensitivityOf } from "../size/sensitivity.ts"
import { probeSizePage, writeSizePage } from "../size/html.ts"
import { sizePageData } from "../size/pageData.ts"
import { ReportWriteFailed } from "../report/ReportSink.ts"
import { describeCandidate } from "../size/candidates.ts"
import { SloBreached } from "../slo/errors.ts"
import { type SizeOptions, type SizeResult, candidateScenario, sizeDeployment } from "../size/search.ts"
import type { Scenario } from "../scenario/Scenario.ts"

export interface SizeArgs {
  readonly users: number
  readonly base: Option.Option<string>
  /** Overlays applied to the base (`calibrate`'s output). */
  readonly overlay?: ReadonlyArray<string>
  readonly slo: ReadonlyArray<string>
  readonly noN1: boolean
  readonly json: boolean
  readonly window: string
  readonly warmup: string
  readonly threads: Option.Option<number>
  readonly maxMachines: number
  readonly headroom: string
  readonly sensitivity: SensitivityMode
  readonly horizon: Option.Option<string>
  readonly growth: string
  readonly messagesPerDay: number
  readonly retention: string
  readonly fileRetention: string
  readonly diskSpace: string
  readonly html: Option.Option<string>
}

const badFlag = (flag: string, message: string) => Effect.fail(new FlagInvalid({ flag: `--${flag}`, message }))

/** The horizon flags as options; bad values are one `error:` line (exit 2). */
const horizonOptions = Effect.fn("horizonOptions")(function* (args: SizeArgs) {
  const months = Option.isSome(args.horizon) ? parseMonths(args.horizon.value) : DEFAULT_HORIZON.months
  if (months === undefined) return yield* badFlag("horizon", `expected months like 36m or 3y (1 to 240 months), got ${JSON.stringify(Option.getOrElse(args.horizon, () => ""))}`)
  const growth = parseGrowth(args.growth)
  if (growth === undefined) return yield* badFlag("growth", `expected users' growth like 3%/m or 40%/y, between -50% and +100% a month, got ${JSON.stringify(args.growth)}`)
  const retention = parseRetention(args.retention)
  if (retention === undefined) return yield* badFlag("retention", `expected a period like 365d, 6m, 2y or forever (1 day to 100 years), got ${JSON.stringify(args.retention)}`)
  const fileRetention = parseRetention(args.fileRetention)
  if (fileRetention === undefined) return yield* badFlag("file-retention", `expected a period like 365d, 6m, 2y or forever (1 day to 100 years), got ${JSON.stringify(args.fileRetention)}`)
  const disk = parseSpace(args.diskSpace)
  if (disk === undefined) return yield* badFlag("disk-space", `expected a disk size like 1TB or 800GB, got ${JSON.stringify(args.diskSpace)}`)
  if (!(args.messagesPerDay > 0 && args.messagesPerDay <= 100_000)) return yield* badFlag("messages-per-day", `expected messages per user per day between 0 and 100000, got ${args.messagesPerDay}`)
  const o: HorizonOptions = {
    ...DEFAULT_HORIZON, months, growth, messageRetentionDays: retention, fileRetentionDays: fileRetention, diskSpaceBytes: disk,
    messagesPerUserDay: args.messagesPerDay, explicit: Option.isSome(args.horizon),
  }
  return o
})

/** `15%` or `0.15` as a fraction in [0, 1); anything else is bad input. */
export function parseHeadroom(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text)
  if (m === null) return undefined
  const v = m[2] === "%" ? Number(m[1]) / 100 : Number(m[1])
  return v >= 0 && v < 1 ? v : undefined
}

function sizeText(found: SizeResult, sensitivity: SensitivityResult | undefined, plan: HorizonResult | null, wallS: number): string {
  const text = renderSize(found, wallS) + (plan === null ? "" : `\n\n${renderHorizon(plan)}`)
  if (sensitivity === undefined) return text
  const conditions = seedConditions(sensitivity)
  const withConditions = conditions.length === 0 ? text : text.replace(/^(verdict: .*)$/m, `$1\n  the seed's row ${conditions.join("; ")}`)
  return `${withConditions}\n\n${renderSensitivity(sensitivity)}`
}

function sizeResultJson(found: SizeResult, sensitivity: SensitivityResult | undefined, plan: HorizonResult | null, wallS: number): unknown {
  const base = { ...(sizeJson(found, wallS) as Record<string, unknown>), horizon: plan }
  if (sensitivity === undefined) return { ...base, sensitivity: null }
  return {
    ...base,
    sensitivity: {
      mode: sensitivity.mode, simulations: sensitivity.simulations, wallS: sensitivity.wallS,
      assumptions: sensitivity.assumptions.map((a) => ({ id: a.id, label: a.label, assumed: a.assumed, source: a.source, range: a.range, worse: a.worse, ...(a.inert === undefined ? {} : { inert: a.inert }) })),
      candidates: sensitivity.candidates,
      seedConditions: seedConditions(sensitivity),
    },
  }
}


const writeFailed = (path: string, e: unknown) =>
  new ReportWriteFailed({ path, reason: e instanceof Error ? e.message.split("\n", 1)[0] : String(e) })

const htmlWritable = (file: string) => Effect.tryPromise({ try: () => probeSizePage(file), catch: (e) => writeFailed(file, e) })

const duration = (flag: string, text: string) =>
  parseDuration(text) === undefined
    ? Effect.fail(new FlagInvalid({ flag: `--${flag}`, message: `expected a duration like 30s or 1m, got ${JSON.stringify(text)}` }))
    : Effect.succeed(text)

/**
 * The body of `wwsim size`, separate from its flags so tests can call it with their own layers.
 *
 * @example
 * sizeCommandBody({ users: 20000, base: Option.none(), slo: [], noN1: false, json: false, window: "30s", warmup: "10s", threads: Option.none(), maxMachines: 60 })
 */
export const sizeCommandBody = Effect.fn("size")(function* (args: SizeArgs) {
  const { cores } = yield* ProcessInfo
  let base: SizeOptions["base"]
  if (Option.isSome(args.base)) {
    const file = args.base.value
    // validate the file as it is first, so errors point at its lines
    const overlays = args.overlay ?? []
    yield* (overlays.length > 0 ? loadWithOverlays(file, overlays) : loadScenario(file))
    const text = yield* readScenarioText(file)
    base = { text: overlays.length > 0 ? yield* Effect.try({ try: () => overlayText(text, overlays), catch: (e) => e as ScenarioInvalid }) : text, file }
  }
  const options: SizeOptions = {
    users: args.users, base, slos: args.slo, nMinus1: !args.noN1,
    warmup: yield* duration("warmup", args.warmup),
    duration: yield* duration("window", args.window),
    maxMachines: args.maxMachines,
    headroom: yield* (() => {
      const h = parseHeadroom(args.headroom)
      return h === undefined
        ? Effect.fail(new FlagInvalid({ flag: "--headroom", message: `expected a share below 100% like 15% or 0.15, got ${JSON.stringify(args.headroom)}` }))
        : Effect.succeed(h)
    })(),
  }
  const horizonOpts = yield* horizonOptions(args)
  // bad --slo or base fields: exit 2 before anything runs
  yield* Effect.try({
    try: () => candidateScenario(options, { access: 2, logic: 3, storage: 3 }, "access-1"),
    catch: (e) => {
      if (e instanceof ScenarioInvalid) return e
      throw e // anything else is a bug: a defect, exit 3
    },
  })

  // an unwritable --html fails now, not after minutes of search
  if (Option.isSome(args.html)) yield* htmlWritable(args.html.value)

  const threads = Math.max(1, Option.getOrElse(args.threads, () => cores))
  const started = yield* wallSeconds
  const result = yield* Effect.scoped(Effect.gen(function* () {
    const simulate = yield* (yield* SimulationPool).start(threads)
    // The search is promise-based; its runs and progress lines go back through this fiber's
    // services (console, pool), and interrupting the command aborts them.
    const context = yield* Effect.context<never>()
    const run = Effect.runPromiseWith(context)
    return yield* Effect.promise(async (signal) => {
      const runner = (s: Scenario) => run(simulate(s), { signal }).then((r) => r.report)
      const progress = (line: string) => { if (!args.json) void run(Console.error(`  … ${line}`), { signal }) }
      const found = await sizeDeployment(options, runner, progress)
      if (args.sensitivity === "off" || (found.recommendation === null && found.seed.evaluation === null)) return { found, sensitivity: undefined }
      progress(`sensitivity (${args.sensitivity}): break-even values by bisection …`)
      const sensitivity = await sensitivityOf(options, found, runner, args.sensitivity, progress)
      return { found, sensitivity }
    })
  }))
  const wallS = (yield* wallSeconds) - started
  const plan = horizonOf(options, result.found, horizonOpts)
  yield* Console.log(args.json ? JSON.stringify(sizeResultJson(result.found, result.sensitivity, plan, wallS), null, 2) : sizeText(result.found, result.sensitivity, plan, wallS))
  if (Option.isSome(args.html)) {
    const file = args.html.value
    const sens = result.sensitivity
    const text = (id: string) => {
      const a = sens?.assumptions.find((x) => x.id === id)
      const b = sens?.candidates.find((c) => c.role === "recommendation")?.breakEvens.find((x) => x.assumption === id)
      return a === undefined || b === undefined ? "" : condition(b, a)
    }
    yield* Effect.tryPromise({
      try: () => writeSizePage(file, sizePageData(result.found, sens, plan, text)),
      catch: (e) => writeFailed(file, e),
    })
    if (!args.json) yield* Console.log(`html: ${file}`)
  }
  if (result.found.recommendation === null) {
    return yield* Effect.fail(new NoDeploymentFound({ users: args.users, maxMachines: args.maxMachines }))
  }
  if (plan !== null && plan.options.explicit && plan.first !== null) {
    return yield* Effect.fail(new SloBreached({
      line: `error: ${describeCandidate(plan.candidate)} runs out of ${plan.first.resource} on the ${plan.first.tier} tier in month ${plan.first.month} of the ${plan.options.months}-month horizon`,
      results: [],
    }))
  }
})

/**
 * The `size` subcommand.
 *
 * @example
 * Command.make("wwsim").pipe(Command.withSubcommands([sizeCommand]))
 */
export const sizeCommand = Command.make("size", {
  users: Flag.Int("users").pipe(
    Flag.withDescription("users to size for (the preset's load model: 30% active, a message every 2 s, …)"),
    Flag.filter((n) => n >= 1, (n) => `users must be at least 1, got ${n}`),
  ),
  base: Flag.String("base").pipe(
    Flag.withDescription("a scenario file whose fields are kept (e.g. a custom CPU cost); size sets users, host counts, faults, SLOs and the window"),
    Flag.optional,
  ),
  overlay: Flag.String("overlay").pipe(
    Flag.withDescription("apply an overlay (as `wwsim calibrate` writes) to the base scenario (repeatable)"),
    Flag.atLeast(0),
  ),
  slo: Flag.String("slo").pipe(
    Flag.withDescription("an SLO as metric<threshold or metric>threshold, e.g. 'sendmsg.latency.p99<200ms' (repeatable; default: sendmsg and login success > 99.9%, sendmsg p99 < 200ms, push p99 < 1s)"),
    Flag.atLeast(0),
  ),
  noN1: Flag.Boolean("no-n-1").pipe(
    Flag.withDescription("do not require the SLOs with a machine down"),
    Flag.withDefault(false),
  ),
  json: Flag.Boolean("json").pipe(Flag.withDescription("print the result as JSON"), Flag.withDefault(false)),
  window: Flag.String("window").pipe(Flag.withDescription("measured duration of each run (default 30s)"), Flag.withDefault("30s")),
  warmup: Flag.String("warmup").pipe(Flag.withDescription("warm-up of each run (default 10s)"), Flag.withDefault("10s")),
  threads: Flag.Int("threads").pipe(
    Flag.withDescription("simulations at once (default: one per core)"),
    Flag.filter((n) => n >= 1, (n) => `threads must be at least 1, got ${n}`),
    Flag.optional,
  ),
  maxMachines: Flag.Int("max-machines").pipe(
    Flag.withDescription("give up above this many machines (default 60)"),
    Flag.filter((n) => n >= 5, (n) => `max-machines must be at least 5, got ${n}`),
    Flag.withDefault(60),
  ),
  headroom: Flag.String("headroom").pipe(
    Flag.withDescription("margin every tier keeps in its worst run: a candidate whose binding limit exceeds 100% − this does not pass (default 15%)"),
    Flag.withDefault("15%"),
  ),
  sensitivity: Flag.ChoiceWithValue("sensitivity", [["quick", "quick"], ["full", "full"], ["off", "off"]] as const).pipe(
    Flag.withDescription("break-even values of the assumptions by bisection: quick (the key ones, 3 steps; default), full (all, 5 steps, and the next smaller deployments), off"),
    Flag.withDefault<SensitivityMode>("quick"),
  ),
  horizon: Flag.String("horizon").pipe(
    Flag.withDescription("months to plan for, e.g. 36m or 3y; when given, a resource running out inside it exits 1 (default: 36m, informational)"),
    Flag.optional,
  ),
  growth: Flag.String("growth").pipe(Flag.withDescription("users' growth per month, e.g. 3%/m or 40%/y (default 0)"), Flag.withDefault("0%/m")),
  messagesPerDay: Flag.Finite("messages-per-day").pipe(
    Flag.withDescription("messages a user sends per day, for storage volume (default 100, assumed: the seed gives only the peak rate)"),
    Flag.withDefault(100),
  ),
  retention: Flag.String("retention").pipe(Flag.withDescription("how long messages are kept: 365d, 2y, forever (default 365d)"), Flag.withDefault("365d")),
  fileRetention: Flag.String("file-retention").pipe(Flag.withDescription("how long files are kept, also capped at 200 GB per host (default 365d, seed 000)"), Flag.withDefault("365d")),
  diskSpace: Flag.String("disk-space").pipe(Flag.withDescription("disk space per storage host (default 1TB, seed 000: RAID10 > 1 TB)"), Flag.withDefault("1TB")),
  html: Flag.String("html").pipe(Flag.withDescription("write the tornado and horizon charts to this HTML file"), Flag.optional),
}, sizeCommandBody).pipe(
  Command.withDescription("Find the smallest WeCom deployment that meets the SLOs for N users, with any machine down (exit 1 if none)."),
  Command.withExamples([
    { command: "wwsim size --users 50000", description: "size for 50,000 users with the default SLOs, N-1" },
    { command: "wwsim size --users 20000 --slo 'sendmsg.latency.p99<100ms' --no-n-1 --json", description: "a tighter SLO, all machines up, JSON out" },
  ]),
)

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
import { renderSize, sizeJson } from "../size/format.ts"
import { type SizeOptions, candidateScenario, sizeDeployment } from "../size/search.ts"

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
}

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
  }
  // bad --slo or base fields: exit 2 before anything runs
  yield* Effect.try({
    try: () => candidateScenario(options, { access: 2, logic: 3, storage: 3 }, "access-1"),
    catch: (e) => {
      if (e instanceof ScenarioInvalid) return e
      throw e // anything else is a bug: a defect, exit 3
    },
  })

  const threads = Math.max(1, Option.getOrElse(args.threads, () => cores))
  const started = yield* wallSeconds
  const result = yield* Effect.scoped(Effect.gen(function* () {
    const simulate = yield* (yield* SimulationPool).start(threads)
    // The search is promise-based; its runs and progress lines go back through this fiber's
    // services (console, pool), and interrupting the command aborts them.
    const context = yield* Effect.context<never>()
    const run = Effect.runPromiseWith(context)
    return yield* Effect.promise((signal) =>
      sizeDeployment(
        options,
        (s) => run(simulate(s), { signal }).then((r) => r.report),
        (line) => { if (!args.json) void run(Console.error(`  … ${line}`), { signal }) },
      ))
  }))
  const wallS = (yield* wallSeconds) - started
  yield* Console.log(args.json ? JSON.stringify(sizeJson(result, wallS), null, 2) : renderSize(result, wallS))
  if (result.recommendation === null) {
    return yield* Effect.fail(new NoDeploymentFound({ users: args.users, maxMachines: args.maxMachines }))
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
}, sizeCommandBody).pipe(
  Command.withDescription("Find the smallest WeCom deployment that meets the SLOs for N users, with any machine down (exit 1 if none)."),
  Command.withExamples([
    { command: "wwsim size --users 50000", description: "size for 50,000 users with the default SLOs, N-1" },
    { command: "wwsim size --users 20000 --slo 'sendmsg.latency.p99<100ms' --no-n-1 --json", description: "a tighter SLO, all machines up, JSON out" },
  ]),
)

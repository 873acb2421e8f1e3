/**
 * `wwsim calibrate <inputs>… --map map.yaml [--base scenario.yaml] [--out overlay.yaml]
 * [--html page.html] [--json] [--window 60s] [--warmup 10s] [--seed N]`: access logs, Svrkit RUN
 * lines and CPU series in; an overlay (or a whole scenario) with every number's source and 95%
 * interval out; the validation table always printed. Exit 0, or 2 on bad input.
 */
import { Console, Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import cliProgress from "cli-progress"
import { ReportWriteFailed } from "../report/ReportSink.ts"
import { ScenarioInvalid, ScenarioUnreadable } from "../scenario/errors.ts"
import { parseDuration } from "../scenario/units.ts"
import { calibrate } from "../calibrate/calibrate.ts"
import { FlagInvalid } from "./errors.ts"
import { showsBar } from "./Progress.ts"

const durationFlag = (flag: string, text: string): Effect.Effect<number, FlagInvalid> => {
  const s = parseDuration(text)
  return s === undefined || s <= 0
    ? Effect.fail(new FlagInvalid({ flag: `--${flag}`, message: `expected a duration like 60s, got ${JSON.stringify(text)}` }))
    : Effect.succeed(s)
}

/** A byte-count bar on stderr, on a terminal only. */
function progressBar() {
  if (!showsBar({ ci: process.env.CI, stdoutTTY: process.stdout.isTTY === true, stderrTTY: process.stderr.isTTY === true })) return undefined
  const bar = new cliProgress.SingleBar({
    format: "reading [{bar}] {percentage}% {mb}/{totalMb} MB", barsize: 30, hideCursor: true, clearOnComplete: true, stream: process.stderr,
  }, cliProgress.Presets.legacy)
  const mb = (n: number) => (n / 1e6).toFixed(0)
  return {
    start: (total: number) => bar.start(total, 0, { mb: "0", totalMb: mb(total) }),
    update: (read: number) => bar.update(read, { mb: mb(read) }),
    stop: () => bar.stop(),
  }
}

export const calibrateCommand = Command.make("calibrate", {
  inputs: Argument.String("input").pipe(
    Argument.withDescription("access logs (.gz too), Svrkit logs with RUN lines, sar -u text, Prometheus query_range JSON, CSV time,host,cpu; prefix format: (nginx:, svrkit:, sar:, prometheus:, csv:) to say which"),
    Argument.atLeast(1),
  ),
  map: Flag.String("map").pipe(Flag.withDescription("map.yaml: log_format, which URIs are which kind, which hosts which class, which modules which service")),
  base: Flag.String("base").pipe(Flag.withDescription("the scenario to calibrate; the output is then an overlay for it"), Flag.optional),
  out: Flag.String("out").pipe(Flag.withDescription("where to write the overlay (default results/calibration/overlay.yaml)"), Flag.optional),
  html: Flag.String("html").pipe(Flag.withDescription("where to write the measured-vs-predicted page (default calibration.html beside --out)"), Flag.optional),
  json: Flag.Boolean("json").pipe(Flag.withDescription("print the estimates and the validation as JSON"), Flag.withDefault(false)),
  window: Flag.String("window").pipe(Flag.withDescription("simulated window of the validation run (default 5m)"), Flag.withDefault("5m")),
  warmup: Flag.String("warmup").pipe(Flag.withDescription("warm-up of the validation run (default 10s)"), Flag.withDefault("10s")),
  seed: Flag.Int("seed").pipe(Flag.withDescription("seed of the validation run"), Flag.optional),
}, (args) => Effect.gen(function* () {
  const durationS = yield* durationFlag("window", args.window)
  const warmupS = yield* durationFlag("warmup", args.warmup)
  const result = yield* Effect.tryPromise({
    try: () => calibrate({
      inputs: args.inputs, map: args.map, base: Option.getOrUndefined(args.base), out: Option.getOrUndefined(args.out),
      html: Option.getOrUndefined(args.html), json: args.json, warmupS, durationS, seed: Option.getOrUndefined(args.seed),
      progress: args.json ? undefined : progressBar(),
    }),
    catch: (e) => {
      if (e instanceof ScenarioInvalid || e instanceof ScenarioUnreadable || e instanceof ReportWriteFailed) return e
      throw e
    },
  })
  yield* Console.log(result.text)
})).pipe(
  Command.withDescription("Estimate the model's numbers from a deployment's logs and CPU graphs, write them as an overlay, and validate them by simulation."),
  Command.withExamples([
    { command: "wwsim calibrate scenarios/calibration/access.log.gz scenarios/calibration/cpu.csv scenarios/calibration/chatlogic.log --map scenarios/calibration/map.yaml --base scenarios/calibration/base.yaml --out results/calibration/overlay.yaml", description: "the example data set" },
  ]),
)

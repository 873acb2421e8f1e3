/**
 * The `wwsim` application: its commands and the layers they run on. No side effects on import;
 * `main.ts` runs it against the real process.
 */
import { Layer } from "effect"
import { CliConfig, Command, GlobalFlag } from "effect/cli"
import { SimulationPool } from "../check/SimulationPool.ts"
import { Simulator } from "../Simulator.ts"
import { ReportSink } from "../report/ReportSink.ts"
import { calibrateCommand } from "./calibrateCommand.ts"
import { checkCommand } from "./checkCommand.ts"
import { NodeEnvironment } from "./NodeEnvironment.ts"
import { OneLineErrors } from "./Presenter.ts"
import { mergeCommand } from "./mergeCommand.ts"
import { reportCommand } from "./reportCommand.ts"
import { runCommand } from "./runCommand.ts"
import { schemaCommand } from "./schemaCommand.ts"
import { sizeCommand } from "./sizeCommand.ts"
import { packageVersion } from "./version.ts"
import { ProcessInfo } from "./ProcessInfo.ts"

/**
 * The root command: `wwsim run …`, `wwsim schema`, `--help`, `--version`.
 *
 * @example
 * Command.runWith(wwsim, { version: "0.1.0" })(["schema"])
 */
export const wwsim = Command.make("wwsim").pipe(
  Command.withDescription("Discrete-event capacity and chaos simulator for a private WeCom deployment."),
  Command.withSubcommands([runCommand, checkCommand, sizeCommand, calibrateCommand, mergeCommand, schemaCommand, reportCommand]),
)

/**
 * Everything the commands need, on a Node 20 process.
 *
 * @example
 * Effect.runPromiseExit(cli(["schema"]).pipe(Effect.provide(AppLayer)))
 */
export const AppLayer = Layer.mergeAll(
  Simulator.layer,
  SimulationPool.workers,
  ProcessInfo.layer,
  ReportSink.layer,
  OneLineErrors,
  // no --wizard (interactive prompts) or --log-level (wwsim does not log)
  CliConfig.layer({ builtIns: [GlobalFlag.Help, GlobalFlag.Version, GlobalFlag.Completions] }),
).pipe(Layer.provideMerge(NodeEnvironment))

/**
 * Parses `args` (without `node` and the script) and runs the chosen command. Provide
 * `AppLayer`, after any test doubles: the innermost `Effect.provide` wins.
 *
 * @example
 * const exit = await Effect.runPromiseExit(cli(["run", "x.yaml"]).pipe(Effect.provide(AppLayer)))
 */
export const cli = (args: ReadonlyArray<string>) => Command.runWith(wwsim, { version: packageVersion() })(args)


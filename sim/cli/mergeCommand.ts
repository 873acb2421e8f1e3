/**
 * `wwsim merge <report.json>… [--out DIR]`: the shards of `run --replications R --shard i/N`
 * into the report.json the unsharded run writes (docs/sharding.md). Exit 2 with one line when
 * the files are not exactly one run's N shards; exit 1 when the
 * merged report (replication 0's) breaches an SLO, as the unsharded run would.
 */
import { Console, Effect, FileSystem, Option, Path } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { ReportSink } from "../report/ReportSink.ts"
import { fileErrorText } from "../scenario/fileError.ts"
import { mergeShards, MergeInvalid } from "../replications/merge.ts"
import { SloBreached } from "../slo/errors.ts"
import { breachLine } from "../slo/format.ts"
import { verdictOf } from "../slo/Slo.ts"

/**
 * The body of `wwsim merge`.
 *
 * @example
 * mergeReports({ files: ["a/report.json", "b/report.json"], out: Option.some("merged") })
 */
export const mergeReports = Effect.fn("mergeReports")(function* (args: { readonly files: ReadonlyArray<string>; readonly out: Option.Option<string> }) {
  const fs = yield* FileSystem.FileSystem
  const path = yield* Path.Path
  const shards = yield* Effect.forEach(args.files, (file) =>
    fs.readFileString(file).pipe(
      Effect.mapError((e) => new MergeInvalid({ line: `error: merge: cannot read ${file}: ${fileErrorText(e)}` })),
      Effect.flatMap((text) => Effect.try({
        try: () => ({ file, report: JSON.parse(text) as unknown }),
        catch: () => new MergeInvalid({ line: `error: merge: ${file} is not JSON` }),
      })),
    ))
  const report = yield* Effect.try({
    try: () => mergeShards(shards),
    // a shape no run writes that got past the checks: our words, not a raw TypeError
    catch: (e) => (e instanceof MergeInvalid ? e : new MergeInvalid({ line: "error: merge: the files are not valid shard reports (run the shards again)" })),
  })
  const dir = Option.getOrElse(args.out, () => path.join("results", report.scenario))
  const sink = yield* ReportSink
  yield* sink.lock(dir)
  const file = yield* sink.write(dir, report)
  const r = report.replications!
  yield* Console.log(`merged ${args.files.length} shards: ${r.count} replications of ${report.scenario}`)
  yield* Console.log(`report: ${file}`)
  // as `run --replications` does: exit 1 when replication 0 breached an SLO
  const slo = report.slo ?? []
  if (slo.some((s) => verdictOf(s) === "unexpected")) return yield* Effect.fail(new SloBreached({ line: breachLine(report.scenario, slo), results: slo }))
})

export const mergeCommand = Command.make("merge", {
  files: Argument.String("report").pipe(
    Argument.withDescription("the shards' report.json files (run --replications R --shard i/N), in any order"),
    Argument.atLeast(1),
  ),
  out: Flag.String("out").pipe(
    Flag.withDescription("output directory for the merged report.json (default results/<scenario name>/)"),
    Flag.optional,
  ),
}, (args) => Effect.scoped(mergeReports(args))).pipe(
  Command.withDescription(
    "Merge the shards of `run --replications R --shard i/N` into the report the unsharded run writes (exit 2 unless they are exactly one run's N shards).",
  ),
  Command.withExamples([
    { command: "wwsim merge results/shard-*/report.json --out results/merged", description: "merge N shards from a batch engine" },
  ]),
)

/**
 * `wwsim merge`: the shards of `run --replications R --shard i/N` back into the report the
 * unsharded run writes (docs/sharding.md). Pure: partial reports in, report or one error line out.
 */
import { Data } from "effect"
import type { PartialReport, Report } from "../report/Report.ts"
import { HistogramPool } from "../measure/histograms.ts"
import { replicationsReport, summarizeValues } from "./intervals.ts"
import { replicationSeed } from "./seeds.ts"
import { intact } from "./shardIdentity.ts"

/** The files given to `merge` are not the complete set of one run's shards: exit code 2, one line. */
export class MergeInvalid extends Data.TaggedError("MergeInvalid")<{ readonly line: string }> {}

/** A partial report and the file it came from (for error lines). */
export interface ShardFile {
  readonly file: string
  readonly report: PartialReport
}

const isShard = (r: unknown): r is PartialReport => {
  const rep = (r as { replications?: { shard?: unknown } } | null)?.replications
  return typeof rep === "object" && rep !== null && typeof rep.shard === "object" && rep.shard !== null
}

const isCount = (x: unknown): x is number => typeof x === "number" && Number.isSafeInteger(x) && x >= 0

/**
 * Why a shard's report cannot be merged as it stands, or `undefined`: written by a wwsim that did
 * not seal shards, edited since it was written, or holding values no run produces.
 */
function shardProblem(r: PartialReport): string | undefined {
  const rep = r.replications
  if (typeof rep.scenarioHash !== "string" || typeof rep.digest !== "string") {
    return "has no scenario hash (written by an older wwsim): run the shard again"
  }
  if (!intact(r)) return "was changed after it was written (its digest does not match): run the shard again"
  const { shard, total } = rep
  if (typeof shard !== "object" || !isCount(shard.index) || !isCount(shard.count) || shard.index >= shard.count || !isCount(total)) {
    return "its shard or replication counts are not valid"
  }
  if (typeof r.run !== "object" || r.run === null || typeof r.run.version !== "string" || !Array.isArray(rep.replications)) {
    return "is not a complete shard report"
  }
  for (const x of rep.replications) {
    if (typeof x !== "object" || x === null || !isCount(x.index) || !isCount(x.seed) || typeof x.values !== "object" || x.values === null) {
      return "holds a replication that is not valid"
    }
    for (const [name, v] of Object.entries(x.values)) {
      if (v !== null && (typeof v !== "number" || !Number.isFinite(v))) return `replication ${x.index}'s ${name} is not a number`
    }
  }
  return undefined
}

/**
 * Checks that `shards` are all N shards of one run, exactly once each (same resolved scenario,
 * by its hash, and wwsim version; same R and N; each sealed and unedited), and merges them: per-replication values in replication order, the
 * latency histograms added, the intervals recomputed as `replicate` computes them. The body is
 * shard 0's (replication 0's report, with its SLO verdicts); `run` is shard 0's with `events`
 * summed, `wallS` the slowest shard's and `simSpeedup` over all R replications.
 *
 * @example
 * const report = mergeShards([{ file: "a/report.json", report: a }, { file: "b/report.json", report: b }])
 */
export function mergeShards(shards: ReadonlyArray<{ readonly file: string; readonly report: unknown }>): Report {
  const fail = (line: string): never => {
    throw new MergeInvalid({ line: `error: merge: ${line}` })
  }
  if (shards.length === 0) fail("no partial reports given")
  for (const s of shards) if (!isShard(s.report)) fail(`${s.file} is not a shard's report (run it with --replications R --shard i/N)`)
  const parts = shards as ReadonlyArray<ShardFile>
  for (const p of parts) {
    const problem = shardProblem(p.report)
    if (problem !== undefined) fail(`${p.file}: ${problem}`)
  }
  const first = parts[0].report
  const key = (r: PartialReport) =>
    `scenario ${r.scenario}, seed ${r.replications.scenarioSeed}, ${r.replications.total} replications in ${r.replications.shard.count} shards`
  for (const p of parts) {
    if (key(p.report) !== key(first)) fail(`${p.file} is from another run (${key(p.report)}; ${parts[0].file}: ${key(first)})`)
    if (p.report.run.version !== first.run.version) {
      fail(`${p.file} was written by wwsim ${p.report.run.version}, ${parts[0].file} by ${first.run.version}: run every shard with one version`)
    }
    if (p.report.replications.scenarioHash !== first.replications.scenarioHash) {
      fail(`${p.file} simulated another scenario than ${parts[0].file} (same name and seed, but some field differs: ` +
        "every shard must be run from the same file with the same --set, --overlay and --seed)")
    }
  }
  const n = first.replications.shard.count
  const byIndex = new Map<number, ShardFile>()
  for (const p of parts) {
    const i = p.report.replications.shard.index
    const seen = byIndex.get(i)
    if (seen !== undefined) fail(`shard ${i}/${n} given twice (${seen.file}, ${p.file})`)
    byIndex.set(i, p)
  }
  const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !byIndex.has(i))
  if (missing.length > 0) fail(`missing shard${missing.length > 1 ? "s" : ""} ${missing.map((i) => `${i}/${n}`).join(", ")}`)
  const ordered = Array.from({ length: n }, (_, i) => byIndex.get(i)!.report)

  const total = first.replications.total
  const seed = first.replications.scenarioSeed
  const reps = ordered.flatMap((r) => r.replications.replications).sort((a, b) => a.index - b.index)
  reps.forEach((r, k) => {
    if (r.index !== k || r.seed !== replicationSeed(seed, k)) fail(`replication ${k} is missing or has another seed`)
  })
  if (reps.length !== total) fail(`expected ${total} replications, the shards hold ${reps.length}`)

  const pooled = new HistogramPool()
  for (const [i, r] of ordered.entries()) {
    try {
      pooled.add(r.replications.histograms)
    } catch {
      fail(`${byIndex.get(i)!.file}: its latency histograms do not decode`)
    }
  }
  const metrics = summarizeValues(reps.map((r) => new Map(Object.entries(r.values))))
  const replications = replicationsReport(metrics, reps.map((r) => r.seed), undefined, pooled.percentiles())

  const { run, replications: _, ...body } = ordered[0]
  const wallS = Math.max(...ordered.map((r) => r.run.wallS))
  const events = ordered.reduce((sum, r) => sum + r.run.events, 0)
  const simulatedS = total * (body.window.warmupS + body.window.durationS)
  return {
    ...body,
    replications,
    run: { ...run, wallS, events, eventsPerS: wallS > 0 ? events / wallS : 0, simSpeedup: wallS > 0 ? simulatedS / wallS : 0 },
  }
}

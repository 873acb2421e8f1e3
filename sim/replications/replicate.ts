/**
 * `run --replications R [--precision 5%] [--max-replications N]`: independent replications of
 * one scenario on worker threads, and their confidence intervals.
 */
import { scenarioHash, sealed } from "./shardIdentity.ts"
import { Effect } from "effect"
import { type Simulate, SimulationPool } from "../check/SimulationPool.ts"
import { Progress } from "../Progress.ts"
import type { PartialReport, Report, ReplicationsReport, ShardReplications, SimReport } from "../report/Report.ts"
import type { Scenario } from "../scenario/Scenario.ts"
import type { SimResult } from "../simulate.ts"
import { HistogramPool } from "../measure/histograms.ts"
import { CONFIDENCE, convergence, keyMetrics, nextCount, replicationsReport, replicationValues, summarizeMetrics } from "./intervals.ts"
import { replicationSeed } from "./seeds.ts"

/**
 * Replications `indices` of `scenario`, all at once on the pool's workers, with one progress bar
 * (simulated time of the finished ones), each with its encoded latency histograms.
 */
const runReplications = (simulate: Simulate, scenario: Scenario, indices: ReadonlyArray<number>) =>
  Effect.scoped(Effect.gen(function* () {
    const runS = scenario.warmup + scenario.duration
    const onProgress = yield* (yield* Progress).track(indices.length * runS)
    let done = 0
    return yield* Effect.forEach(indices, (i) =>
      simulate({ ...scenario, seed: replicationSeed(scenario.seed, i) }, { histograms: true }).pipe(
        Effect.tap(() => Effect.sync(() => onProgress(++done * runS, indices.length * runS))),
      ), { concurrency: "unbounded" })
  }))

/** How many replications to run, and when to stop. */
export interface ReplicationPlan {
  /** Replications in the first batch (all of them without `precision`). */
  readonly count: number
  /** `--precision`: target relative half-width of every key metric (0.05 for 5%); `null`: run `count`. */
  readonly precision: number | null
  /** `--max-replications`: the cap with `precision`. */
  readonly maxReplications: number
  /** Worker threads (one per core by default). */
  readonly threads: number
}

/** The first replication's result (its report is report.json's body), the others, and the intervals. */
export interface Replicated extends SimResult {
  /** Every replication's report, in order; `report` is the first. */
  readonly reports: ReadonlyArray<SimReport>
  readonly replications: ReplicationsReport
}

/**
 * Runs the replications: replication i simulates the scenario with `replicationSeed(seed, i)`,
 * all of a batch at once on `plan.threads` workers (`SimulationPool`). Without `precision` that
 * is one batch of `count`. With it, after each batch the key metrics (each kind's latency mean and
 * success rate) are checked; while one has a half-width ≥ precision × |mean| and the cap is not
 * reached, another batch runs (`nextCount`). A simulator failure is a defect, as in `run`.
 *
 * @example
 * const { report, replications } = yield* replicate(scenario, { count: 5, precision: 0.05, maxReplications: 50, threads: 2 })
 */
export const replicate = Effect.fn("replicate")(function* (scenario: Scenario, plan: ReplicationPlan) {
  return yield* Effect.scoped(Effect.gen(function* () {
    const simulate = yield* (yield* SimulationPool).start(plan.threads)
    const results: SimResult[] = []
    const batches: number[] = []
    let target = plan.precision === null ? plan.count : Math.min(plan.count, plan.maxReplications)
    for (;;) {
      const from = results.length
      const indices = Array.from({ length: target - from }, (_, k) => from + k)
      // one bar per batch
      const batch = yield* runReplications(simulate, scenario, indices)
      results.push(...batch.map(({ report, events, histograms }) => ({ report, events, ...(histograms ? { histograms } : {}) })))
      batches.push(indices.length)
      if (plan.precision === null) break
      const reports = results.map((r) => r.report)
      const metrics = summarizeMetrics(reports)
      const conv = convergence(metrics, keyMetrics(reports, metrics), plan.precision)
      if (conv.converged || results.length >= plan.maxReplications) break
      target = nextCount(results.length, conv.worstRatio, plan.threads, plan.maxReplications)
    }
    const reports = results.map((r) => r.report)
    const metrics = summarizeMetrics(reports)
    const seeds = reports.map((_, i) => replicationSeed(scenario.seed, i))
    let precision: ReplicationsReport["precision"]
    if (plan.precision !== null) {
      const keys = keyMetrics(reports, metrics)
      const conv = convergence(metrics, keys, plan.precision)
      precision = {
        target: plan.precision, maxReplications: plan.maxReplications, keyMetrics: keys,
        converged: conv.converged, notConverged: conv.notConverged, batches,
      }
    }
    const pooled = new HistogramPool()
    for (const r of results) pooled.add(r.histograms ?? {})
    return {
      report: reports[0],
      events: results.reduce((n, r) => n + r.events, 0),
      reports,
      replications: replicationsReport(metrics, seeds, precision, pooled.percentiles()),
    } satisfies Replicated
  }))
})

/**
 * report.json with replications: the first replication's complete report, the `replications`
 * block before `run`, and `run` covering every replication (`events` is already their sum,
 * `simSpeedup` counts each one's simulated time).
 *
 * @example
 * withReplications(completeReport(scenario, replicated, wallS), replicated.replications, scenario)
 */
export function withReplications(report: Report, replications: ReplicationsReport, scenario: Scenario): Report {
  const { run, ...rest } = report
  const simulatedS = replications.count * (scenario.warmup + scenario.duration)
  return { ...rest, replications, run: { ...run, simSpeedup: run.wallS > 0 ? simulatedS / run.wallS : 0 } }
}

/** `--shard i/N` of `--replications R`. */
export interface ShardPlan {
  /** R: replications of the whole (unsharded) run. */
  readonly count: number
  readonly index: number
  /** N: shards. */
  readonly shards: number
  readonly threads: number
}

/** A shard's first replication's result (its report is the partial report's body) and its part. */
export interface Sharded extends SimResult {
  readonly shard: ShardReplications
}

/**
 * Runs shard `index` of `shards`: the replications k < count with k mod shards = index, with the
 * seeds the unsharded run gives them, on `plan.threads` workers; their values and their pooled
 * latency histograms go into the partial report for `wwsim merge` (`merge.ts`).
 *
 * @example
 * const { report, shard } = yield* replicateShard(scenario, { count: 8, index: 1, shards: 4, threads: 2 })
 */
export const replicateShard = Effect.fn("replicateShard")(function* (scenario: Scenario, plan: ShardPlan) {
  const indices = Array.from({ length: plan.count }, (_, k) => k).filter((k) => k % plan.shards === plan.index)
  return yield* Effect.scoped(Effect.gen(function* () {
    const simulate = yield* (yield* SimulationPool).start(plan.threads)
    const results = yield* runReplications(simulate, scenario, indices)
    const pooled = new HistogramPool()
    for (const r of results) pooled.add(r.histograms ?? {})
    const shard: ShardReplications = {
      shard: { index: plan.index, count: plan.shards },
      total: plan.count,
      scenarioSeed: scenario.seed,
      confidence: CONFIDENCE,
      replications: results.map((r, j) => ({
        index: indices[j], seed: replicationSeed(scenario.seed, indices[j]), values: Object.fromEntries(replicationValues(r.report)),
      })),
      histograms: pooled.encode(),
    }
    return { report: results[0].report, events: results.reduce((n, r) => n + r.events, 0), shard } satisfies Sharded
  }))
})

/**
 * A shard's report.json: its first replication's complete report and its part of the
 * replications, with the resolved scenario's hash and the report's digest; `run` covers the
 * shard's replications.
 */
export function withShard(report: Report, shard: ShardReplications, scenario: Scenario): PartialReport {
  const { run, replications: _, ...rest } = report
  const simulatedS = shard.replications.length * (scenario.warmup + scenario.duration)
  // sealed: `merge` checks the scenario's hash and that nothing was edited since
  return sealed({
    ...rest,
    replications: { ...shard, scenarioHash: scenarioHash(scenario) },
    run: { ...run, simSpeedup: run.wallS > 0 ? simulatedS / run.wallS : 0 },
  })
}

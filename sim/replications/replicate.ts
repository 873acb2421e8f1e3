/**
 * `run --replications R [--precision 5%] [--max-replications N]`: independent replications of
 * one scenario on worker threads, and their confidence intervals.
 */
import { Effect } from "effect"
import { SimulationPool } from "../check/SimulationPool.ts"
import { Progress } from "../cli/Progress.ts"
import type { Report, ReplicationsReport, SimReport } from "../report/Report.ts"
import type { Scenario } from "../scenario/Scenario.ts"
import type { SimResult } from "../simulate.ts"
import { convergence, keyMetrics, nextCount, replicationsReport, summarizeMetrics } from "./intervals.ts"
import { replicationSeed } from "./seeds.ts"

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
  const runS = scenario.warmup + scenario.duration
  return yield* Effect.scoped(Effect.gen(function* () {
    const simulate = yield* (yield* SimulationPool).start(plan.threads)
    const progress = yield* Progress
    const results: SimResult[] = []
    const batches: number[] = []
    let target = plan.precision === null ? plan.count : Math.min(plan.count, plan.maxReplications)
    for (;;) {
      const from = results.length
      const indices = Array.from({ length: target - from }, (_, k) => from + k)
      // one bar per batch: simulated time of the batch's finished replications
      const batch = yield* Effect.scoped(Effect.gen(function* () {
        const onProgress = yield* progress.track(indices.length * runS)
        let done = 0
        return yield* Effect.forEach(indices, (i) =>
          simulate({ ...scenario, seed: replicationSeed(scenario.seed, i) }).pipe(
            Effect.tap(() => Effect.sync(() => onProgress(++done * runS, indices.length * runS))),
          ), { concurrency: "unbounded" })
      }))
      results.push(...batch.map(({ report, events }) => ({ report, events })))
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
    return {
      report: reports[0],
      events: results.reduce((n, r) => n + r.events, 0),
      reports,
      replications: replicationsReport(metrics, seeds, precision),
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

/**
 * From the reports of independent replications to confidence intervals: which metrics, their
 * intervals, and the `--precision` stopping rule. Pure functions of reports.
 */
import type { ReplicationInterval, ReplicationsReport, SimReport } from "../report/Report.ts"
import { type MeanInterval, meanInterval } from "../stats/confidence.ts"

/** Confidence level of every interval. */
export const CONFIDENCE = 0.95

/**
 * The metrics a replication contributes, named as in SLOs, in report order: per kind
 * `latency.mean`, `latency.p50`, `latency.p99` (ms, ok requests; none without one),
 * `successRate` (ok / finished; none with nothing finished) and `throughput` (ok per second);
 * per service `utilization`, `queueWait.mean` (ms) and `queueDepth.mean`; per host `cpu`
 * (busy cores / cores). `null`: the replication has no value for it.
 *
 * @example
 * replicationValues(report).get("ping.latency.mean") // 19.6
 */
export function replicationValues(report: SimReport): ReadonlyMap<string, number | null> {
  const out = new Map<string, number | null>()
  const finite = (v: number | undefined): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null)
  for (const [kind, k] of Object.entries(report.requests)) {
    const latency = (v: number) => (k.ok > 0 ? finite(v) : null)
    out.set(`${kind}.latency.mean`, latency(k.latencyMs.mean))
    out.set(`${kind}.latency.p50`, latency(k.latencyMs.p50))
    out.set(`${kind}.latency.p99`, latency(k.latencyMs.p99))
    const done = k.ok + k.failed + k.rejected
    out.set(`${kind}.successRate`, done > 0 ? k.ok / done : null)
    out.set(`${kind}.throughput`, report.window.durationS > 0 ? k.ok / report.window.durationS : null)
  }
  for (const [name, s] of Object.entries(report.services)) {
    out.set(`${name}.utilization`, finite(s.utilization))
    out.set(`${name}.queueWait.mean`, finite(s.queueWaitMs.mean))
    out.set(`${name}.queueDepth.mean`, finite(s.queueDepth.mean))
  }
  for (const [name, h] of Object.entries(report.hosts)) out.set(`${name}.cpu`, finite(h.cpuUtil))
  return out
}

/** A metric over the replications: its values and the interval over those that exist. */
export interface MetricSummary {
  readonly values: ReadonlyArray<number | null>
  /** Over the non-null values; absent when there are none. */
  readonly interval?: MeanInterval
}

/**
 * Every metric of `replicationValues` over the replications, in the first report's order.
 *
 * @example
 * summarizeMetrics(reports).get("ping.latency.mean")?.interval?.halfWidth
 */
export function summarizeMetrics(reports: ReadonlyArray<SimReport>): ReadonlyMap<string, MetricSummary> {
  return summarizeValues(reports.map(replicationValues))
}

/**
 * `summarizeMetrics` from each replication's `replicationValues`, in replication order (what
 * `wwsim merge` has from the shards' partial reports).
 */
export function summarizeValues(perReport: ReadonlyArray<ReadonlyMap<string, number | null>>): ReadonlyMap<string, MetricSummary> {
  const names = new Set<string>()
  for (const values of perReport) for (const name of values.keys()) names.add(name)
  const out = new Map<string, MetricSummary>()
  for (const name of names) {
    const values = perReport.map((v) => v.get(name) ?? null)
    const present = values.filter((v): v is number => v !== null)
    out.set(name, present.length === 0 ? { values } : { values, interval: meanInterval(present, CONFIDENCE) })
  }
  return out
}

/**
 * The key metrics `--precision` waits for: each kind's `latency.mean` and `successRate`, except
 * those no replication has a value for (a kind that never ran, or never succeeded).
 */
export function keyMetrics(reports: ReadonlyArray<SimReport>, metrics: ReadonlyMap<string, MetricSummary>): string[] {
  const kinds = new Set(reports.flatMap((r) => Object.keys(r.requests)))
  return [...kinds].flatMap((k) => [`${k}.latency.mean`, `${k}.successRate`]).filter((m) => metrics.get(m)?.interval !== undefined)
}

export interface Convergence {
  readonly converged: boolean
  readonly notConverged: ReadonlyArray<string>
  /**
   * The largest halfWidth / (target·|mean|) over the key metrics: below 1 when converged;
   * `Infinity` when one has no interval yet (a single value) or a zero mean with spread.
   */
  readonly worstRatio: number
}

/**
 * Whether every key metric's half-width is below `target` × |mean| (a metric that did not vary
 * at all, half-width 0, counts as converged).
 *
 * @example
 * convergence(metrics, ["ping.latency.mean"], 0.05).converged
 */
export function convergence(metrics: ReadonlyMap<string, MetricSummary>, keys: ReadonlyArray<string>, target: number): Convergence {
  const notConverged: string[] = []
  let worstRatio = 0
  for (const key of keys) {
    const hw = metrics.get(key)?.interval?.halfWidth ?? null
    const mean = metrics.get(key)?.interval?.mean ?? 0
    const ratio = hw === null ? Infinity : hw === 0 ? 0 : mean === 0 ? Infinity : hw / (target * Math.abs(mean))
    if (!(ratio < 1)) notConverged.push(key)
    if (ratio > worstRatio) worstRatio = ratio
  }
  return { converged: notConverged.length === 0, notConverged, worstRatio }
}

/**
 * How many replications to have after the next batch. The half-width shrinks like 1/√n, so
 * n·ratio² replications would reach the target (Law & Kelton's sequential procedure, ignoring the
 * t quantile's own shrinking, which errs on the side of more); the batch is at least one
 * replication per thread (they run at once) and at most doubles the count (an early, noisy
 * estimate of the spread cannot send the run straight to the cap), and never passes the cap.
 *
 * @example
 * nextCount(5, 1.5, 2, 50) // 10: 5·1.5² = 11.25 asks for 12, but a batch at most doubles the count
 * nextCount(10, 1.1, 2, 50) // 13: 10·1.1² = 12.1 → 13
 */
export function nextCount(n: number, worstRatio: number, threads: number, max: number): number {
  const needed = Number.isFinite(worstRatio) ? Math.ceil(n * worstRatio * worstRatio) : Infinity
  const add = Math.min(Math.max(needed - n, threads, 1), Math.max(n, 1))
  return Math.min(n + add, max)
}

/** `x` to 6 significant digits, so report.json does not print 19.602999999999998. */
const round6 = (x: number): number => (x === 0 || !Number.isFinite(x) ? x : Number(x.toPrecision(6)))
const roundOrNull = (x: number | null): number | null => (x === null ? null : round6(x))

/**
 * The `replications` block of report.json: every metric with a value in at least one replication.
 *
 * @example
 * replicationsReport(metrics, [1, 872394…], undefined).metrics["ping.latency.mean"].halfWidth
 */
export function replicationsReport(
  metrics: ReadonlyMap<string, MetricSummary>,
  seeds: ReadonlyArray<number>,
  precision: ReplicationsReport["precision"],
  latencyPooled?: ReplicationsReport["latencyPooled"],
): ReplicationsReport {
  const out: Record<string, ReplicationInterval> = {}
  for (const [name, m] of metrics) {
    if (m.interval === undefined) continue
    const { mean, halfWidth, low, high } = m.interval
    out[name] = { mean: round6(mean), halfWidth: roundOrNull(halfWidth), low: roundOrNull(low), high: roundOrNull(high), values: m.values }
  }
  return {
    count: seeds.length, seeds, confidence: CONFIDENCE, metrics: out,
    ...(precision === undefined ? {} : { precision }),
    ...(latencyPooled === undefined ? {} : { latencyPooled }),
  }
}

/**
 * Recovery from faults, read from a report's per-step series: for each fault and each request kind
 * (and all kinds together), when success first dipped below a threshold, how deep, and when it came
 * back above it to stay. A pure function of (series, faults, threshold): the same figures feed the
 * summary, the SLOs (`sendmsg.recoveryS below 30s`) and the visualiser's charts.
 *
 * Per step, success is ok / (ok + failed + rejected) of the requests that ended in it; a step
 * where nothing ended says nothing and is skipped. With latency bounds (`recovery.p99`) a step is
 * also unhealthy when a bounded kind's p99 of ok requests in it is over the bound: a fault whose
 * requests are delayed, not lost (a persistent MQ's redelivery), is then not read as absorbed.
 * For all kinds together a step is unhealthy when total success is low or any bounded kind is
 * slow. For a fault from `fromS` to `toS`, the steps looked at run from the one holding `fromS` to
 * the start of the next fault that begins after this one has ended (or the end of the run):
 * - `impactS`: fault start → the start of the first step below the threshold (0 when the step
 *   holding the start is already below); `null` when no step is: the fault was absorbed.
 * - `recoveredAtS`: the start of the step after the last step below the threshold — from then on
 *   every step is at or above it; `null` when the last step with anything ended is still below.
 * - `recoveryS`: fault end → `recoveredAtS` (0 when success was back before the fault ended, or
 *   never dipped); `null`: not recovered by the end of the run.
 * - `outageS`: the length of the dip, first step below → `recoveredAtS`; 0 without a dip.
 * - `dip`: the lowest per-step success in those steps.
 * - `baseline`: success over the steps before the fault (from the end of the warm-up, or of the
 *   last fault that ended before it): when it is already below the threshold, the figures say little.
 * Times have the series step's resolution (1 s by default).
 */
import { DEFAULT_HEALTHY } from "../scenario/defaults.ts"
import type { LatencyBounds, RecoveryCriteria } from "../scenario/Scenario.ts"
import { formatDuration } from "../scenario/units.ts"
import type { FaultReport, SeriesReport } from "./Report.ts"

export { DEFAULT_HEALTHY }

/**
 * What a healthy step needs, in words.
 *
 * @example
 * healthyText({ healthy: 0.99 }) // "≥ 99% success"
 * healthyText({ healthy: 0.99, p99: { push: 5 } }) // "≥ 99% success and push p99 ≤ 5s"
 */
export function healthyText(criteria: RecoveryCriteria): string {
  const success = `≥ ${percent(criteria.healthy)} success`
  const p99 = criteria.p99
  if (p99 === undefined) return success
  const bounds = typeof p99 === "number"
    ? `p99 ≤ ${formatDuration(p99)}`
    : Object.entries(p99).map(([kind, s]) => `${kind} p99 ≤ ${formatDuration(s)}`).join(", ")
  return `${success} and ${bounds}`
}

/**
 * What an unhealthy step is, in words: "below 99%", or with latency bounds "short of ≥ 99% success
 * and push p99 ≤ 5s".
 */
export function unhealthyText(criteria: RecoveryCriteria): string {
  return criteria.p99 === undefined ? `below ${percent(criteria.healthy)}` : `short of ${healthyText(criteria)}`
}

const percent = (ratio: number) => `${Number((ratio * 100).toFixed(3))}%`

/** The bound on `kind`'s p99 in seconds, or `undefined` when it has none. */
export function p99BoundOf(p99: LatencyBounds | undefined, kind: string): number | undefined {
  if (p99 === undefined) return undefined
  return typeof p99 === "number" ? p99 : Object.hasOwn(p99, kind) ? p99[kind] : undefined
}

/** Recovery figures of one fault, for one kind or for all kinds. */
export interface RecoveryFigures {
  /** Index of the fault in the report's `faults`. */
  readonly fault: number
  readonly impactS: number | null
  readonly recoveredAtS: number | null
  readonly recoveryS: number | null
  readonly outageS: number | null
  readonly dip: number | null
  readonly baseline: number | null
}

/** Every fault's figures, per kind and for all kinds together, against one threshold. */
export interface RecoveryReport {
  /** A step is healthy when its success is at least this. */
  readonly healthy: number
  /** … and, for the kinds bounded, its p99 of ok requests at most this (seconds); absent: success alone. */
  readonly p99?: LatencyBounds
  readonly kinds: Readonly<Record<string, ReadonlyArray<RecoveryFigures>>>
  readonly all: ReadonlyArray<RecoveryFigures>
}

/** Per step: ok and finished requests per second, and whether a latency bound was exceeded. */
interface Outcomes {
  readonly ok: ReadonlyArray<number>
  readonly done: ReadonlyArray<number>
  /** Absent: no bound applies. */
  readonly slow?: ReadonlyArray<boolean>
}

const EPS = 1e-9

function outcomesOf(k: SeriesReport["kinds"][string], p99BoundS: number | undefined): Outcomes {
  const done = k.throughput.map((ok, i) => ok + (k.failed[i] ?? 0) + (k.rejected[i] ?? 0))
  if (p99BoundS === undefined) return { ok: k.throughput, done }
  const boundMs = p99BoundS * 1000
  const slow = k.p99Ms.map((p99) => p99 !== null && p99 > boundMs + EPS)
  return { ok: k.throughput, done, slow }
}

function sumOutcomes(list: ReadonlyArray<Outcomes>, n: number): Outcomes {
  const ok = new Array<number>(n).fill(0)
  const done = new Array<number>(n).fill(0)
  const bounded = list.some((o) => o.slow !== undefined)
  const slow = new Array<boolean>(n).fill(false)
  for (const o of list) {
    for (let i = 0; i < n; i++) {
      ok[i] += o.ok[i] ?? 0
      done[i] += o.done[i] ?? 0
      if (o.slow?.[i] === true) slow[i] = true
    }
  }
  return bounded ? { ok, done, slow } : { ok, done }
}

/** Where each fault's analysis ends: the next fault starting after it ended, or the run's end. */
function rangeEnd(faults: ReadonlyArray<FaultReport>, i: number, runEndS: number): number {
  const end = faults[i].toS ?? runEndS
  let next = runEndS
  for (const f of faults) if (f.fromS >= end - EPS && f.fromS > faults[i].fromS && f.fromS < next) next = f.fromS
  return next
}

/**
 * The figures of one fault over one kind's (or all kinds') per-step outcomes.
 *
 * @example
 * // 1 s steps, a fault from 10 s to 20 s, success 50% in steps 12–24, 100% elsewhere:
 * figures(t, outcomes, 1, 10, 20, 40, 0, 0.99, 0) // { impactS: 2, recoveredAtS: 25, recoveryS: 5, outageS: 13, dip: 0.5, … }
 */
export function figures(
  t: ReadonlyArray<number>, o: Outcomes, stepS: number, fromS: number, toS: number | null, endS: number,
  baselineFromS: number, healthy: number, fault: number,
): RecoveryFigures {
  let good = 0, all = 0
  let first = -1, last = -1, lastData = -1
  let dip: number | null = null
  for (let i = 0; i < t.length; i++) {
    const start = t[i]
    const stop = start + stepS
    if (stop <= baselineFromS + EPS || start >= endS - EPS) continue
    const done = o.done[i]
    if (!(done > 0)) continue
    const s = o.ok[i] / done
    if (stop <= fromS + EPS) {
      good += o.ok[i]
      all += done
      continue
    }
    lastData = i
    if (dip === null || s < dip) dip = s
    if (s < healthy || o.slow?.[i] === true) {
      if (first < 0) first = i
      last = i
    }
  }
  const baseline = all > 0 ? good / all : null
  if (first < 0) return { fault, impactS: null, recoveredAtS: null, recoveryS: 0, outageS: 0, dip, baseline }
  const impactS = Math.max(0, t[first] - fromS)
  if (last === lastData) return { fault, impactS, recoveredAtS: null, recoveryS: null, outageS: null, dip, baseline }
  const recoveredAtS = t[last] + stepS
  const end = toS ?? recoveredAtS
  return { fault, impactS, recoveredAtS, recoveryS: Math.max(0, recoveredAtS - end), outageS: recoveredAtS - t[first], dip, baseline }
}

/**
 * Recovery figures for every fault of a report; `undefined` when it has no faults.
 *
 * @example
 * const r = recoveryOf(report.series, report.faults, 70, 10)
 * r?.kinds.sendmsg[0].recoveryS // 12: back above 99% 12 s after the fault ended
 * recoveryOf(report.series, report.faults, 70, 10, { healthy: 0.99, p99: { push: 5 } }) // pushes slower than 5 s count too
 */
export function recoveryOf(
  series: SeriesReport, faults: ReadonlyArray<FaultReport>, runEndS: number, warmupS: number,
  criteria: RecoveryCriteria = { healthy: DEFAULT_HEALTHY },
): RecoveryReport | undefined {
  if (faults.length === 0) return undefined
  const { healthy, p99 } = criteria
  const n = series.t.length
  const perKind = Object.entries(series.kinds).map(([name, k]) => [name, outcomesOf(k, p99BoundOf(p99, name))] as const)
  const total = sumOutcomes(perKind.map(([, o]) => o), n)
  const each = (o: Outcomes) => faults.map((f, i) => {
    // the baseline: from the end of the warm-up, or of the last fault that ended before this one began
    let baselineFromS = warmupS
    for (const g of faults) if (g !== f && g.toS !== null && g.toS <= f.fromS + EPS) baselineFromS = Math.max(baselineFromS, g.toS)
    return figures(series.t, o, series.stepS, f.fromS, f.toS, rangeEnd(faults, i, runEndS), Math.min(baselineFromS, f.fromS), healthy, i)
  })
  return {
    healthy,
    ...(p99 === undefined ? {} : { p99 }),
    kinds: Object.fromEntries(perKind.map(([name, o]) => [name, each(o)])),
    all: each(total),
  }
}

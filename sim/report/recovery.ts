/**
 * Recovery from faults, read from a report's per-step series: for each fault and each request kind
 * (and all kinds together), when success first dipped below a threshold, how deep, and when it came
 * back above it to stay. A pure function of (series, faults, threshold): the same figures feed the
 * summary, the SLOs (`sendmsg.recoveryS below 30s`) and the visualiser's charts.
 *
 * Per step, success is ok / (ok + failed + rejected) of the requests that ended in it; a step
 * where nothing ended says nothing and is skipped. For a fault from `fromS` to `toS`, the steps
 * looked at run from the one holding `fromS` to the start of the next fault that begins after this
 * one has ended (or the end of the run):
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
import type { FaultReport, SeriesReport } from "./Report.ts"

/** The default threshold: a step with less than 99% success is "impacted". */
export const DEFAULT_HEALTHY = 0.99

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
  readonly kinds: Readonly<Record<string, ReadonlyArray<RecoveryFigures>>>
  readonly all: ReadonlyArray<RecoveryFigures>
}

/** Per step: ok and finished requests per second. */
interface Outcomes {
  readonly ok: ReadonlyArray<number>
  readonly done: ReadonlyArray<number>
}

const EPS = 1e-9

function outcomesOf(k: SeriesReport["kinds"][string]): Outcomes {
  const done = k.throughput.map((ok, i) => ok + (k.failed[i] ?? 0) + (k.rejected[i] ?? 0))
  return { ok: k.throughput, done }
}

function sumOutcomes(list: ReadonlyArray<Outcomes>, n: number): Outcomes {
  const ok = new Array<number>(n).fill(0)
  const done = new Array<number>(n).fill(0)
  for (const o of list) {
    for (let i = 0; i < n; i++) {
      ok[i] += o.ok[i] ?? 0
      done[i] += o.done[i] ?? 0
    }
  }
  return { ok, done }
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
    if (s < healthy) {
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
 */
export function recoveryOf(
  series: SeriesReport, faults: ReadonlyArray<FaultReport>, runEndS: number, warmupS: number, healthy: number = DEFAULT_HEALTHY,
): RecoveryReport | undefined {
  if (faults.length === 0) return undefined
  const n = series.t.length
  const perKind = Object.entries(series.kinds).map(([name, k]) => [name, outcomesOf(k)] as const)
  const total = sumOutcomes(perKind.map(([, o]) => o), n)
  const each = (o: Outcomes) => faults.map((f, i) => {
    // the baseline: from the end of the warm-up, or of the last fault that ended before this one began
    let baselineFromS = warmupS
    for (const g of faults) if (g !== f && g.toS !== null && g.toS <= f.fromS + EPS) baselineFromS = Math.max(baselineFromS, g.toS)
    return figures(series.t, o, series.stepS, f.fromS, f.toS, rangeEnd(faults, i, runEndS), Math.min(baselineFromS, f.fromS), healthy, i)
  })
  return {
    healthy,
    kinds: Object.fromEntries(perKind.map(([name, o]) => [name, each(o)])),
    all: each(total),
  }
}

/**
 * `warmup: auto`: choose the warm-up by MSER-5 on a first run, then report a second run of the
 * same trajectory measured from that cut.
 */
import { Engine } from "./engine/Engine.ts"
import { buildReport } from "./report/build.ts"
import type { SimReport, WarmupAutoReport } from "./report/Report.ts"
import type { Scenario } from "./scenario/Scenario.ts"
import { type SimResult, type SimulateOptions, simulate, slices } from "./simulate.ts"
import { mser } from "./stats/mser.ts"
import { encodeKinds } from "./measure/histograms.ts"

/** Per-step mean latency of each kind's ok replies, read from the engine as the run goes. */
interface StepLatencies {
  readonly kind: string
  /** Mean latency (s) of the ok replies in each step; `null` for a step without any. */
  readonly means: Array<number | null>
  replies: number
}

/**
 * Fills the steps without a reply: each takes the last mean before it (the first ones take the
 * first mean), so an idle step neither breaks the series nor pulls a batch towards zero.
 *
 * @example
 * fillGaps([null, 2, null, 4]) // [2, 2, 2, 4]
 */
export function fillGaps(means: ReadonlyArray<number | null>): number[] {
  const first = means.find((m) => m !== null) ?? 0
  let last = first
  return means.map((m) => (m === null ? last : (last = m)))
}

/** `simulationWarmupAuto` run to its end (`simulate` does this for a scenario with `warmup: auto`). */
export const simulateWarmupAuto = (scenario: Scenario, options: SimulateOptions = {}): SimResult =>
  simulate({ ...scenario, warmupAuto: true }, options)

/**
 * Simulates a scenario with `warmupAuto`, in two runs of the same trajectory:
 *
 * 1. From time 0 with no warm-up over `warmup + duration` (`warmup` is 0 when loaded from
 *    `warmup: auto`), recording per series step the mean latency of the ok replies of the first
 *    kind that has any (read from the kind's cumulative sum and count each step).
 * 2. MSER-5 (`sim/stats/mser.ts`) on that series, in batches of 5 steps, gives the cut d*; the
 *    scenario runs again with `warmup = d*` and `duration` the rest, so the report's statistics
 *    cover [d*, end] of the very same run (same seed, same streams, same end; the warm-up only
 *    decides what is counted). With d* = 0 the first run is the answer and there is no second.
 *
 * Cost: up to twice the simulation time. The report gains `warmupAuto` and `window.warmupS = d*`.
 *
 * @example
 * const { report } = simulateWarmupAuto({ ...scenario, warmup: 0, warmupAuto: true })
 * report.warmupAuto?.truncatedS
 */
export function* simulationWarmupAuto(scenario: Scenario, options: SimulateOptions = {}): Generator<void, SimResult, void> {
  const totalS = scenario.warmup + scenario.duration
  const first: Scenario = { ...scenario, warmup: 0, duration: totalS, warmupAuto: false }
  const onProgress = options.onProgress
  const kinds: StepLatencies[] = []
  const previous: Array<{ sum: number; count: number }> = []
  // The engine calls this once per closed series step (and at the end, for the last partial step).
  const engine: Engine = new Engine(first, (now, end) => {
    engine.model.kinds.forEach((k, i) => {
      kinds[i] ??= { kind: k.name, means: [], replies: 0 }
      previous[i] ??= { sum: 0, count: 0 }
      const count = k.latency.count - previous[i].count
      const sum = k.latency.sum - previous[i].sum
      kinds[i].means.push(count > 0 ? sum / count : null)
      kinds[i].replies += count
      previous[i] = { sum: k.latency.sum, count: k.latency.count }
    })
    // Two runs: the bar covers the first half with the first.
    onProgress?.(now / 2, end)
  })
  yield* slices(engine)
  const firstReport = buildReport(engine)
  const stepS = engine.series.step
  const chosen = kinds.find((k) => k.replies > 0)
  const cut = chosen === undefined ? undefined : mser(fillGaps(chosen.means))
  // k·step, rounded to the nanosecond so a 0.1 s step gives 1.5, not 1.5000000000000002
  const truncatedS = cut === undefined ? 0 : Math.round(cut.index * stepS * 1e9) / 1e9
  const warmupAuto: WarmupAutoReport = {
    method: "MSER-5", truncatedS, kind: chosen?.kind ?? "", stepS, atLimit: cut?.atLimit ?? false,
  }
  if (truncatedS === 0) {
    onProgress?.(totalS, totalS)
    return {
      report: withWarmupAuto(firstReport, warmupAuto), events: engine.events,
      ...(options.histograms === true ? { histograms: encodeKinds(engine.model.kinds) } : {}),
    }
  }
  const second = new Engine(
    { ...first, warmup: truncatedS, duration: totalS - truncatedS },
    onProgress === undefined ? undefined : (now, end) => onProgress((end + now) / 2, end),
  )
  yield* slices(second)
  return {
    report: withWarmupAuto(buildReport(second), warmupAuto), events: engine.events + second.events,
    ...(options.histograms === true ? { histograms: encodeKinds(second.model.kinds) } : {}),
  }
}

/** The report with `warmupAuto` right after `window`. */
function withWarmupAuto(report: SimReport, warmupAuto: WarmupAutoReport): SimReport {
  const { scenario, seed, window, ...rest } = report
  return { scenario, seed, window, warmupAuto, ...rest }
}

/**
 * One line for the terminal summary.
 *
 * @example
 * describeWarmupAuto(report.warmupAuto) // "warm-up auto: MSER-5 cut the first 40s (ping's mean latency per 1s step; two runs)"
 */
export function describeWarmupAuto(w: WarmupAutoReport): string {
  if (w.kind === "") return "warm-up auto: no ok replies to choose a cut on; nothing cut"
  const on = `${w.kind}'s mean latency per ${w.stepS}s step`
  if (w.truncatedS === 0) return `warm-up auto: MSER-5 found nothing to cut (${on}; one run)`
  const limit = w.atLimit ? "; at the limit MSER-5 searches (half the run): the run is probably too short to settle, lengthen duration" : ""
  return `warm-up auto: MSER-5 cut the first ${w.truncatedS}s (${on}; two runs)${limit}`
}

/**
 * Break-even values: for each assumption, the value at which a deployment's verdict flips, found
 * by bisection on simulations.
 *
 * - A deployment that passes at the assumed value is pushed the way that makes load heavier: the
 *   far end of the range first (if it still passes, the verdict holds over the whole range), then
 *   bisection between the last value that passed and the first that failed.
 * - A deployment that fails (the seed's row, a next smaller candidate) is pushed the other way,
 *   to the value at which it starts to pass.
 * - Common random numbers: every run keeps the scenario's seed, so two values differ only by the
 *   assumption, not by sampling noise, and a step of the bisection is a clean comparison.
 * - A deployment is judged with the same SLOs, N-1 runs and headroom target as the search; its
 *   runs go one after another, the run that failed last first, and stop at the first failure (the
 *   sweeps of different assumptions run side by side on the pool).
 */
import { parse as parseYaml } from "yaml"
import { ScenarioInvalid } from "../scenario/errors.ts"
import { Duration, Ratio, Size, parseDuration } from "../scenario/units.ts"
import { type Candidate, candidateKey } from "./candidates.ts"
import { type Assumption, assumptionsFor } from "./assumptions.ts"
import { OFFLINE_PUSH_KIND } from "./pushSplit.ts"
import {
  type Evaluation, type RunOutcome, type Runner, type SizeOptions, type SizeResult, candidateScenario, judge, outcome, storageServices, tiersOf,
} from "./search.ts"

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

export type SensitivityMode = "quick" | "full" | "off"

/** Bisection steps after the far end, per mode. */
export const STEPS: Readonly<Record<Exclude<SensitivityMode, "off">, number>> = { quick: 3, full: 5 }

export interface BreakEven {
  readonly assumption: string
  readonly label: string
  readonly assumed: number
  /** Which way the search went from the assumed value. */
  readonly direction: "up" | "down"
  /** Whether the deployment passes at the assumed value. */
  readonly passesAtAssumed: boolean
  /**
   * `flips`: it flips between `last` (same verdict as at the assumed value) and `first` (the other);
   * `holds`: the same verdict over the whole range searched; `inert`: not searched (why in `note`).
   */
  readonly outcome: "flips" | "holds" | "inert"
  readonly last?: number
  readonly first?: number
  /** The range searched, from the assumed value to the far end. */
  readonly searched: readonly [number, number]
  /** At `first`: why it fails (when it passed at the assumed value). */
  readonly reason?: string
  readonly note?: string
  readonly simulations: number
}

export interface CandidateSensitivity {
  readonly role: "recommendation" | "seed" | "smaller"
  readonly candidate: Candidate
  readonly breakEvens: ReadonlyArray<BreakEven>
}

const mid = (a: number, b: number, log: boolean) => (log && a > 0 && b > 0 ? Math.sqrt(a * b) : (a + b) / 2)

/**
 * Judges `c` under a variation: runs one by one, `first` (the run that failed last) first,
 * stopping at the first failure.
 */
async function judgeVaried(
  options: SizeOptions, c: Candidate, variation: ReturnType<Assumption["variation"]>, runner: Runner,
  storageSvcs: Set<string>, order: Array<string | null>, count: () => void,
): Promise<Evaluation> {
  const outs: RunOutcome[] = []
  for (const down of order) {
    const scenario = candidateScenario(options, c, down, variation)
    count()
    const o = outcome(scenario, await runner(scenario), down)
    outs.push(o)
    const ev = judge(options, c, outs, storageSvcs, false)
    if (!ev.ok) {
      // the failing run goes first next time
      order.splice(order.indexOf(down), 1)
      order.unshift(down)
      return ev
    }
  }
  return judge(options, c, outs, storageSvcs, false)
}

/**
 * The break-even of one assumption for one deployment whose verdict at the assumed value is
 * `passesAtAssumed`.
 *
 * @example
 * await breakEven(options, { access: 2, logic: 3, storage: 0 }, false, online, run, svcs, 5)
 */
export async function breakEven(
  options: SizeOptions, c: Candidate, passesAtAssumed: boolean, a: Assumption, runner: Runner,
  storageSvcs: Set<string>, steps: number,
): Promise<BreakEven> {
  const up = passesAtAssumed ? a.worse === "up" : a.worse === "down"
  const far = up ? a.range[1] : a.range[0]
  const base = { assumption: a.id, label: a.label, assumed: a.assumed, direction: up ? "up" as const : "down" as const, passesAtAssumed, searched: [a.assumed, far] as const }
  if (a.inert !== undefined) return { ...base, outcome: "inert", note: a.inert, simulations: 0 }
  if (far === a.assumed) return { ...base, outcome: "holds", note: "the assumed value is the end of the range", simulations: 0 }
  let simulations = 0
  const order: Array<string | null> = [null, ...(options.nMinus1 ? tiersOf(c).map((t) => `${t}-1`) : [])]
  // the runs most likely to fail first: with a host down, when the deployment passes
  if (passesAtAssumed) order.reverse()
  const test = (v: number) => judgeVaried(options, c, a.variation(v), runner, storageSvcs, order, () => simulations++)

  let first = far
  let firstEv: Evaluation
  try {
    firstEv = await test(far)
  } catch (e) {
    // a base the assumption cannot be put into (not the preset, a value its schema refuses)
    if (e instanceof ScenarioInvalid) return { ...base, outcome: "inert", note: `cannot be varied here: ${e.message}`, simulations }
    throw e
  }
  let last = a.assumed
  if (firstEv.ok === passesAtAssumed && !passesAtAssumed && a.values === undefined) {
    // A failing deployment may pass in between and fail again at the far end for another reason
    // (few users online: offline pushes fill ss5's workers): look at three points on the way.
    for (const k of [1, 2, 3]) {
      const v = a.log ? a.assumed * (far / a.assumed) ** (k / 4) : a.assumed + ((far - a.assumed) * k) / 4
      const ev = await test(v)
      if (ev.ok !== passesAtAssumed) {
        first = v
        firstEv = ev
        break
      }
      last = v
    }
  }
  if (firstEv.ok === passesAtAssumed) return { ...base, outcome: "holds", simulations }
  const values = a.values
  if (values === undefined) {
    for (let i = 0; i < steps; i++) {
      const m = mid(last, first, a.log)
      const ev = await test(m)
      if (ev.ok === passesAtAssumed) last = m
      else {
        first = m
        firstEv = ev
      }
    }
  }
  return {
    ...base, outcome: "flips", last, first, simulations,
    ...(passesAtAssumed && firstEv.reason !== undefined ? { reason: firstEv.reason } : {}),
  }
}

/**
 * Every assumption's break-even for each deployment, all started together (the pool bounds the
 * concurrency).
 *
 * @example
 * await sweep(options, [{ role: "recommendation", candidate, ok: true }], assumptions, run, svcs, "quick")
 */
export async function sweep(
  options: SizeOptions,
  targets: ReadonlyArray<{ readonly role: CandidateSensitivity["role"]; readonly candidate: Candidate; readonly ok: boolean }>,
  assumptions: ReadonlyArray<Assumption>, runner: Runner, storageSvcs: Set<string>, mode: Exclude<SensitivityMode, "off">,
  onStep: (line: string) => void = () => {},
): Promise<CandidateSensitivity[]> {
  const chosen = assumptions.filter((a) => mode === "full" || a.quick)
  return Promise.all(targets.map(async (t) => ({
    role: t.role, candidate: t.candidate,
    breakEvens: await Promise.all(chosen.map(async (a) => {
      const b = await breakEven(options, t.candidate, t.ok, a, runner, storageSvcs, STEPS[mode])
      onStep(`${t.role} ${candidateKey(t.candidate)}: ${condition(b, a)}`)
      return b
    })),
  })))
}

/** The sweep's runs: in `quick` at most 5 s of warm-up and 10 s measured (a count limit shows at once; rates settle in seconds). */
export function windowFor(options: SizeOptions, mode: Exclude<SensitivityMode, "off">): { warmup: string; duration: string } {
  if (mode === "full") return { warmup: options.warmup, duration: options.duration }
  const shorter = (text: string, cap: number) => ((parseDuration(text) ?? cap) > cap ? `${cap}s` : text)
  return { warmup: shorter(options.warmup, 5), duration: shorter(options.duration, 10) }
}

/**
 * A break-even as a condition: "holds while online share ≤ 56.5% (assumed 100%)".
 *
 * @example
 * condition(be, a) // "fails unless online share ≤ 56.2% (assumed 100%)"
 */
export function condition(b: BreakEven, a: Assumption): string {
  const assumed = `assumed ${a.format(b.assumed)}`
  if (b.outcome === "inert") return `${a.label}: ${b.note} (${assumed})`
  const far = a.format(b.searched[1])
  if (b.outcome === "holds" && a.values !== undefined) {
    return `${b.passesAtAssumed ? "holds" : "fails"} with ${a.label.replace(/ \(.*\)$/, "")} ${far} too (${assumed})`
  }
  if (b.outcome === "holds") {
    return b.passesAtAssumed
      ? `holds for any ${a.label} up to ${far} searched (${assumed})`.replace("up to", b.direction === "up" ? "up to" : "down to")
      : `fails for any ${a.label} ${b.direction === "up" ? "up" : "down"} to ${far} (${assumed})`
  }
  if (a.values !== undefined) {
    return b.passesAtAssumed ? `fails with ${a.label.replace(/ \(.*\)$/, "")} ${a.format(b.first!)} (${assumed})` : `passes with ${a.label.replace(/ \(.*\)$/, "")} ${a.format(b.first!)} (${assumed})`
  }
  const cmp = b.direction === "up" ? "≤" : "≥"
  const inv = b.direction === "up" ? ">" : "<"
  const band = `${a.format(b.last!)}–${a.format(b.first!)}`
  return b.passesAtAssumed
    ? `holds while ${a.label} ${cmp} ${a.format(b.last!)}, fails by ${a.format(b.first!)} (break-even ${band}; ${assumed})`
    : `fails while ${a.label} ${b.direction === "up" ? "<" : ">"} ${a.format(b.first!)}; passes once ${a.label} ${inv === ">" ? "≥" : "≤"} ${a.format(b.first!)} (break-even ${band}; ${assumed})`
}

/** The deployments whose break-evens are sought: the recommendation, the seed's row, and in `full` the next smaller ones. */
export function targetsOf(result: SizeResult, mode: Exclude<SensitivityMode, "off">): Array<{ role: CandidateSensitivity["role"]; candidate: Candidate; ok: boolean }> {
  const out: Array<{ role: CandidateSensitivity["role"]; candidate: Candidate; ok: boolean }> = []
  const seen = new Set<string>()
  const add = (role: CandidateSensitivity["role"], ev: Evaluation | null) => {
    if (ev === null || seen.has(candidateKey(ev.candidate))) return
    seen.add(candidateKey(ev.candidate))
    out.push({ role, candidate: ev.candidate, ok: ev.ok })
  }
  add("recommendation", result.recommendation)
  add("seed", result.seed.evaluation)
  if (mode === "full") for (const m of result.minimality) add("smaller", m)
  return out
}

/**
 * The assumptions in force for `options` (its base scenario's values, else the preset's), with the
 * CPU tiers' services.
 */
export function assumptionsOf(options: SizeOptions): Assumption[] {
  const parsed: unknown = options.base === undefined ? { preset: "wecom" } : parseYaml(options.base.text, { version: "1.2" })
  const raw = isObject(parsed) ? parsed : {}
  const probe = candidateScenario(options, { access: 1, logic: 3, storage: 3 })
  const storage = storageServices(options)
  const tiers = {
    access: Object.entries(probe.services).filter(([, s]) => s.host === "access").map(([k]) => k),
    logic: Object.entries(probe.services).filter(([k, s]) => s.host !== "access" && !storage.has(k) && k !== OFFLINE_PUSH_KIND).map(([k]) => k),
    storage: [...storage],
  }
  const read = <T>(schema: { safeParse: (v: unknown) => { success: boolean; data?: T } }, v: unknown, fallback: T): T => {
    if (v === undefined) return fallback
    const r = schema.safeParse(v)
    return r.success ? (r.data as T) : fallback
  }
  const base: Record<string, unknown> = { ...raw }
  for (const k of ["onlineRatio", "activeRatio", "fileRatio", "groupRatio"]) {
    if (raw[k] !== undefined) base[k] = read(Ratio, raw[k], undefined as unknown as number)
  }
  base.onlineRatio = probe.onlineRatio ?? base.onlineRatio
  if (raw.activeRatio === undefined && probe.activeRatio !== undefined) base.activeRatio = probe.activeRatio
  return assumptionsFor(base, new Set(Object.keys(raw)), tiers, {
    ports: probe.hosts.access?.ports ?? 28_232,
    messageInterval: read(Duration, raw.messageInterval, 2),
    fileSize: read(Size, raw.fileSize, 50_000),
    vendorPushLatency: read(Duration, raw.vendorPushLatency, 0.3),
  })
}

export interface SensitivityResult {
  readonly mode: Exclude<SensitivityMode, "off">
  /** Each run's warm-up + measured window. */
  readonly window: string
  readonly assumptions: ReadonlyArray<Assumption>
  readonly candidates: ReadonlyArray<CandidateSensitivity>
  readonly simulations: number
  readonly wallS: number
}

/**
 * The sweep for a finished search: the assumptions in force and each target's break-evens.
 *
 * @example
 * const s = await sensitivityOf(options, result, run, "quick")
 */
export async function sensitivityOf(
  options: SizeOptions, result: SizeResult, runner: Runner, mode: Exclude<SensitivityMode, "off">, onStep: (line: string) => void = () => {},
): Promise<SensitivityResult> {
  const started = performance.now()
  const assumptions = assumptionsOf(options)
  const runs = { ...options, ...windowFor(options, mode) }
  const candidates = await sweep(runs, targetsOf(result, mode), assumptions, runner, storageServices(options), mode, onStep)
  const simulations = candidates.reduce((n, c) => n + c.breakEvens.reduce((m, b) => m + b.simulations, 0), 0)
  return { mode, window: runs.warmup + " + " + runs.duration, assumptions, candidates, simulations, wallS: (performance.now() - started) / 1000 }
}

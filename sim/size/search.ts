/**
 * `wwsim size`: the smallest WeCom deployment that meets its SLOs at the load of N users and, by
 * default, with any single machine down (N-1).
 *
 * N-1 by symmetry: users and requests are spread over a tier's hosts by uin hashing (or round
 * robin), so every host of a tier carries the same load and losing `<tier>-1` is as bad as losing
 * any other host of the tier. One run per tier with `<tier>-1` down for the whole run therefore
 * stands for every single-machine failure (plus one run with nothing down).
 *
 * The search:
 * 1. lower bounds: the access tier's ports (every online user's long connection must fit in
 *    `ports − PORT_RESERVE` ≈ 27,000 per surviving access host) and the mean-value analysis
 *    (no tier above 100% of CPU, NIC, disk or workers with one of its hosts down);
 * 2. from there, simulate the candidate (its runs concurrently) and, while it fails, grow the tier
 *    whose binding limit is closest to its limit in the failing runs (the logic tier grows by a
 *    storage tier when its binding limit is a disk or a storage service);
 * 3. minimality: the next smaller candidate in each tier (one access host fewer, three logic or
 *    storage hosts fewer, separate storage back to mixed) is simulated and must fail; if one
 *    passes, it becomes the answer and step 3 repeats;
 * 4. the seed's row for N (docs/model.md §1) is simulated as a candidate too, for the verdict.
 *
 * A candidate passes when every SLO holds in every run *and* every tier keeps the headroom target
 * (`headroom`, 15% by default) on its binding limit in its worst run: an answer on a cliff is not
 * an answer. Minimality never goes below the port lower bound (the seed's rule: every online user
 * holds a port), which the simulation need not meet: there a user who finds no port stays offline.
 */
import { parse as parseYaml, stringify as stringifyYaml } from "yaml"
import type { Report, SimReport } from "../report/Report.ts"
import { bindingLimits, hostUsage, type Usage } from "../report/limits.ts"
import { ScenarioInvalid } from "../scenario/errors.ts"
import { parseScenarioText } from "../scenario/load.ts"
import type { Scenario } from "../scenario/Scenario.ts"
import { evaluateSlos } from "../slo/evaluate.ts"
import type { SloResult } from "../slo/Slo.ts"
import {
  type Candidate, accessPortBound, candidateKey, compareCandidates, describeCandidate, isValidCandidate, seedRow, total,
} from "./candidates.ts"
import { type MvaResult, mva } from "./mva.ts"
import { OFFLINE_PUSH_KIND, splitPush } from "./pushSplit.ts"

/**
 * The SLOs when none are given (`--slo`) and the base scenario has none. `push` is delivery to
 * online recipients (the vendor-bound half of an offline push is `push-offline`, reported apart:
 * see pushSplit.ts); every tier's CPU stays below 80% (seed 000's environment check before an
 * upgrade), added per tier the candidate has.
 */
export const DEFAULT_SLOS: ReadonlyArray<string> = [
  "sendmsg.successRate>99.9%",
  "sendmsg.latency.p99<200ms",
  "push.latency.p99<1s",
  "login.successRate>99.9%",
]

/** The per-tier CPU ceiling of the default SLOs (seed 000, 版本升级: "CPU负载正常（80%以下）"). */
export const DEFAULT_CPU_LIMIT = "80%"

/** The default headroom target: a tier's binding limit in its worst run stays at most 85% used. */
export const DEFAULT_HEADROOM = 0.15

export interface SizeOptions {
  readonly users: number
  /** A base scenario's text and file name; its fields are kept (hosts counts, users, faults, slo are set by size). */
  readonly base?: { readonly text: string; readonly file: string }
  /** `metric<threshold` / `metric>threshold`; empty: the base's SLOs, or DEFAULT_SLOS. */
  readonly slos: ReadonlyArray<string>
  readonly nMinus1: boolean
  readonly warmup: string
  readonly duration: string
  /** No deployment above this many machines. */
  readonly maxMachines: number
  /** A tier's binding limit must leave at least this share free in every run (0: off). Default 15%. */
  readonly headroom?: number
}

/**
 * A change to the assumptions, for the sensitivity sweep: applied to the scenario data before the
 * preset expands it, and/or to the validated scenario. `key` names it in caches.
 */
export interface Variation {
  readonly key: string
  readonly data?: (data: Record<string, unknown>) => void
  readonly scenario?: (scenario: Scenario) => Scenario
}

/** Simulates a scenario (on a worker thread, or in process). */
export type Runner = (scenario: Scenario) => Promise<SimReport>

/** One simulated run of a candidate. */
export interface RunOutcome {
  /** The host down for the whole run, or null. */
  readonly down: string | null
  readonly ok: boolean
  readonly slo: ReadonlyArray<SloResult>
  /** Per tier, the resource closest to its limit (`bindingLimits`). */
  readonly limits: Readonly<Record<string, Usage>>
  /** Connects that found no free port, over all access hosts. */
  readonly portFailures: number
  /** Per tier, the busiest host's CPU use (hosts that were down are skipped). */
  readonly cpu: Readonly<Record<string, number>>
  /** Per request kind, the mean latency of ok requests, ms. */
  readonly meanMs: Readonly<Record<string, number>>
  /** Per tier and resource, the busiest live host's use (for the planning horizon). */
  readonly usage: Readonly<Record<string, Readonly<Record<string, Usage>>>>
  /** Send → vendor delivered for offline recipients, p99 ms (null: none in the window). */
  readonly offlinePushP99Ms: number | null
}

export interface Evaluation {
  readonly candidate: Candidate
  /** Every SLO held in every run and every tier kept the headroom target. */
  readonly ok: boolean
  /** Every SLO held in every run (the headroom aside). */
  readonly slosOk: boolean
  /** The tier with the least headroom in its worst run, when below the target. */
  readonly short?: TierHeadroom
  readonly runs: ReadonlyArray<RunOutcome>
  /** When it failed: the tier to grow, and why. */
  readonly failingTier?: string
  readonly reason?: string
  /** The analytic guess for the candidate with nothing down. */
  readonly mva: MvaResult
}

export interface TierHeadroom {
  readonly tier: string
  readonly usage: Usage
  readonly resource: string
  readonly host: string
  readonly use: number
  readonly headroom: number
  /** The run it is from: "normal" or "<host> down". */
  readonly run: string
}

export interface SizeResult {
  readonly users: number
  readonly headroomTarget: number
  /** Set when the search stopped at `--max-machines`: what it would have needed to go on. */
  readonly capped?: { readonly maxMachines: number; readonly next: Candidate | null }
  readonly nMinus1: boolean
  readonly slos: ReadonlyArray<string>
  readonly window: { readonly warmup: string; readonly duration: string }
  readonly bounds: { readonly accessPorts: number; readonly accessMva: number; readonly logicMva: number }
  /** Every candidate simulated by the search, in the order tried. */
  readonly steps: ReadonlyArray<Evaluation>
  readonly recommendation: Evaluation | null
  /** Per tier, the worst binding limit over the recommendation's runs and with nothing down. */
  readonly headroom: { readonly normal: ReadonlyArray<TierHeadroom>; readonly worst: ReadonlyArray<TierHeadroom> }
  /** The next smaller candidates, each of which must fail. */
  readonly minimality: ReadonlyArray<Evaluation>
  /** Smaller neighbours not tried because they are below the port lower bound. */
  readonly belowBound: ReadonlyArray<Candidate>
  readonly seed: { readonly row: Candidate | null; readonly evaluation: Evaluation | null; readonly verdict: string }
  readonly runs: number
}

const SLO_TEXT = /^\s*([A-Za-z0-9_.-]+)\s*(<=?|>=?)\s*(.+?)\s*$/

/**
 * `sendmsg.latency.p99<200ms` as a scenario's `slo:` entry.
 *
 * @example
 * parseSloFlag("sendmsg.successRate>99.9%") // { metric: "sendmsg.successRate", above: "99.9%" }
 */
export function parseSloFlag(text: string): { metric: string; below?: string | number; above?: string | number } {
  const m = SLO_TEXT.exec(text)
  if (m === null) {
    throw new ScenarioInvalid({ file: "--slo", path: "", message: `expected metric<threshold or metric>threshold, like 'sendmsg.latency.p99<200ms', got ${JSON.stringify(text)}` })
  }
  const value = /^-?\d+(\.\d+)?$/.test(m[3]) ? Number(m[3]) : m[3]
  return m[2].startsWith("<") ? { metric: m[1], below: value } : { metric: m[1], above: value }
}

type Data = Record<string, unknown>
const isObject = (v: unknown): v is Data => typeof v === "object" && v !== null && !Array.isArray(v)

/** The default SLOs for a deployment with these tiers. */
const defaultSlos = (tiers: ReadonlyArray<string>): string[] => [...DEFAULT_SLOS, ...tiers.map((t) => `${t}.cpu<${DEFAULT_CPU_LIMIT}`)]

/** The SLO texts in force: `--slo`, else the base scenario's, else the defaults (CPU per tier of `tiers`). */
function sloEntries(options: SizeOptions, base: Data, tiers: ReadonlyArray<string>): { entries: unknown[]; texts: string[] } {
  if (options.slos.length > 0) return { entries: options.slos.map(parseSloFlag), texts: [...options.slos] }
  if (Array.isArray(base.slo) && base.slo.length > 0) {
    const texts = base.slo.map((s) => isObject(s) ? `${s.metric}${s.below !== undefined ? `<${s.below}` : `>${s.above}`}` : String(s))
    return { entries: base.slo, texts }
  }
  const texts = defaultSlos(tiers)
  return { entries: texts.map(parseSloFlag), texts }
}

/**
 * The scenario of one candidate, from the base (or a bare `preset: wecom`), at `users`, with
 * `down` (a host instance) down for the whole run. Throws `ScenarioInvalid` on bad input.
 *
 * @example
 * candidateScenario(options, { access: 2, logic: 3, storage: 0 }, "access-1")
 */
export function candidateScenario(options: SizeOptions, c: Candidate, down: string | null = null, variation?: Variation): Scenario {
  const file = options.base?.file ?? "(size)"
  const parsed: unknown = options.base === undefined ? { preset: "wecom" } : parseYaml(options.base.text, { version: "1.2" })
  if (!isObject(parsed)) throw new ScenarioInvalid({ file, path: "", message: "expected a mapping of scenario fields" })
  const data: Data = { ...parsed }
  const hosts: Data = isObject(data.hosts) ? { ...data.hosts } : {}
  const setCount = (cls: string, n: number) => { hosts[cls] = { ...(isObject(hosts[cls]) ? hosts[cls] : {}), count: n } }
  setCount("access", c.access)
  setCount("logic", c.logic)
  if (c.storage > 0) setCount("storage", c.storage)
  else delete hosts.storage
  data.hosts = hosts
  data.name = `size-${c.access}-${c.logic}-${c.storage}${down === null ? "" : `-${down}-down`}`
  data.users = options.users
  data.warmup = options.warmup
  data.duration = options.duration
  data.faults = down === null ? [] : [{ at: "0s", action: "host-down", target: down }]
  // N-1 asks whether the survivors carry the load: the host is gone as one that refuses at once,
  // not a silent one whose connect timeouts (a drill's transient, README "Model corrections") would
  // decide the answer. A base scenario that sets its own connect timeout keeps it.
  if (down !== null && data.connectTimeout === undefined) data.connectTimeout = "0s"
  data.slo = sloEntries(options, parsed, tiersOf(c)).entries
  delete data.series
  variation?.data?.(data)
  const scenario = parseScenarioText(stringifyYaml(splitPush(data)), file)
  return variation?.scenario === undefined ? scenario : variation.scenario(scenario)
}

/** The SLO texts a size run checks (the CPU defaults for the tiers of `c`, mixed when absent). */
export const sloTexts = (options: SizeOptions, c: Candidate = { access: 1, logic: 3, storage: 0 }): string[] => {
  const parsed: unknown = options.base === undefined ? {} : parseYaml(options.base.text, { version: "1.2" })
  return sloEntries(options, isObject(parsed) ? parsed : {}, tiersOf(c)).texts
}

export const tiersOf = (c: Candidate): string[] => ["access", "logic", ...(c.storage > 0 ? ["storage"] : [])]

/** Services that a separate storage tier would hold (xkv, pkv, file in the preset). */
export function storageServices(options: SizeOptions): Set<string> {
  const s = candidateScenario(options, { access: 1, logic: 3, storage: 3 })
  return new Set(Object.entries(s.services).filter(([, v]) => v.host === "storage").map(([k]) => k))
}

export function outcome(scenario: Scenario, report: SimReport, down: string | null): RunOutcome {
  const slo = evaluateSlos(report, scenario.slo ?? [])
  const limits = Object.fromEntries(bindingLimits(report as Report))
  let portFailures = 0
  const cpu: Record<string, number> = {}
  const usage: Record<string, Record<string, Usage>> = {}
  for (const [name, h] of Object.entries(report.hosts)) {
    portFailures += h.portsInUse?.failures ?? 0
    if (name === down) continue
    cpu[h.class] = Math.max(cpu[h.class] ?? 0, h.cpuUtil)
    const tier = (usage[h.class] ??= {})
    for (const u of hostUsage(name, h)) if (tier[u.resource] === undefined || u.fraction > tier[u.resource].fraction) tier[u.resource] = u
  }
  const offline = report.requests[OFFLINE_PUSH_KIND]
  const offlinePushP99Ms = offline !== undefined && offline.ok > 0 ? offline.latencyMs.p99 : null
  const meanMs = Object.fromEntries(Object.entries(report.requests).filter(([, k]) => k.ok > 0).map(([k, v]) => [k, v.latencyMs.mean]))
  // A kind with no request at all in the window (logins at 200 users over 30 s) has nothing to
  // measure: not a breach for sizing, and its result says so.
  const idle = (r: SloResult) => r.value === null && report.requests[r.metric.split(".")[0]]?.issued === 0
  const checked = slo.map((r) => (idle(r) ? { ...r, ok: true, note: "no requests of this kind in the window; not counted" } : r))
  return { down, ok: checked.every((r) => r.ok), slo: checked, limits, portFailures, cpu, meanMs, usage, offlinePushP99Ms }
}

const where = (r: RunOutcome) => (r.down === null ? "with nothing down" : `with ${r.down} down`)

/** "sendmsg.successRate 58.00% (SLO > 99.9%)": a failed SLO with its value and its limit. */
export function describeSlo(r: SloResult): string {
  return `${r.metric} ${formatMeasured(r)} (SLO ${r.op === "below" ? "<" : ">"} ${formatValue(r.threshold, r.unit)})`
}

/** The tier whose binding limit is closest to its limit in `run` (the down host's own figures skipped). */
function closest(run: RunOutcome): { tier: string; usage: Usage } | undefined {
  let best: { tier: string; usage: Usage } | undefined
  for (const [tier, usage] of Object.entries(run.limits)) {
    if (best === undefined || usage.fraction > best.usage.fraction) best = { tier, usage }
  }
  return best
}

/**
 * The tier to grow after a failing evaluation, and why: the SLOs that failed (value and limit) in
 * the first failing run and the resource closest to its limit there; or, when every SLO held, the
 * tier whose worst run leaves less than the headroom target.
 */
function diagnose(
  c: Candidate, runs: ReadonlyArray<RunOutcome>, storageSvcs: Set<string>, short: TierHeadroom | undefined, target: number,
): { tier: string; reason: string } {
  const failed = runs.filter((r) => !r.ok)
  const toStorage = (tier: string, u: Usage) =>
    tier === "logic" && c.storage === 0 && (u.resource.startsWith("disk") || (u.detail !== undefined && storageSvcs.has(u.detail))) ? "storage" : tier
  if (failed.length === 0 && short !== undefined) {
    const u: Usage = { host: short.host, resource: short.usage.resource, fraction: short.use, detail: short.usage.detail }
    return {
      tier: toStorage(short.tier, u),
      reason: `meets the SLOs, but with ${short.run === "normal" ? "nothing" : short.run.replace(/ down$/, "")} down ${short.resource} reach ${pct(short.use)} on ${short.host}, above the ${pct(1 - target)} the headroom target (--headroom ${pct(target)}) allows`,
    }
  }
  const slos = (r: RunOutcome) => r.slo.filter((x) => !x.ok).map(describeSlo).join(", ")
  for (const r of failed) {
    if (r.down === "access-1" && c.access === 1) return { tier: "access", reason: `${where(r)}: no access host left (${slos(r)})` }
    if (r.portFailures > 0) {
      const ports = r.limits.access
      return { tier: "access", reason: `${where(r)}: ${slos(r)}; ${r.portFailures} connects found no free port${ports === undefined ? "" : ` (${describeUsage(ports)} on ${ports.host})`}` }
    }
  }
  let best: { tier: string; usage: Usage; run: RunOutcome } | undefined
  for (const r of failed) {
    const b = closest(r)
    if (b !== undefined && (best === undefined || b.usage.fraction > best.usage.fraction)) best = { ...b, run: r }
  }
  if (best === undefined) return { tier: "logic", reason: `${failed.map((r) => `${where(r)}: ${slos(r)}`).join("; ")}; no binding limit found` }
  return { tier: toStorage(best.tier, best.usage), reason: `${where(best.run)}: ${slos(best.run)}; closest limit: ${describeUsage(best.usage)} on ${best.usage.host}` }
}

/** "cores 97%", "ports 100%", "queueing (wwllogic workers) 100%". */
export function describeUsage(u: Usage): string {
  return `${limitName(u)} ${(u.fraction * 100).toFixed(0)}%`
}

/** The binding limit in the words of the issue: ports, cores, NIC, disk, queueing. */
export function limitName(u: Usage): string {
  switch (u.resource) {
    case "cpu": return "cores"
    case "nic in": return "NIC in"
    case "nic out": return "NIC out"
    case "ports": return "ports"
    case "disk write": return "disk write"
    case "disk read": return "disk read"
    case "workers": return `queueing (${u.detail ?? "service"} workers)`
  }
}

function grow(c: Candidate, tier: string): Candidate {
  if (tier === "access") return { ...c, access: c.access + 1 }
  if (tier === "storage") return { ...c, storage: c.storage + 3 }
  return { ...c, logic: c.logic + 3 }
}

/** The next smaller candidate in each tier. */
export function smallerNeighbours(c: Candidate): Candidate[] {
  const out: Candidate[] = [
    { ...c, access: c.access - 1 },
    { ...c, logic: c.logic - 3 },
    { ...c, storage: c.storage - 3 },
  ]
  return out.filter(isValidCandidate)
}

/** The worst use per tier over some runs (the down host's own figures are skipped). */
function headroom(runs: ReadonlyArray<RunOutcome>): TierHeadroom[] {
  const byTier = new Map<string, TierHeadroom>()
  for (const r of runs) {
    for (const [tier, u] of Object.entries(r.limits)) {
      const prev = byTier.get(tier)
      if (prev === undefined || u.fraction > prev.use) {
        byTier.set(tier, {
          tier, usage: u, resource: limitName(u), host: u.host, use: u.fraction, headroom: 1 - u.fraction,
          run: r.down === null ? "normal" : `${r.down} down`,
        })
      }
    }
  }
  return [...byTier.values()]
}

/**
 * A candidate's verdict from its runs: it passes when every SLO held in every run and every tier
 * keeps the headroom target in its worst run; otherwise the tier to grow and why.
 */
export function judge(options: SizeOptions, c: Candidate, outs: ReadonlyArray<RunOutcome>, storageSvcs: Set<string>, withMva = true): Evaluation {
  const target = options.headroom ?? DEFAULT_HEADROOM
  const slosOk = outs.every((o) => o.ok)
  const worst = headroom(outs).sort((a, b) => b.use - a.use)[0]
  const short = worst !== undefined && worst.use > 1 - target ? worst : undefined
  const ok = slosOk && short === undefined
  const base: Evaluation = {
    candidate: c, ok, slosOk, ...(short === undefined ? {} : { short }), runs: outs,
    mva: withMva ? mva(candidateScenario(options, c)) : { services: {}, hosts: {}, kinds: {} },
  }
  const d = ok ? undefined : diagnose(c, outs, storageSvcs, short, target)
  return d === undefined ? base : { ...base, failingTier: d.tier, reason: d.reason }
}

/**
 * Finds the smallest deployment for `options.users` (see the module comment). `runner`
 * simulates a scenario; the runs of a candidate (and the minimality checks) are started together,
 * so a pool runs them concurrently. `onStep` reports progress.
 *
 * @example
 * const result = await sizeDeployment({ users: 20_000, slos: [], nMinus1: true, warmup: "10s", duration: "30s", maxMachines: 60 }, run)
 */
export async function sizeDeployment(
  options: SizeOptions,
  runner: Runner,
  onStep: (line: string) => void = () => {},
): Promise<SizeResult> {
  const storageSvcs = storageServices(options)
  const target = options.headroom ?? DEFAULT_HEADROOM
  const cache = new Map<string, Promise<Evaluation>>()
  let runs = 0
  const evaluate = (c: Candidate): Promise<Evaluation> => {
    const key = candidateKey(c)
    const cached = cache.get(key)
    if (cached !== undefined) return cached
    const downs: Array<string | null> = [null, ...(options.nMinus1 ? tiersOf(c).map((t) => `${t}-1`) : [])]
    const promise = Promise.all(downs.map(async (down) => {
      const scenario = candidateScenario(options, c, down)
      runs++
      return outcome(scenario, await runner(scenario), down)
    })).then((outs): Evaluation => {
      const ev = judge(options, c, outs, storageSvcs)
      const ok = ev.ok
      onStep(`${describeCandidate(c)}: ${ok ? "passes" : `fails (${ev.reason})`}`)
      return ev
    })
    cache.set(key, promise)
    return promise
  }

  // 1. Lower bounds.
  const probe = candidateScenario(options, { access: 1, logic: 3, storage: 0 })
  // Per destination, the upstreams are the probe's wwlconn hosts (the smallest logic tier): a bound that holds for more.
  const via = probe.longConnections?.via == null ? undefined : probe.services[probe.longConnections.via]
  const destinations = probe.hosts.access?.portsPer === "destination" && via !== undefined ? (probe.hosts[via.host]?.count ?? 1) : 1
  const accessPorts = accessPortBound(options.users, probe.onlineRatio ?? 1, probe.hosts.access?.ports, options.nMinus1, target, probe.connectionsPerUser ?? 1, destinations)
  const fits = (c: Candidate, tier: string) => {
    const m = mva(candidateScenario(options, c), options.nMinus1 ? { down: tier } : {})
    return m.hosts[tier] !== undefined && m.hosts[tier].up > 0 && m.hosts[tier].binding.fraction < 1
  }
  // The logic bound first: nginx's workers wait on the logic tier, so an access bound taken beside
  // a saturated logic tier (3 hosts at 250,000 users) is infinite at any access count. The logic
  // tier's own limits do not depend on the access count; a second pass settles both.
  let accessMva = 1
  let logicMva = 3
  for (let pass = 0; pass < 2; pass++) {
    while (logicMva < options.maxMachines && !fits({ access: Math.max(accessPorts, accessMva), logic: logicMva, storage: 0 }, "logic")) logicMva += 3
    while (accessMva < options.maxMachines && !fits({ access: accessMva, logic: logicMva, storage: 0 }, "access")) accessMva++
  }
  const bounds = { accessPorts, accessMva, logicMva }
  onStep(`lower bounds: access ≥ ${accessPorts} (ports), ≥ ${accessMva} (MVA); logic ≥ ${logicMva} (MVA)`)

  // 2. Grow from the lower bound until a candidate passes.
  const seed = seedRow(options.users)
  const seedEval = seed === null ? null : evaluate(seed) // started now: runs beside the search
  const steps: Evaluation[] = []
  let current: Candidate = { access: Math.max(accessPorts, accessMva), logic: logicMva, storage: 0 }
  let found: Evaluation | null = null
  let capped: SizeResult["capped"]
  if (total(current) > options.maxMachines) capped = { maxMachines: options.maxMachines, next: current }
  while (total(current) <= options.maxMachines) {
    const ev = await evaluate(current)
    steps.push(ev)
    if (ev.ok) {
      found = ev
      break
    }
    current = grow(current, ev.failingTier ?? "logic")
    if (total(current) > options.maxMachines) capped = { maxMachines: options.maxMachines, next: current }
  }

  // 3. Minimality.
  const minimality: Evaluation[] = []
  const belowBound: Candidate[] = []
  while (found !== null) {
    // Below the port bound the simulation may pass (users without a port only go offline), the seed's rule does not.
    const all = smallerNeighbours(found.candidate)
    belowBound.splice(0, belowBound.length, ...all.filter((n) => n.access < accessPorts))
    const neighbours = all.filter((n) => n.access >= accessPorts)
    const evs = await Promise.all(neighbours.map(evaluate))
    minimality.splice(0, minimality.length, ...evs)
    const better = evs.filter((e) => e.ok).sort((a, b) => compareCandidates(a.candidate, b.candidate))[0]
    if (better === undefined) break
    steps.push(better)
    found = better
  }

  const seedEvaluation = seedEval === null ? null : await seedEval
  return {
    users: options.users, headroomTarget: target, ...(capped === undefined ? {} : { capped }), belowBound,
    nMinus1: options.nMinus1, slos: sloTexts(options, found?.candidate),
    window: { warmup: options.warmup, duration: options.duration },
    bounds, steps, recommendation: found,
    headroom: found === null
      ? { normal: [], worst: [] }
      : { normal: headroom(found.runs.filter((r) => r.down === null)), worst: headroom(found.runs) },
    minimality,
    seed: { row: seed, evaluation: seedEvaluation, verdict: verdict(seed, seedEvaluation, found) },
    runs,
  }
}

function failures(ev: Evaluation): string {
  if (ev.slosOk) return ev.reason ?? "below the headroom target"
  return ev.runs.filter((r) => !r.ok).map((r) => `${where(r)}: ${r.slo.filter((s) => !s.ok).map(describeSlo).join(", ")}`).join("; ")
}

const formatValue = (v: number, unit: SloResult["unit"]): string =>
  unit === "ratio" ? `${+(v * 100).toFixed(2)}%` : unit === "ms" ? `${+v.toFixed(0)} ms` : unit === "count" ? `${+v.toFixed(0)}` : `${+v.toFixed(2)} ${unit}`

const formatMeasured = (r: SloResult): string => (r.value === null ? "no data" : formatValue(r.value, r.unit))

const pct = (x: number): string => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`

function verdict(seed: Candidate | null, ev: Evaluation | null, found: Evaluation | null): string {
  if (seed === null || ev === null) return "the seed's table has no row above 100,000 users"
  const row = describeCandidate(seed).replace(" + 1 logic/storage mixed", " + 1 all-in-one test host")
  if (!ev.ok) return `the seed's row (${row}) fails: ${failures(ev)}`
  if (found === null) return `the seed's row (${row}) passes, but the search found nothing within its cap`
  const diff = total(seed) - total(found.candidate)
  if (candidateKey(seed) === candidateKey(found.candidate)) return `agrees: the seed's row (${row}) is the smallest that passes`
  if (diff > 0) return `the seed's row (${row}) passes but uses ${diff} machine${diff === 1 ? "" : "s"} more than needed`
  if (diff < 0) return `the seed's row (${row}) passes with ${-diff} fewer machine${diff === -1 ? "" : "s"} (a shape outside the search)`
  return `the seed's row (${row}) passes too, with the same number of machines in another shape`
}

/**
 * What a run will cost, estimated from the scenario before it runs, so a scenario that cannot
 * finish (rates × duration × calls per request beyond any machine) or whose report cannot be
 * written is refused up front with exit 2, instead of running for days or dying at the end.
 *
 * The estimate counts the engine's events: every candidate arrival (a faulted kind draws at its
 * peak rate and thins), then per request its arrival and delivery and about four events per call
 * (arrive, CPU done, disk or external done, reply), for the calls its tree makes and the requests
 * its spawns start. Retries and timeouts add to it under failures; the budget is far above what
 * any deployment we model needs (wecom-100k: ~10^8 events for 5 minutes).
 */
import type { CallSpec, Dist, Scenario } from "../scenario/Scenario.ts"
import { seriesStep } from "../scenario/seriesStep.ts"
import { DAILY_PEAK } from "../faults/daily.ts"

/** Default `--max-events`: at the engine's ~3 million events per second, about nine hours. */
export const DEFAULT_MAX_EVENTS = 1e11

/**
 * Most bytes a report.json may have: its text must fit one JavaScript string (~512 MB in V8), and
 * `wwsim report` must read it and inline it into one HTML page.
 */
export const MAX_REPORT_BYTES = 200_000_000

/** Engine events per call of a call tree: arrive, CPU done, disk/external done, reply. */
const EVENTS_PER_CALL = 4
/** Per request: its arrival, and its delivery when it waits for a poll. */
const EVENTS_PER_REQUEST = 2
/** Bytes of one number in a series array of the pretty-printed report ("            123.456,\n"). */
const BYTES_PER_POINT = 24
/** Bytes of the per-host, per-instance, per-kind and per-service tables outside the series. */
const BYTES_PER_ENTITY = 1500

const mean = (d: Dist): number => {
  switch (d.kind) {
    case "const": return d.value
    case "exp": return d.mean
    case "uniform": return (d.min + d.max) / 2
    case "lognormal": return d.mean
  }
}

/** Simulated seconds the engine runs (twice with `warmup: auto`: a pilot run first). */
const simulatedS = (s: Scenario): number => (s.warmup + s.duration) * (s.warmupAuto === true ? 2 : 1)

/**
 * Requests of each kind that arrive by themselves (not spawned), and the candidate arrivals the
 * engine draws for them: at the kind's peak rate over the whole run when a fault changes its rate.
 */
function arrivals(s: Scenario, kind: string, rate: number): { readonly accepted: number; readonly candidates: number } {
  const end = s.warmup + s.duration
  const t = simulatedS(s)
  let accepted = rate * t
  let peakFactor = 1
  let storms = 0
  for (const f of s.faults) {
    if (f.target.length > 0 && !f.target.includes(kind)) continue
    const window = Math.max(0, Math.min(end, f.for === null ? end : f.at + f.for) - f.at)
    if (f.action === "load") {
      const factor = f.factor ?? 1
      peakFactor *= Math.max(1, factor)
      accepted += Math.max(0, factor - 1) * rate * window
    } else if (f.action === "replay") {
      const factor = f.profile === "daily" ? DAILY_PEAK : Math.max(1, ...(f.trace ?? []).map((x) => x.factor))
      peakFactor *= factor
      accepted += (factor - 1) * rate * window
    } else if (f.action === "login-storm" && f.for !== null && f.for > 0) {
      const users = f.users ?? 0
      accepted += users
      storms += users / f.for
    }
  }
  const faulted = peakFactor > 1 || storms > 0
  return { accepted, candidates: faulted ? (rate * peakFactor + storms) * t : rate * t }
}

/**
 * Expected engine events of one request of each kind, spawned requests included. Spawns may feed
 * back (a kind spawning itself): the fixed point is found by iteration, and a tree that keeps
 * growing (each request starting more than one of its own) is `Infinity`.
 */
function eventsPerRequest(s: Scenario): ReadonlyMap<string, number> {
  const online = s.onlineRatio ?? 1
  const share = (c: CallSpec) => (c.when === "online" ? online : c.when === "offline" ? 1 - online : 1)
  const roots = new Map(Object.entries(s.workload).map(([k, w]) => [k, w.call ?? null]))
  let per = new Map([...roots.keys()].map((k) => [k, 0]))
  const callEvents = (c: CallSpec, prev: ReadonlyMap<string, number>): number => {
    let n = EVENTS_PER_CALL
    for (const child of c.calls) n += share(child) * callEvents(child, prev)
    for (const sp of c.spawn) n += sp.probability * mean(sp.count) * (prev.get(sp.kind) ?? 0)
    return n
  }
  for (let i = 0; i < 200; i++) {
    const next = new Map([...roots].map(([k, root]) =>
      [k, EVENTS_PER_REQUEST + (root === null ? EVENTS_PER_CALL : callEvents(root, per))]))
    const converged = [...next].every(([k, v]) => Math.abs(v - (per.get(k) ?? 0)) <= 1e-9 * v)
    per = next
    if (converged) return per
  }
  return new Map([...per.keys()].map((k) => [k, Infinity]))
}

/**
 * The events a run of `s` needs, about.
 *
 * @example
 * estimateEvents(mm1) // 2 × 700/s × 3600 s × (2 + 4) ≈ 1.5e7 … the order of magnitude is what counts
 */
export function estimateEvents(s: Scenario): number {
  const per = eventsPerRequest(s)
  let events = 0
  for (const [kind, w] of Object.entries(s.workload)) {
    const { accepted, candidates } = arrivals(s, kind, w.rate)
    events += candidates + accepted * (per.get(kind) ?? 0)
  }
  return events
}

/**
 * The size of the run's report.json, about: the series (one number per point, per series) and
 * the tables per host, instance, service and kind.
 *
 * @example
 * estimateReportBytes(wecom20k) // ~1.5e6 for 150 s
 */
export function estimateReportBytes(s: Scenario): number {
  const points = Math.ceil((s.warmup + s.duration) / seriesStep(s.warmup + s.duration, s.seriesStep)) + 1
  const hosts = Object.values(s.hosts).reduce((n, h) => n + h.count, 0)
  const instances = Object.values(s.services).reduce((n, svc) => n + (s.hosts[svc.host]?.count ?? 0), 0)
  const services = Object.keys(s.services).length
  const kinds = Object.keys(s.workload).length
  // t; per kind 6 series; per service 3 and one per instance; per host 6; 2 resilience
  const series = 1 + 6 * kinds + 3 * services + instances + 6 * hosts + 2
  return points * series * BYTES_PER_POINT + (hosts + instances + services + kinds) * BYTES_PER_ENTITY
}

const sci = (x: number): string => (x === Infinity ? "unbounded" : x.toExponential(0).replace("e+", "e"))
const megabytes = (bytes: number): string => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${Math.round(bytes / 1e6)} MB`)

/**
 * Why `s` cannot run within the budgets, as one message, or `undefined` when it can.
 *
 * @example
 * runBudgetProblem(scenario, 1e11)
 * // "about 4e13 events, over the budget of 1e11: shorten duration or lower rates, or pass --max-events"
 */
export function runBudgetProblem(s: Scenario, maxEvents: number): string | undefined {
  const events = estimateEvents(s)
  if (!(events <= maxEvents)) {
    const why = events === Infinity ? " (spawns feed back: each request starts more than one of its own kind)" : ""
    return `about ${sci(events)} events${why}, over the budget of ${sci(maxEvents)}: shorten duration or lower rates, or pass --max-events`
  }
  const bytes = estimateReportBytes(s)
  if (bytes > MAX_REPORT_BYTES) {
    const totalS = s.warmup + s.duration
    const perPoint = bytes / Math.ceil(totalS / seriesStep(totalS, s.seriesStep))
    const step = Math.ceil((totalS * perPoint) / (MAX_REPORT_BYTES * 0.9))
    return `its report would have about ${megabytes(bytes)}, over the ${megabytes(MAX_REPORT_BYTES)} a report may have: ` +
      `set \`series.step\` to ${step}s or more, or model fewer hosts`
  }
  return undefined
}

/**
 * What `wwsim size` prints: the recommendation, its evidence (per tier the binding limit and the
 * headroom left), the analytic (MVA) figures beside the simulated ones, the minimality checks and
 * the seed table's answer with a verdict. `sizeJson` is the same as data for `--json`.
 */
import { describeCandidate, total } from "./candidates.ts"
import type { MvaResult } from "./mva.ts"
import type { Evaluation, SizeResult } from "./search.ts"
import type { HorizonResult } from "./horizon.ts"
import { type CandidateSensitivity, type SensitivityResult, condition } from "./sensitivity.ts"

const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%` : "∞")
const ms = (s: number): string => (Number.isFinite(s) ? `${(s * 1000).toFixed(s < 0.01 ? 2 : 1)} ms` : "∞")

function mvaTierLines(m: MvaResult, sim: Evaluation | null): string[] {
  const normal = sim?.runs.find((r) => r.down === null)
  const lines = ["  tier      MVA cpu  sim cpu  MVA NIC in/out (Mbps/host)  MVA binding                   CPU queue wait"]
  for (const h of Object.values(m.hosts)) {
    const simCpu = normal?.cpu[h.name]
    const b = h.binding
    const binding = `${b.resource === "workers" ? `queueing (${b.detail} workers)` : b.resource === "cpu" ? "cores" : b.resource} ${pct(b.fraction)}`
    lines.push(`  ${h.name.padEnd(9)} ${pct(h.cpuUtil).padStart(7)}  ${(simCpu === undefined ? "—" : pct(simCpu)).padStart(7)}  ${`${h.nicInMbps.toFixed(0)} / ${h.nicOutMbps.toFixed(0)}`.padStart(26)}  ${binding.padEnd(28)}  ${ms(h.cpuWaitS)}`)
  }
  return lines
}

/**
 * The text summary.
 *
 * @example
 * console.log(renderSize(result, wallS))
 */
export function renderSize(r: SizeResult, wallS: number): string {
  const out: string[] = []
  const n1 = r.nMinus1 ? "with any single machine down (N-1)" : "with every machine up (--no-n-1)"
  out.push(`wwsim size: ${r.users.toLocaleString("en-US")} users, ${n1}`)
  out.push(`SLOs: ${r.slos.join(", ")}`)
  out.push(`each run: warm-up ${r.window.warmup} + ${r.window.duration}; headroom target ${pct(r.headroomTarget)}: a tier's binding limit may reach at most ${pct(1 - r.headroomTarget)} in any run (--headroom)`)
  out.push("")
  const rec = r.recommendation
  if (rec === null) {
    out.push(noAnswer(r))
  } else {
    out.push(`recommendation: ${describeCandidate(rec.candidate)} (${total(rec.candidate)} machines)`)
    out.push("")
    out.push("per tier, the binding limit and the headroom left (1 − use):")
    out.push("  tier      nothing down                               worst run")
    for (const w of r.headroom.worst) {
      const n = r.headroom.normal.find((x) => x.tier === w.tier)
      const normal = n === undefined ? "—" : `${n.resource} ${pct(n.use)} on ${n.host}, headroom ${pct(n.headroom)}`
      out.push(`  ${w.tier.padEnd(9)} ${normal.padEnd(42)} ${w.resource} ${pct(w.use)} on ${w.host} (${w.run}), headroom ${pct(w.headroom)}`)
    }
  }
  out.push("")
  out.push("search (lower bounds: access ≥ " + `${Math.max(r.bounds.accessPorts, r.bounds.accessMva)} from ports ${r.bounds.accessPorts} and MVA ${r.bounds.accessMva}; logic ≥ ${r.bounds.logicMva} from MVA):`)
  for (const s of r.steps) out.push(`  ${describeCandidate(s.candidate).padEnd(40)} ${s.ok ? "passes" : `fails — ${s.reason}`}`)
  if (r.minimality.length > 0) {
    out.push("minimality, the next smaller candidate in each tier:")
    for (const s of r.minimality) out.push(`  ${describeCandidate(s.candidate).padEnd(40)} ${s.ok ? "passes" : `fails — ${s.reason}`}`)
  } else if (rec !== null && r.belowBound.length === 0) {
    out.push("minimality: no smaller candidate in any tier (1 access, 3 mixed is the floor)")
  }
  for (const c of r.belowBound) {
    out.push(`  ${describeCandidate(c).padEnd(40)} not tried: below the port lower bound (access ≥ ${r.bounds.accessPorts}: ${PORT_RULE})`)
  }
  out.push("")
  out.push(`analytic first guess (mean-value analysis, open network) for the recommendation, beside the simulation with nothing down:`)
  const m = rec?.mva ?? r.steps[r.steps.length - 1]?.mva
  if (m !== undefined) {
    out.push(...mvaTierLines(m, rec))
    const kinds = Object.values(m.kinds).filter((k) => k.rate > 0)
    const normal = rec?.runs.find((x) => x.down === null)
    out.push(`  mean response (MVA vs simulated): ${kinds.map((k) => `${k.name} ${ms(k.responseS)} vs ${normal?.meanMs?.[k.name] === undefined ? "—" : `${normal.meanMs[k.name].toFixed(1)} ms`}`).join(", ")}`)
  }
  out.push("")
  const row = r.seed.row
  out.push(`seed table (seed 000, docs/model.md) for ${r.users.toLocaleString("en-US")} users: ${row === null ? "no row" : describeCandidate(row).replace(" + 1 logic/storage mixed", " + 1 test host")}`)
  out.push(`verdict: ${r.seed.verdict}`)
  const offline = rec?.runs.map((x) => x.offlinePushP99Ms).filter((x): x is number => x !== null) ?? []
  if (offline.length > 0) {
    out.push(`offline recipients (not an SLO: bounded by the assumed vendor push latency): send → vendor delivered p99 up to ${Math.max(...offline).toFixed(0)} ms`)
  }
  out.push("")
  out.push(`${r.runs} simulations in ${wallS.toFixed(1)} s`)
  out.push("")
  out.push(...footer(r).map((l) => `note: ${l}`))
  return out.join("\n")
}

const PORT_RULE = "every online user's long connection in the ports of the surviving access hosts, less the seed's reserve (28,232 → about 27,000) or the headroom target, whichever keeps more free; in the simulation a user who finds no port only loses the long connection (pushes go the vendor way), so it can pass below it"

/** Why there is no answer, and what to change. */
function noAnswer(r: SizeResult): string {
  if (r.capped !== undefined) {
    const next = r.capped.next === null ? "" : `; the search would try ${describeCandidate(r.capped.next)} (${total(r.capped.next)} machines) next`
    return `recommendation: none within --max-machines ${r.capped.maxMachines}${next}. Raise the cap with --max-machines N.`
  }
  return "recommendation: none found"
}

/** How N-1 is simulated and how that differs from a drill, stated under every answer. */
export function footer(r: SizeResult): string[] {
  const lines: string[] = []
  if (r.nMinus1) {
    lines.push(
      "N-1 here means a host is down for the whole run (from 0 s): one run per tier with <tier>-1 down, plus one with nothing down. " +
      "The host refuses connections at once (connectTimeout 0s): this is the survivors' capacity, not the connect timeouts a silent host costs callers until they shield it (the drills show that). " +
      "By symmetry of uin hashing any host of a tier stands for all. Users of a host that is down start on the survivors, so their long " +
      "connections take the survivors' ports before any request arrives. A mid-run drill (scenarios/drills/access-host-down.yaml) fails the " +
      "host while requests are in flight and moves its users over time: it shows a dip and a recovery, where this shows the steady state after the failure.",
    )
    lines.push(
      "A host down elsewhere can raise the access tier's ports: a request holds an access port while it is in flight, and slower or retried " +
      "requests stay in flight longer.",
    )
  }
  lines.push(`the headroom target (--headroom ${pct(r.headroomTarget)}) is a margin on measured runs of ${r.window.duration}; a candidate above it does not pass even when every SLO holds.`)
  return lines
}

/** The result as plain data for `--json`. */
export function sizeJson(r: SizeResult, wallS: number): unknown {
  const ev = (e: Evaluation) => ({
    candidate: e.candidate, machines: total(e.candidate), description: describeCandidate(e.candidate), ok: e.ok, slosOk: e.slosOk,
    ...(e.reason === undefined ? {} : { failingTier: e.failingTier, reason: e.reason }),
    runs: e.runs.map((x) => ({ down: x.down, ok: x.ok, slo: x.slo, limits: x.limits, portFailures: x.portFailures, offlinePushP99Ms: x.offlinePushP99Ms })),
  })
  return {
    users: r.users, headroomTarget: r.headroomTarget, capped: r.capped ?? null, belowBound: r.belowBound,
    nMinus1: r.nMinus1, slos: r.slos, window: r.window, bounds: r.bounds,
    recommendation: r.recommendation === null ? null : ev(r.recommendation),
    headroom: r.headroom,
    mva: r.recommendation?.mva ?? null,
    steps: r.steps.map(ev),
    minimality: r.minimality.map(ev),
    seed: { row: r.seed.row, verdict: r.seed.verdict, evaluation: r.seed.evaluation === null ? null : ev(r.seed.evaluation) },
    runs: r.runs, wallS,
  }
}

const ROLE: Record<CandidateSensitivity["role"], string> = {
  recommendation: "the recommendation",
  seed: "the seed's row",
  smaller: "the next smaller",
}

/**
 * The assumptions in force and, per deployment, the value at which each flips its verdict.
 *
 * @example
 * console.log(renderSensitivity(result.sensitivity))
 */
export function renderSensitivity(s: SensitivityResult): string {
  const out: string[] = []
  out.push(`assumptions in force (sensitivity ${s.mode}: ${s.simulations} simulations of ${s.window} in ${s.wallS.toFixed(1)} s; --sensitivity quick|full|off):`)
  const width = Math.max(...s.assumptions.map((a) => a.label.length))
  for (const a of s.assumptions) out.push(`  ${a.label.padEnd(width)}  ${a.format(a.assumed).padEnd(10)} ${a.source}`)
  for (const c of s.candidates) {
    out.push("")
    out.push(`${ROLE[c.role]}, ${describeCandidate(c.candidate)}, ${c.breakEvens[0]?.passesAtAssumed ? "passes" : "fails"} at the assumed values; it`)
    for (const b of c.breakEvens) {
      const a = s.assumptions.find((x) => x.id === b.assumption)
      if (a === undefined) continue
      out.push(`  ${condition(b, a)}${b.reason === undefined ? "" : ` — then ${b.reason}`}`)
    }
  }
  out.push("")
  out.push("note: each assumption is moved alone, the others held at their values, and searched one way: the way that breaks a passing deployment, or mends a failing one.")
  return out.join("\n")
}

/**
 * The seed's verdict worded as conditions: the assumptions whose change flips it, with the value.
 *
 * @example
 * seedConditions(s) // ["fails N-1 unless online share ≤ 56.3% (assumed 100%)", …]
 */
export function seedConditions(s: SensitivityResult): string[] {
  const seed = s.candidates.find((c) => c.role === "seed")
  if (seed === undefined) return []
  return seed.breakEvens.filter((b) => b.outcome === "flips").map((b) => {
    const a = s.assumptions.find((x) => x.id === b.assumption)!
    if (a.values !== undefined) return `${b.passesAtAssumed ? "fails" : "passes"} with ${a.label.replace(/ \(.*\)$/, "")} ${a.format(b.first!)}`
    const cmp = b.direction === "up" ? (b.passesAtAssumed ? ">" : "≥") : (b.passesAtAssumed ? "<" : "≤")
    return `${b.passesAtAssumed ? "fails if" : "passes only if"} ${a.label} ${cmp} ~${a.format(b.passesAtAssumed ? b.first! : b.first!)} (assumed ${a.format(b.assumed)})`
  })
}

const gb = (b: number) => (b >= 1e12 ? `${+(b / 1e12).toFixed(2)} TB` : `${+(b / 1e9).toFixed(1)} GB`)

/**
 * The planning horizon: storage per day, the month each tier's resource runs out, and the
 * headroom per tier every few months.
 *
 * @example
 * console.log(renderHorizon(h))
 */
export function renderHorizon(h: HorizonResult): string {
  const o = h.options
  const out: string[] = []
  const last = h.users[h.users.length - 1]
  const growth = o.growth === 0 ? "no growth (--growth)" : `users ${o.growth > 0 ? "+" : ""}${+(o.growth * 100).toFixed(2)}%/month`
  out.push(`planning horizon for ${describeCandidate(h.candidate)}: ${o.months} months, ${growth} (${Math.round(h.users[0]).toLocaleString("en-US")} → ${Math.round(last).toLocaleString("en-US")} users)`)
  const keep = (d: number) => (Number.isFinite(d) ? `${d} days` : "forever")
  out.push(`  assumed: ${o.messagesPerUserDay} messages per user per day (--messages-per-day; the seed gives only the peak rate), messages kept ${keep(o.messageRetentionDays)} (--retention), files ${keep(o.fileRetentionDays)} or ${gb(o.fileCapBytes)} per host (seed 000), ${gb(o.diskSpaceBytes)} of disk per storage host (--disk-space; seed 000: RAID10 > 1 TB)`)
  const v = h.volume
  out.push(`  stored per day now: ${(v.messages / 1e6).toFixed(2)} M messages = ${gb(v.messageBytes)} (two replicas and a parity), files ${gb(v.fileBytes)}; per host ${gb(v.messageBytesPerHost)} of messages, ${gb(v.fileBytesPerHost)} of files`)
  out.push("  tier      resource      now (worst run)  limit  runs out")
  for (const l of h.lines) {
    const when = l.runsOutMonth === null ? `not within ${o.months} months` : l.runsOutMonth === 0 ? "already (month 0)" : `month ${l.runsOutMonth}`
    out.push(`  ${l.tier.padEnd(9)} ${l.resource.padEnd(13)} ${pct(l.use).padStart(15)}  ${pct(l.limit).padStart(5)}  ${when}`)
  }
  const tiers = [...new Set(h.lines.map((l) => l.tier))]
  const every = Math.max(1, Math.ceil(o.months / 6))
  out.push(`  headroom left per tier (its tightest resource), every ${every} month${every === 1 ? "" : "s"}:`)
  out.push(`  month  ${"users".padStart(9)}  ${tiers.map((t) => t.padStart(9)).join("  ")}`)
  for (let m = 0; m <= o.months; m += every) {
    const row = tiers.map((t) => pct(Math.min(...h.lines.filter((l) => l.tier === t).map((l) => l.headroom[m]))).padStart(9))
    out.push(`  ${String(m).padStart(5)}  ${Math.round(h.users[m]).toLocaleString("en-US").padStart(9)}  ${row.join("  ")}`)
  }
  out.push(h.first === null
    ? `  everything lasts the ${o.months} months`
    : `  first to run out: ${h.first.resource} on the ${h.first.tier} tier in month ${h.first.month}${h.first.resource === "disk space" ? " (storage cannot be scaled out before version 2.0: size it for the lifetime volume)" : ""}`)
  return out.join("\n")
}

/**
 * What `wwsim size` prints: the recommendation, its evidence (per tier the binding limit and the
 * headroom left), the analytic (MVA) figures beside the simulated ones, the minimality checks and
 * the seed table's answer with a verdict. `sizeJson` is the same as data for `--json`.
 */
import { describeCandidate, total } from "./candidates.ts"
import type { MvaResult } from "./mva.ts"
import type { Evaluation, SizeResult } from "./search.ts"

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
  out.push(`each run: warm-up ${r.window.warmup} + ${r.window.duration}${r.nMinus1 ? "; N-1 by symmetry of uin hashing: one run per tier with <tier>-1 down for the whole run, plus one with nothing down" : ""}`)
  out.push("")
  const rec = r.recommendation
  if (rec === null) {
    out.push("recommendation: none found within the cap")
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
  } else if (rec !== null) {
    out.push("minimality: no smaller candidate in any tier (1 access, 3 mixed is the floor)")
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
  out.push(`seed table (docs/model.md) for ${r.users.toLocaleString("en-US")} users: ${row === null ? "no row" : describeCandidate(row).replace(" + 1 logic/storage mixed", " + 1 test host")}`)
  out.push(`verdict: ${r.seed.verdict}`)
  out.push("")
  out.push(`${r.runs} simulations in ${wallS.toFixed(1)} s`)
  return out.join("\n")
}

/** The result as plain data for `--json`. */
export function sizeJson(r: SizeResult, wallS: number): unknown {
  const ev = (e: Evaluation) => ({
    candidate: e.candidate, machines: total(e.candidate), description: describeCandidate(e.candidate), ok: e.ok,
    ...(e.reason === undefined ? {} : { failingTier: e.failingTier, reason: e.reason }),
    runs: e.runs.map((x) => ({ down: x.down, ok: x.ok, slo: x.slo, limits: x.limits, portFailures: x.portFailures })),
  })
  return {
    users: r.users, nMinus1: r.nMinus1, slos: r.slos, window: r.window, bounds: r.bounds,
    recommendation: r.recommendation === null ? null : ev(r.recommendation),
    headroom: r.headroom,
    mva: r.recommendation?.mva ?? null,
    steps: r.steps.map(ev),
    minimality: r.minimality.map(ev),
    seed: { row: r.seed.row, verdict: r.seed.verdict, evaluation: r.seed.evaluation === null ? null : ev(r.seed.evaluation) },
    runs: r.runs, wallS,
  }
}

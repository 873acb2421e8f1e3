/**
 * The human-readable summary `wwsim run` prints: one table of request kinds, one of services,
 * how fast each fault was recovered from, and (when the scenario has SLOs) each SLO with its
 * measured value and verdict.
 */
import Table from "cli-table3"
import { describeExpect, describeMeasured, describeSlo, describeVerdict, formatValue } from "../slo/format.ts"
import { type SloResult, verdictOf } from "../slo/Slo.ts"
import { bindingLimits, hostUsage } from "./limits.ts"
import { healthyText, type RecoveryFigures, type RecoveryReport } from "./recovery.ts"
import type { Report } from "./Report.ts"

export interface SummaryOptions {
  /** Colour the table headers; pass `false` when stdout is not a terminal. */
  readonly color: boolean
}

const dash = "-"

const count = (n: number): string => (Number.isFinite(n) ? n.toLocaleString("en-US") : dash)

/** Milliseconds with about three significant digits. */
const ms = (v: number | null | undefined): string => {
  if (v === null || v === undefined || !Number.isFinite(v)) return dash
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)
}

const percent = (ratio: number): string => (Number.isFinite(ratio) ? `${(ratio * 100).toFixed(1)}%` : dash)

const seconds = (s: number): string => (s >= 60 && s % 60 === 0 ? `${s / 60}m` : `${s}s`)

const rate = (perS: number): string =>
  perS >= 1e6 ? `${(perS / 1e6).toFixed(1)}M` : perS >= 1e3 ? `${(perS / 1e3).toFixed(0)}k` : perS.toFixed(0)

const table = (head: ReadonlyArray<string>, color: boolean) =>
  new Table({
    head: [...head],
    colAligns: ["left", ...head.slice(1).map(() => "right" as const)],
    style: { head: color ? ["cyan"] : [], border: color ? ["grey"] : [] },
  })

/**
 * Renders the summary of a finished run (pure: same report, same text).
 *
 * @example
 * console.log(renderSummary(report, { color: process.stdout.isTTY === true }))
 */
export const renderSummary = (report: Report, options: SummaryOptions): string => {
  const { run, window } = report
  const header =
    `${report.scenario} · seed ${report.seed} · ` +
    (window.warmupS > 0 ? `warm-up ${seconds(window.warmupS)} + ` : "") +
    `${seconds(window.durationS)} measured · ` +
    `${count(run.events)} events in ${run.wallS.toFixed(2)} s (${rate(run.eventsPerS)} events/s)`

  const kinds = table(["request", "issued", "ok", "failed", "rejected", "mean ms", "p50 ms", "p99 ms", "max ms"], options.color)
  for (const [kind, k] of Object.entries(report.requests)) {
    kinds.push([kind, count(k.issued), count(k.ok), count(k.failed), count(k.rejected),
      ms(k.latencyMs.mean), ms(k.latencyMs.p50), ms(k.latencyMs.p99), ms(k.latencyMs.max)])
  }

  const services = table(["service", "served", "rejected", "utilization", "queue wait ms", "queue mean", "queue max"], options.color)
  for (const [name, s] of Object.entries(report.services)) {
    services.push([name, count(s.served), count(s.rejected), percent(s.utilization),
      ms(s.queueWaitMs.mean), Number.isFinite(s.queueDepth.mean) ? s.queueDepth.mean.toFixed(2) : dash, count(s.queueDepth.max)])
  }

  const parts = [header, kinds.toString(), services.toString()]
  const failures = Object.entries(report.requests)
    .map(([kind, k]) => [kind, Object.entries(k.codes).filter(([code]) => code !== "0")] as const)
    .filter(([, codes]) => codes.length > 0)
  if (failures.length > 0) {
    parts.push(`return codes: ${failures.map(([kind, codes]) => `${kind} ${codes.map(([c, n]) => `${c}×${count(n)}`).join(" ")}`).join(" · ")}`)
  }
  for (const [kind, k] of Object.entries(report.requests)) {
    const mq = k.redelivery
    if (mq === undefined || mq.redelivered + mq.backlogMax === 0) continue
    parts.push(`MQ backlog (${kind}): ${count(mq.redelivered)} redelivered · waiting ${count(Math.round(mq.backlogMean))} on average, ` +
      `${count(mq.backlogMax)} at most, ${count(mq.backlogEnd)} at the end`)
  }
  if (Object.values(report.hosts).some((h) => h.nicMbps !== undefined || h.portsInUse !== undefined || h.diskMBps !== undefined)) {
    parts.push(renderHosts(report, options))
  }
  const r = report.resilience
  if (r !== undefined && r.retries + r.shieldActivations + r.fastRejects + r.clientRejects > 0) {
    parts.push(`resilience: ${count(r.retries)} retries · ${count(r.shieldActivations)} shield activations · ` +
      `${count(r.fastRejects)} fast rejects · ${count(r.clientRejects)} client-side rejects`)
  }
  if (r?.reconnects !== undefined && r.reconnects > 0) parts.push(`long connections: ${count(r.reconnects)} reconnects (drops, churn, retries after no port)`)
  for (const f of report.faults ?? []) parts.push(`fault: ${f.action} ${f.target.join(", ")} from ${seconds(f.fromS)} to ${seconds(f.toS)}`)
  if (report.recovery !== undefined) parts.push(renderRecovery(report, report.recovery, options))
  if (report.slo !== undefined && report.slo.length > 0) parts.push(renderSlos(report.slo, options))
  return parts.join("\n")
}

const GREEN = "\u001b[32m", RED = "\u001b[31m", RESET = "\u001b[39m"

/**
 * The SLO table: ✓ or ✗, the SLO as written, the measured value (≈ when approximate, with the
 * worst instance and interval), the verdict against what the scenario expects (held, breached as
 * expected, unexpected and why), then a line counting each verdict. ✗ marks only the unexpected:
 * a breach a drill declares is its story, not a failure.
 *
 * @example
 * renderSlos(report.slo, { color: false })
 */
export const renderSlos = (results: ReadonlyArray<SloResult>, options: SummaryOptions): string => {
  const anyExpect = results.some((r) => r.expect !== undefined)
  const t = new Table({
    head: ["", "SLO", "measured", "verdict", ...(anyExpect ? ["expected"] : [])],
    colAligns: ["left", "left", "right", "left", "left"],
    style: { head: options.color ? ["cyan"] : [], border: options.color ? ["grey"] : [] },
  })
  for (const r of results) {
    const bad = verdictOf(r) === "unexpected"
    const mark = bad ? "✗" : "✓"
    t.push([options.color ? `${bad ? RED : GREEN}${mark}${RESET}` : mark, describeSlo(r), describeMeasured(r), describeVerdict(r),
      ...(anyExpect ? [describeExpect(r).replace(/^expect /, "")] : [])])
  }
  return `${t.toString()}\n${sloVerdictLine(results)}`
}

/**
 * The count of each verdict: "SLOs: all 3 hold", or "SLOs: 1 held, 2 breached as expected, 1 unexpected".
 *
 * @example
 * sloVerdictLine(report.slo) // "SLOs: 1 held, 1 breached as expected, 0 unexpected"
 */
export function sloVerdictLine(results: ReadonlyArray<SloResult>): string {
  const held = results.filter((r) => verdictOf(r) === "held").length
  const expected = results.filter((r) => verdictOf(r) === "expected").length
  const unexpected = results.length - held - expected
  if (held === results.length) return `SLOs: all ${results.length} hold`
  return `SLOs: ${held} held, ${expected} breached as expected, ${unexpected} unexpected`
}

const secondsOrDash = (s: number | null): string => (s === null ? dash : `${Number(s.toFixed(3))} s`)

/**
 * How fast each fault was recovered from: per fault, all kinds together and then each kind that
 * dipped below the threshold — impact (fault start → first step below), the lowest step, the
 * outage (first step below → back above to stay), and when it was back, also as seconds after the
 * fault ended. A fault nothing dipped for is one line saying it was absorbed.
 *
 * @example
 * renderRecovery(report, report.recovery, { color: false })
 */
export function renderRecovery(report: Report, recovery: RecoveryReport, options: SummaryOptions): string {
  const healthy = healthyText(recovery)
  const t = table(["recovery", "impact after", "dip to", "outage", "back at", "after fault end"], options.color)
  const absorbed: string[] = []
  report.faults.forEach((f, i) => {
    const name = `${f.action} ${f.target.join(", ")} ${seconds(f.fromS)}–${seconds(f.toS)}`
    const all = recovery.all[i]
    const hit = Object.entries(recovery.kinds).filter(([, list]) => list[i]?.impactS !== null && list[i] !== undefined)
    if (all.impactS === null && hit.length === 0) {
      absorbed.push(`${name}: absorbed, every step ${healthy}${all.dip === null ? "" : ` (lowest ${formatValue(all.dip, "ratio", recovery.healthy)})`}`)
      return
    }
    const row = (label: string, x: RecoveryFigures) => t.push([label, secondsOrDash(x.impactS), x.dip === null ? dash : percent(x.dip),
      x.impactS === null ? dash : x.outageS === null ? "to the end" : secondsOrDash(x.outageS),
      x.impactS === null ? dash : x.recoveredAtS === null ? "not by the end" : seconds(x.recoveredAtS),
      x.impactS === null ? dash : x.recoveryS === null ? "not recovered" : secondsOrDash(x.recoveryS)])
    row(`${name}: all`, all)
    for (const [kind, list] of hit) row(`  ${kind}`, list[i])
  })
  const lines = [`recovery from faults (a series step of ${report.series.stepS} s is healthy at ${healthy}; recovery:):`]
  if (t.length > 0) lines.push(t.toString())
  return [...lines, ...absorbed.map((a) => `  ${a}`)].join("\n")
}

/** Hosts by tier with each limit's use, then the limit that binds first per tier. */
function renderHosts(report: Report, options: SummaryOptions): string {
  const hosts = table(["host", "tier", "cpu", "nic in", "nic out", "ports", "disk w/r", "down"], options.color)
  const pct = (u: ReturnType<typeof hostUsage>, resource: string) => {
    const x = u.find((v) => v.resource === resource)
    return x === undefined ? dash : percent(x.fraction)
  }
  for (const [name, h] of Object.entries(report.hosts)) {
    const u = hostUsage(name, h)
    const disk = h.diskMBps === undefined ? dash : `${pct(u, "disk write")} / ${pct(u, "disk read")}`
    hosts.push([name, h.class, pct(u, "cpu"), pct(u, "nic in"), pct(u, "nic out"),
      h.portsInUse === undefined ? dash : `${count(h.portsInUse.max)} / ${count(h.portsInUse.limit)}`, disk,
      h.downS === undefined ? dash : seconds(h.downS)])
  }
  const binding = [...bindingLimits(report)].map(([tier, u]) =>
    `  ${tier}: ${u.resource}${u.detail === undefined ? "" : ` of ${u.detail}`} on ${u.host} at ${percent(u.fraction)}`)
  return [hosts.toString(), "binds first, per tier (highest use of its limit):", ...binding].join("\n")
}

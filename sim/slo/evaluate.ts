/**
 * Checking SLOs against a finished report: a pure function of (report, SLOs).
 *
 * - Over the measured window (no `during`, no `every`): the report's summary fields — exactly
 *   the figures `report.json` shows (`requests.<kind>.latencyMs.p99`, `hosts.<h>.cpuUtil`, …).
 * - `during: { from, to }` and `every`: computed from `series` (per-step arrays), by the metric's
 *   `SeriesRule` (see `Slo.ts`): time averages, rates, counts and success ratios are exact when the
 *   range falls on step boundaries (steps cut by the range are weighted by their overlap, which
 *   assumes a uniform step: approximate); percentiles and peaks are approximate, in the direction
 *   documented per rule. An approximate result carries `approximate: true`.
 * - `every: L`: the range (the window, or `during`) is cut into intervals of length L from its
 *   start (the last one may be shorter); each must hold; the result is the worst interval's.
 *   Intervals with nothing to measure (no ok requests for a latency) are skipped.
 * - A host class: each instance is checked; the result is the worst instance's.
 * - No value at all (no ok requests, nothing finished): a breach, with a `note` saying why.
 */
import type { HostReport, KindReport, SeriesReport, ServiceReport, SimReport } from "../report/Report.ts"
import { DEFAULT_HEALTHY, recoveryOf, unhealthyText } from "../report/recovery.ts"
import { formatValue } from "./format.ts"
import { type MetricDef, REPORT_UNIT, type ReportUnit, type SloResult, type SloSpec, type SloVerdict, metricDef } from "./Slo.ts"

type Op = SloSpec["op"]

interface Measured {
  readonly value: number | null
  readonly exact: boolean
  readonly note?: string
  readonly instance?: string
}

const none = (note: string): Measured => ({ value: null, exact: true, note })
const finite = (v: number | null | undefined): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null)
/** No value to judge: a NaN or infinite one says so (it fails), anything else gets `note`. */
const absent = (v: unknown, note: string): Measured =>
  none(typeof v === "number" && !Number.isFinite(v) ? `the value is ${v}, not a finite number` : note)

/** Whether `a` is worse than `b` for an SLO with `op` (higher is worse for `below`). */
const worse = (op: Op, a: number, b: number): boolean => (op === "below" ? a > b : a < b)

const holds = (op: Op, value: number, threshold: number): boolean => (op === "below" ? value <= threshold : value >= threshold)

/** `x · 10^exp`, rounded once (`0.0003 s` is `0.3 ms`, not `0.30000000000000004`). */
function shift(x: number, exp: number): number {
  if (exp === 0) return x
  const text = String(x)
  return /e/i.test(text) ? x * 10 ** exp : Number(`${text}e${exp}`)
}

// ---- over the measured window, from the summary fields ------------------------------------

function kindWindow(k: KindReport, property: string, durationS: number): Measured {
  if (property.startsWith("latency.")) {
    if (k.ok === 0) return none("no ok requests")
    const raw = k.latencyMs[property.slice("latency.".length) as keyof KindReport["latencyMs"]]
    const v = finite(raw)
    return v === null ? absent(raw, "no latency recorded") : { value: v, exact: true }
  }
  if (property === "successRate") {
    const done = k.ok + k.failed + k.rejected
    return done === 0 ? none("no finished requests") : { value: k.ok / done, exact: true }
  }
  const count = property === "throughput" ? k.ok : property === "failed" ? k.failed : k.rejected
  return { value: count / durationS, exact: true }
}

function serviceWindow(s: ServiceReport, property: string): Measured {
  const [field, stat] = property.split(".")
  const v =
    field === "utilization" ? s.utilization
    : field === "queueWait" ? s.queueWaitMs[stat as keyof ServiceReport["queueWaitMs"]]
    : s.queueDepth[stat as "mean" | "max"]
  const value = finite(v)
  return value === null ? absent(v, field === "queueWait" ? "no queue waits recorded" : "not in the report") : { value, exact: true }
}

function hostWindow(h: HostReport, property: string): Measured {
  const [field, a, b] = property.split(".")
  let v: number | undefined
  if (field === "cpu") v = h.cpuUtil
  else if (field === "nic") v = h.nicMbps?.[a as "in" | "out"][b === "max" ? "max" : "mean"]
  else if (field === "ports") v = a === "mean" ? h.portsInUse?.mean : h.portsInUse?.max
  else if (field === "disk") v = h.diskMBps?.[a as "read" | "write"][b === "max" ? "max" : "mean"]
  const value = finite(v)
  return value === null ? absent(v, `the report has no ${field} figures for this host`) : { value, exact: true }
}

// ---- over a time range, from the series --------------------------------------------------

interface StepSpan {
  readonly index: number
  /** Seconds of the step inside the range. */
  readonly overlap: number
  /** The whole step is inside the range. */
  readonly full: boolean
}

const EPS = 1e-9

/** The series steps overlapping [from, to), with how much of each is inside. */
function stepsIn(series: SeriesReport, endS: number, from: number, to: number): StepSpan[] {
  const spans: StepSpan[] = []
  for (let i = 0; i < series.t.length; i++) {
    const start = series.t[i]
    const stop = series.t[i + 1] ?? endS
    const overlap = Math.min(to, stop) - Math.max(from, start)
    if (overlap > EPS) spans.push({ index: i, overlap, full: overlap >= stop - start - EPS })
  }
  return spans
}

type Steps = ReadonlyArray<number | null>

/** The per-step arrays a metric reads, or a note when the series lacks them. */
function seriesOf(report: SimReport, m: MetricDef, subject: string): { readonly arrays: ReadonlyArray<Steps> } | { readonly note: string } {
  const { series } = report
  const missing = { note: `the report has no series for ${subject === "" ? m.property : `${subject}.${m.property}`}` }
  const got = (...arrays: Array<Steps | undefined>) =>
    arrays.every((a) => a !== undefined) ? { arrays: arrays as ReadonlyArray<Steps> } : missing
  const [field, a] = m.property.split(".")
  switch (m.scope) {
    case "kind": {
      const k = series.kinds[subject]
      if (k === undefined) return missing
      if (field === "latency") return got(k[`${a}Ms` as "p50Ms" | "p95Ms" | "p99Ms"])
      if (field === "successRate") return got(k.throughput, k.failed, k.rejected)
      return got(k[field as "throughput" | "failed" | "rejected"])
    }
    case "service": {
      const s = series.services[subject]
      if (s === undefined) return missing
      return got(field === "utilization" ? s.utilization : s.queueDepth)
    }
    case "host": {
      const h = series.hosts[subject]
      if (h === undefined) return missing
      if (field === "cpu") return got(h.cpuUtil)
      if (field === "nic") return got(a === "in" ? h.nicInMbps : h.nicOutMbps)
      if (field === "ports") return got(h.ports)
      return got(a === "read" ? h.diskReadMBps : h.diskWriteMBps)
    }
    case "resilience":
      return got(series.resilience[m.property as "retries" | "fastRejects"])
  }
}

const round3 = (x: number) => Math.round(x * 1000) / 1000

/** One subject's value over [from, to) by the metric's series rule. */
function overRange(report: SimReport, m: MetricDef, op: Op, subject: string, from: number, to: number): Measured {
  const read = seriesOf(report, m, subject)
  if ("note" in read) return none(read.note)
  const endS = report.window.warmupS + report.window.durationS
  const spans = stepsIn(report.series, endS, from, to)
  if (spans.length === 0) return none("no series steps in the range")
  const allFull = spans.every((s) => s.full)
  const [values] = read.arrays
  const at = (arr: Steps, i: number) => arr[i] ?? 0
  switch (m.series) {
    case "mean": {
      let area = 0, time = 0
      for (const s of spans) {
        area += at(values, s.index) * s.overlap
        time += s.overlap
      }
      return { value: area / time, exact: allFull }
    }
    case "sum": {
      let total = 0
      for (const s of spans) total += at(values, s.index) * s.overlap
      // per-second rates are rounded to 0.001/s: whole steps give the integer count back
      return allFull ? { value: Math.round(total), exact: true } : { value: round3(total), exact: false }
    }
    case "stepMax":
    case "peak": {
      let max = -Infinity
      for (const s of spans) max = Math.max(max, at(values, s.index))
      return { value: max, exact: m.series === "stepMax" && allFull }
    }
    case "quantile": {
      let worst: number | null = null
      let counted = 0
      for (const s of spans) {
        const v = values[s.index]
        if (v === null || v === undefined) continue
        counted++
        if (worst === null || worse(op, v, worst)) worst = v
      }
      if (worst === null) return none("no ok requests in the range")
      return { value: worst, exact: counted === 1 && allFull }
    }
    case "successRatio": {
      const [ok, failed, rejected] = read.arrays
      let good = 0, bad = 0
      for (const s of spans) {
        good += at(ok, s.index) * s.overlap
        bad += (at(failed, s.index) + at(rejected, s.index)) * s.overlap
      }
      return good + bad <= EPS ? none("no finished requests in the range") : { value: good / (good + bad), exact: allFull }
    }
    case null:
      return none(`${m.property} has no series`)
  }
}

// ---- recovery from faults -------------------------------------------------------------------

/**
 * A recovery figure (`sim/report/recovery.ts`) over every fault, the worst one's: the longest
 * impact, recovery or outage for `below` (the shortest for `above`), the deepest dip. A fault not
 * recovered from by the end of the run makes `recoveryS` and `outageS` null (a breach); a fault
 * without impact has no `impactS`. Seconds become the report's milliseconds.
 */
function recoveryMeasure(report: SimReport, slo: SloSpec): Measured {
  const criteria = slo.recovery ?? { healthy: DEFAULT_HEALTHY }
  const { warmupS, durationS } = report.window
  const r = recoveryOf(report.series, report.faults, warmupS + durationS, warmupS, criteria)
  if (r === undefined) return none("the report has no faults")
  const list = slo.ref.name === "all" ? r.all : r.kinds[slo.ref.name]
  if (list === undefined) return none(`the report has no series for ${slo.ref.name}`)
  const below = unhealthyText(criteria)
  const property = slo.ref.property as "impactS" | "recoveryS" | "outageS" | "dip"
  if ((property === "recoveryS" || property === "outageS") && list.some((f) => f[property] === null)) {
    const f = report.faults[list.find((x) => x[property] === null)!.fault]
    return none(`still ${below} at the end of the run after ${f.action} ${f.target.join(", ")}`)
  }
  const values = list.map((f) => f[property]).filter((v): v is number => v !== null)
  if (values.length === 0) return none(property === "impactS" ? `no step ${below}: no impact` : "nothing ended after the faults")
  let pick = values[0]
  for (const v of values) if (property === "dip" ? v < pick : worse(slo.op, v, pick)) pick = v
  return { value: property === "dip" ? pick : shift(pick, 3), exact: true }
}

// ---- subjects ------------------------------------------------------------------------------

/** The worst of several measurements (host class instances, or intervals); nulls are skipped. */
function worst<T extends Measured>(op: Op, items: ReadonlyArray<T>): T | undefined {
  let pick: T | undefined
  for (const it of items) {
    if (it.value === null) continue
    if (pick === undefined || worse(op, it.value, pick.value!)) pick = it
  }
  return pick
}

/** The host instances a host metric's name stands for: the instance itself, or its class's. */
function hostInstances(report: SimReport, name: string): ReadonlyArray<string> {
  if (Object.hasOwn(report.hosts, name)) return [name]
  return Object.keys(report.hosts).filter((h) => report.hosts[h].class === name)
}

/** The value of `slo`'s metric over the window or [from, to), for every kind of subject. */
function measure(report: SimReport, slo: SloSpec, range: { from: number; to: number } | null): Measured {
  const m = metricDef(slo.ref)
  const { name, property } = slo.ref
  const window = (read: () => Measured) => (range === null ? read() : overRange(report, m, slo.op, name, range.from, range.to))
  switch (slo.ref.scope) {
    case "kind": {
      if (m.recovery === true) return recoveryMeasure(report, slo)
      const k = report.requests[name]
      if (k === undefined) return none(`the report has no request kind ${name}`)
      return window(() => kindWindow(k, property, report.window.durationS))
    }
    case "service": {
      const s = report.services[name]
      if (s === undefined) return none(`the report has no service ${name}`)
      return window(() => serviceWindow(s, property))
    }
    case "resilience":
      return window(() => {
        const v = finite(report.resilience[property as keyof SimReport["resilience"]])
        return v === null ? none(`the report has no resilience.${property}`) : { value: v, exact: true }
      })
    case "host": {
      const instances = hostInstances(report, name)
      if (instances.length === 0) return none(`the report has no host ${name}`)
      const each = instances.map((h): Measured => {
        const r = range === null ? hostWindow(report.hosts[h], property) : overRange(report, m, slo.op, h, range.from, range.to)
        return { ...r, instance: h }
      })
      const pick = worst(slo.op, each)
      if (pick === undefined) return each[0]
      const exact = each.every((e) => e.exact)
      return instances.length === 1 ? { value: pick.value, exact } : { value: pick.value, exact, instance: pick.instance }
    }
  }
}

/**
 * Checks every SLO against a report (without `run`: the result does not depend on wall-clock
 * figures). Values and thresholds come back in the report's units (`unit`).
 *
 * @example
 * const results = evaluateSlos(report, scenario.slo ?? [])
 * const breached = results.filter((r) => !r.ok)
 */
export function evaluateSlos(report: SimReport, slos: ReadonlyArray<SloSpec>): SloResult[] {
  return slos.map((slo) => evaluateOne(report, slo))
}

function evaluateOne(report: SimReport, slo: SloSpec): SloResult {
  const m = metricDef(slo.ref)
  const { unit, exp } = REPORT_UNIT[m.unit]
  const windowStart = report.window.warmupS
  const range = slo.during ?? (slo.every !== null ? { from: windowStart, to: windowStart + report.window.durationS } : null)

  let result: Measured
  let worstAt: { fromS: number; toS: number } | undefined
  if (slo.every !== null && range !== null) {
    const intervals: Array<Measured & { readonly fromS: number; readonly toS: number }> = []
    for (let k = 0; ; k++) {
      const fromS = range.from + k * slo.every
      if (fromS >= range.to - EPS) break
      const toS = Math.min(range.from + (k + 1) * slo.every, range.to)
      intervals.push({ ...measure(report, slo, { from: fromS, to: toS }), fromS, toS })
    }
    const pick = worst(slo.op, intervals)
    const exact = intervals.every((i) => i.exact)
    if (pick === undefined) {
      result = { value: null, exact, note: intervals[0]?.note ?? "no intervals in the range" }
    } else {
      result = { value: pick.value, exact, ...(pick.instance !== undefined ? { instance: pick.instance } : {}) }
      worstAt = { fromS: pick.fromS, toS: pick.toS }
    }
  } else {
    result = measure(report, slo, range)
  }

  const threshold = shift(slo.threshold, exp)
  const ok = result.value !== null && holds(slo.op, result.value, threshold)
  const expect = slo.expect === null ? undefined : {
    breach: slo.expect.breach,
    ...(slo.expect.within !== null ? { within: [shift(slo.expect.within[0], exp), shift(slo.expect.within[1], exp)] as const } : {}),
  }
  const judged = judge(ok, result.value, unit, expect)
  return {
    metric: slo.metric,
    op: slo.op,
    threshold,
    value: result.value,
    unit,
    ok,
    ...(slo.during !== null ? { during: { fromS: slo.during.from, toS: slo.during.to } } : {}),
    ...(slo.every !== null ? { everyS: slo.every } : {}),
    ...(worstAt !== undefined ? { worstAt } : {}),
    ...(result.instance !== undefined ? { instance: result.instance } : {}),
    ...(result.exact ? {} : { approximate: true as const }),
    ...(result.value === null && result.note !== undefined ? { note: result.note } : {}),
    verdict: judged.verdict,
    ...(expect !== undefined ? { expect } : {}),
    ...(judged.why !== undefined ? { why: judged.why } : {}),
  }
}

/**
 * The verdict on an outcome against the expectation (none: the SLO must hold), and why it is
 * unexpected. A value outside `within` is unexpected even on the expected side of the threshold:
 * the story (how deep the breach, how close the hold) has changed.
 *
 * @example
 * judge(true, 0.95, "ratio", { breach: true }) // { verdict: "unexpected", why: "held; expected a breach" }
 */
export function judge(ok: boolean, value: number | null, unit: ReportUnit, expect: SloResult["expect"]): { readonly verdict: SloVerdict; readonly why?: string } {
  const breach = expect?.breach ?? false
  if (ok && breach) return { verdict: "unexpected", why: "held; expected a breach" }
  if (!ok && !breach) return { verdict: "unexpected", why: expect === undefined ? "breached" : "breached; expected to hold" }
  const within = expect?.within
  if (within !== undefined) {
    const range = `${formatValue(within[0], unit)}–${formatValue(within[1], unit)}`
    if (value === null) return { verdict: "unexpected", why: `no data; expected a value within ${range}` }
    if (value < within[0] || value > within[1]) {
      return { verdict: "unexpected", why: `${breach ? "breached" : "held"} at ${formatValue(value, unit, value < within[0] ? within[0] : within[1])}; expected within ${range}` }
    }
  }
  return { verdict: breach ? "expected" : "held" }
}

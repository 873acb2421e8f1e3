/**
 * Service level objectives: the metric grammar, the parsed SLO a scenario carries, and the result
 * of checking one against a report. See docs/slo.md for the user's view.
 *
 * A metric is `<subject>.<property>`, where the property decides what the subject names:
 *
 * | metric                                         | subject            | value                                          | threshold unit       |
 * | ---------------------------------------------- | ------------------ | ---------------------------------------------- | -------------------- |
 * | `<kind>.latency.{mean,p50,p90,p95,p99,p999,max}` | a workload key   | ok requests, arrival to reply                  | duration (`200ms`)   |
 * | `<kind>.successRate`                           | a workload key     | ok / (ok + failed + rejected), finished ones   | ratio (`99.9%`)      |
 * | `<kind>.throughput`                            | a workload key     | ok replies per second                          | rate (`700/s`)       |
 * | `<kind>.failed`, `<kind>.rejected`             | a workload key     | failed / rejected requests per second          | rate (`1/s`)         |
 * | `<service>.utilization`                        | a service          | busy workers / workers, time-average           | ratio (`80%`)        |
 * | `<service>.queueWait.{mean,p50,p99,max}`       | a service          | InQueue wait                                   | duration             |
 * | `<service>.queueDepth.{mean,max}`              | a service          | InQueue length, summed over instances          | number (`50`)        |
 * | `<host>.cpu`                                   | instance or class  | busy cores / cores, time-average               | ratio                |
 * | `<host>.nic.{in,out}` (`.max`)                 | instance or class  | NIC Mbps, mean (largest step)                  | bandwidth (`800Mbps`)|
 * | `<host>.ports` (`.max`, `.mean`)               | instance or class  | ephemeral ports in use, peak (mean)            | number               |
 * | `<host>.disk.{read,write}` (`.max`)            | instance or class  | disk MB/s, mean (largest step)                 | byte rate (`80MB/s`) |
 * | `resilience.{retries,shieldActivations,fastRejects,clientRejects,reconnects}` | — | counts              | number               |
 * | `<kind>.{impactS,recoveryS,outageS}`           | a workload key or `all` | per fault, the worst: `sim/report/recovery.ts` | duration     |
 * | `<kind>.dip`                                   | a workload key or `all` | lowest per-step success after a fault, the worst | ratio        |
 *
 * A host class (`logic`) stands for all its instances: the SLO holds when it holds on every
 * instance, and the value shown is the worst instance's.
 *
 * @example
 * parseMetric("sendmsg.latency.p99") // { ref: { scope: "kind", name: "sendmsg", property: "latency.p99" } }
 */
import { editDistance } from "../scenario/suggest.ts"
import type { RecoveryCriteria } from "../scenario/Scenario.ts"

/** What a threshold is written in (and what it is compared with). */
export type SloUnit = "duration" | "ratio" | "rate" | "count" | "bandwidth" | "byteRate"

/** The unit of `value` and `threshold` in a result: the report's own units. */
export type ReportUnit = "ms" | "ratio" | "/s" | "count" | "Mbps" | "MB/s"

/** How a threshold's base unit (seconds, bits/s, bytes/s, …) becomes the report's unit. */
export const REPORT_UNIT: Readonly<Record<SloUnit, { readonly unit: ReportUnit; readonly exp: number }>> = {
  duration: { unit: "ms", exp: 3 },
  ratio: { unit: "ratio", exp: 0 },
  rate: { unit: "/s", exp: 0 },
  count: { unit: "count", exp: 0 },
  bandwidth: { unit: "Mbps", exp: -6 },
  byteRate: { unit: "MB/s", exp: -6 },
}

/**
 * How a metric is read from the report's per-step `series` over a time range:
 * - `mean`: the time-weighted mean of per-step values (time averages and per-second rates) — exact;
 * - `sum`: per-second rates times step widths, added up (counts) — exact;
 * - `stepMax`: the largest per-step value (the window figure is defined the same way) — exact;
 * - `peak`: the largest per-step *average*: a lower bound of the true peak — approximate;
 * - `quantile`: the worst per-step percentile (max for `below`, min for `above`): a bound on the
 *   percentile over the range that can only err towards a breach — approximate;
 * - `successRatio`: ok / (ok + failed + rejected) from the per-step rates — exact.
 * `null`: the series does not have it; the metric can only be checked over the whole window.
 */
export type SeriesRule = "mean" | "sum" | "stepMax" | "peak" | "quantile" | "successRatio"

export type Scope = "kind" | "service" | "host" | "resilience"

export interface MetricDef {
  readonly scope: Scope
  /** The part after the subject: `latency.p99`, `cpu`, `nic.in.max`. */
  readonly property: string
  readonly unit: SloUnit
  readonly series: SeriesRule | null
  /** Why the metric has no series, for the error when `during`/`every` asks for one. */
  readonly windowOnly?: string
  /** Host metrics that need a modelled resource of the host class. */
  readonly needs?: "nic" | "ports" | "disk"
  /** A recovery figure (`sim/report/recovery.ts`): needs a fault; its subject may be `all`. */
  readonly recovery?: true
}

const def = (scope: Scope, property: string, unit: SloUnit, series: SeriesRule | null, extra: Partial<MetricDef> = {}): MetricDef =>
  ({ scope, property, unit, series, ...extra })

const LATENCY_SERIES = new Set(["p50", "p95", "p99"])
const RECOVERY_ONLY = "recovery figures are per fault, from the fault's start to the run's end or the next fault"
const noLatencySeries = "the series keeps only p50, p95 and p99 per step"

/** Every metric, in the order docs and error messages list them. */
export const METRICS: ReadonlyArray<MetricDef> = [
  ...["mean", "p50", "p90", "p95", "p99", "p999", "max"].map((stat) =>
    LATENCY_SERIES.has(stat)
      ? def("kind", `latency.${stat}`, "duration", "quantile")
      : def("kind", `latency.${stat}`, "duration", null, { windowOnly: noLatencySeries })),
  def("kind", "successRate", "ratio", "successRatio"),
  def("kind", "throughput", "rate", "mean"),
  def("kind", "failed", "rate", "mean"),
  def("kind", "rejected", "rate", "mean"),
  def("service", "utilization", "ratio", "mean"),
  ...["mean", "p50", "p99", "max"].map((stat) =>
    def("service", `queueWait.${stat}`, "duration", null, { windowOnly: "the series has no queue waits" })),
  def("service", "queueDepth.mean", "count", "mean"),
  def("service", "queueDepth.max", "count", "peak"),
  def("host", "cpu", "ratio", "mean"),
  def("host", "nic.in", "bandwidth", "mean", { needs: "nic" }),
  def("host", "nic.out", "bandwidth", "mean", { needs: "nic" }),
  def("host", "nic.in.max", "bandwidth", "stepMax", { needs: "nic" }),
  def("host", "nic.out.max", "bandwidth", "stepMax", { needs: "nic" }),
  def("host", "ports", "count", "peak", { needs: "ports" }),
  def("host", "ports.max", "count", "peak", { needs: "ports" }),
  def("host", "ports.mean", "count", "mean", { needs: "ports" }),
  def("host", "disk.read", "byteRate", "mean", { needs: "disk" }),
  def("host", "disk.write", "byteRate", "mean", { needs: "disk" }),
  def("host", "disk.read.max", "byteRate", "stepMax", { needs: "disk" }),
  def("host", "disk.write.max", "byteRate", "stepMax", { needs: "disk" }),
  def("resilience", "retries", "count", "sum"),
  def("resilience", "fastRejects", "count", "sum"),
  def("resilience", "shieldActivations", "count", null, { windowOnly: "the series has no shield activations" }),
  def("resilience", "clientRejects", "count", null, { windowOnly: "the series has no client rejects" }),
  def("resilience", "reconnects", "count", null, { windowOnly: "the series has no reconnects" }),
  ...["impactS", "recoveryS", "outageS"].map((p) => def("kind", p, "duration", null, { windowOnly: RECOVERY_ONLY, recovery: true })),
  def("kind", "dip", "ratio", null, { windowOnly: RECOVERY_ONLY, recovery: true }),
]

/** A parsed metric: what it measures (`property`) of which subject (`name`; "" for resilience). */
export interface MetricRef {
  readonly scope: Scope
  readonly name: string
  readonly property: string
}

/** The definition of a parsed metric. @example metricDef({ scope: "host", name: "logic-1", property: "cpu" }).unit // "ratio" */
export const metricDef = (ref: MetricRef): MetricDef =>
  METRICS.find((m) => m.scope === ref.scope && m.property === ref.property)!

const SUBJECT = /^[a-z0-9][a-z0-9_-]*$/

const FORMS =
  "<kind>.latency.{mean,p50,p90,p95,p99,p999,max}, <kind>.{successRate,throughput,failed,rejected}, " +
  "<service>.{utilization,queueWait.{mean,p50,p99,max},queueDepth.{mean,max}}, " +
  "<host>.{cpu,nic.in,nic.out,ports,disk.read,disk.write}, resilience.{retries,fastRejects,shieldActivations,clientRejects,reconnects}, " +
  "<kind or all>.{impactS,recoveryS,outageS,dip}"

/**
 * Reads a metric's text. Names are not checked here (that needs the scenario: `checkSlos`); the
 * property alone decides whether the subject is a request kind, a service or a host, so a kind
 * and a service may share a name.
 *
 * @example
 * parseMetric("logic.cpu")        // { ref: { scope: "host", name: "logic", property: "cpu" } }
 * parseMetric("sendmsg.latency")  // { error: 'unknown metric "sendmsg.latency"; …' }
 */
export function parseMetric(text: string): { readonly ref: MetricRef } | { readonly error: string } {
  const dot = text.indexOf(".")
  const name = dot < 0 ? text : text.slice(0, dot)
  const property = dot < 0 ? "" : text.slice(dot + 1)
  if (name === "resilience") {
    const m = METRICS.find((d) => d.scope === "resilience" && d.property === property)
    if (m !== undefined) return { ref: { scope: "resilience", name: "", property } }
  }
  const m = METRICS.find((d) => d.scope !== "resilience" && d.property === property)
  if (m === undefined || !SUBJECT.test(name)) {
    const near = METRICS.map((d) => `${d.scope === "resilience" ? "resilience" : name}.${d.property}`)
      .map((candidate) => ({ candidate, distance: editDistance(candidate, text) }))
      .filter((c) => c.distance <= 2)
      .sort((a, b) => a.distance - b.distance)[0]?.candidate
    const hint = near === undefined ? "" : `did you mean ${near}? `
    return { error: `unknown metric ${JSON.stringify(text)}; ${hint}expected one of ${FORMS}` }
  }
  return { ref: { scope: m.scope, name, property } }
}


/** One SLO of a scenario, unit-free (thresholds in seconds, fractions, per second, counts, bits/s, bytes/s). */
export interface SloSpec {
  /** As the user wrote it: `sendmsg.latency.p99`. */
  readonly metric: string
  readonly ref: MetricRef
  /** `below`: holds when the value is at most the threshold; `above`: at least. */
  readonly op: "below" | "above"
  readonly threshold: number
  /** Seconds from the start of the run, warm-up included; `null`: the measured window. */
  readonly during: { readonly from: number; readonly to: number } | null
  /** Every interval of this many seconds must hold; `null`: the range as a whole. */
  readonly every: number | null
  /** The story the scenario tells about this SLO; `null`: it must hold. */
  readonly expect: SloExpect | null
  /** Recovery metrics: what a step needs to count as healthy (the scenario's `recovery:`; absent: 99% success). */
  readonly recovery?: RecoveryCriteria
}

/**
 * What a scenario expects of an SLO: a breach (a drill exists to show one) or that it holds, and
 * optionally the range the measured value must fall in (in the threshold's base unit), so a story
 * that changes — a breach twice as deep, or half as deep — is noticed.
 */
export interface SloExpect {
  readonly breach: boolean
  /** Inclusive `[low, high]`; `null`: any value on the expected side of the threshold. */
  readonly within: readonly [number, number] | null
}

/**
 * How an SLO's outcome compares with what the scenario expects:
 * - `held`: the SLO held, as expected (and inside `within`, when given);
 * - `expected`: breached, and the scenario said it would (inside `within`, when given);
 * - `unexpected`: anything else — a breach nobody declared, a hold where a breach was expected, or
 *   a value outside the expected range. Only this fails `run` and `check`.
 */
export type SloVerdict = "held" | "expected" | "unexpected"

/** The verdict on one SLO, as stored in `report.json` under `slo`. */
export interface SloResult {
  readonly metric: string
  readonly op: "below" | "above"
  /** In `unit`. */
  readonly threshold: number
  /** In `unit`; `null`: nothing to measure (no ok requests, nothing finished) — a breach. */
  readonly value: number | null
  /** The report's units: latencies in ms, NIC in Mbps, disk in MB/s, ratios as fractions. */
  readonly unit: ReportUnit
  readonly ok: boolean
  readonly during?: { readonly fromS: number; readonly toS: number }
  readonly everyS?: number
  /** With `every`: the interval with the worst value. */
  readonly worstAt?: { readonly fromS: number; readonly toS: number }
  /** For a host class: the instance with the worst value. */
  readonly instance?: string
  /** The value is an approximation from the per-step series (see `SeriesRule`). */
  readonly approximate?: true
  /** Why `value` is null. */
  readonly note?: string
  /** Absent only in reports written before expectations existed: then `ok` decides. */
  readonly verdict?: SloVerdict
  /** What the scenario expects (`expect:` in the file), in `unit`. */
  readonly expect?: { readonly breach: boolean; readonly within?: readonly [number, number] }
  /** With `verdict: "unexpected"`: what differs from the expectation, e.g. "held; expected a breach". */
  readonly why?: string
}

/**
 * The verdict of a result, also for reports written before `verdict` existed.
 *
 * @example
 * verdictOf({ ...result, ok: false }) // "unexpected" (no `expect`: a breach nobody declared)
 */
export const verdictOf = (r: SloResult): SloVerdict => r.verdict ?? (r.ok ? "held" : "unexpected")

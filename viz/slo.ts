/**
 * Rows of the SLO table, from the report's `slo` verdicts (`sim/slo/Slo.ts`, `SloResult`):
 * `{ metric, op, threshold, value, unit, ok, during?, everyS?, worstAt?, instance?, approximate?, note?,
 * verdict?, expect?, why? }`.
 * Anything missing or odd in an entry is shown as given rather than dropped.
 */
import type { Report } from "../sim/report/Report.ts"
import { clock, ms, num, pct } from "./format.ts"

export interface SloRow {
  readonly metric: string
  /** `op threshold unit`, e.g. `below 200 ms`. */
  readonly target: string
  readonly value: string
  /** Where and when: `during 1:00–1:30`, `every 10 s, worst 1:10–1:20`, `on logic-2`, notes. */
  readonly scope: string
  /** true held, false breached, null unknown. */
  readonly ok: boolean | null
  /**
   * Against the scenario's expectation: `held`, `expected` (breached, as the scenario says it
   * will), `unexpected` (what fails a CI gate); from `ok` for reports without verdicts; null unknown.
   */
  readonly verdict: "held" | "expected" | "unexpected" | null
  /** The verdict in words: "✓ held", "✓ breached as expected", "✗ unexpected: held; expected a breach". */
  readonly verdictText: string
}

const VERDICTS = ["held", "expected", "unexpected"] as const

function verdictOf(o: Record<string, unknown>): SloRow["verdict"] {
  if (VERDICTS.includes(o.verdict as SloRow["verdict"] & string)) return o.verdict as SloRow["verdict"]
  return o.ok === true ? "held" : o.ok === false ? "unexpected" : null
}

function verdictText(o: Record<string, unknown>, verdict: SloRow["verdict"]): string {
  if (verdict === "held") return "✓ held"
  if (verdict === "expected") return "✓ breached as expected"
  if (verdict === "unexpected") return typeof o.why === "string" ? `✗ unexpected: ${o.why}` : o.ok === true ? "✗ unexpected" : "✗ breached"
  return "?"
}

/** "expect breach within 60%–75%", or undefined when the SLO declares no expectation. */
function expectation(o: Record<string, unknown>): string | undefined {
  const e = o.expect
  if (typeof e !== "object" || e === null) return undefined
  const { breach, within } = e as { breach?: unknown; within?: unknown }
  const range = Array.isArray(within) && within.length === 2 ? ` within ${measure(within[0], o.unit)}–${measure(within[1], o.unit)}` : ""
  return `expect ${breach === true ? "breach" : "held"}${range}`
}

const text = (x: unknown): string =>
  x === undefined || x === null ? "–" : typeof x === "object" ? JSON.stringify(x) : String(x)

/** A number in the SLO's unit: ratios as percentages, others with their unit. */
function measure(x: unknown, unit: unknown): string {
  if (typeof x !== "number") return text(x)
  if (unit === "ratio") return pct(x, 5) // 99.99% must not round to 100%
  if (unit === "ms") return ms(x) // 1 s, not 1k ms
  return unit === undefined || unit === null || unit === "count" ? num(x) : `${num(x)} ${String(unit)}`
}

const interval = (i: unknown): string | undefined => {
  if (typeof i !== "object" || i === null) return undefined
  const { fromS, toS } = i as { fromS?: unknown; toS?: unknown }
  return typeof fromS === "number" && typeof toS === "number" ? `${clock(fromS)}–${clock(toS)}` : undefined
}

/**
 * The report's SLOs as table rows, or `undefined` when the report has none.
 *
 * @example
 * sloRows({ ...report, slo: [{ metric: "sendmsg.latency.p99", op: "below", threshold: 200, value: 12.5, unit: "ms", ok: true }] })
 * // [{ metric: "sendmsg.latency.p99", target: "below 200 ms", value: "12.5 ms", scope: "window", ok: true, verdict: "held", verdictText: "✓ held" }]
 */
export function sloRows(report: Report): ReadonlyArray<SloRow> | undefined {
  const slo = (report as { slo?: unknown }).slo
  if (!Array.isArray(slo) || slo.length === 0) return undefined
  return slo.map((e: unknown) => {
    const o = (typeof e === "object" && e !== null ? e : { metric: e }) as Record<string, unknown>
    const scope: string[] = []
    const during = interval(o.during)
    if (during) scope.push(`during ${during}`)
    if (typeof o.everyS === "number") {
      const worst = interval(o.worstAt)
      scope.push(`every ${num(o.everyS)} s${worst ? `, worst ${worst}` : ""}`)
    }
    if (o.instance !== undefined) scope.push(`on ${text(o.instance)}`)
    if (o.approximate === true) scope.push("approximate (from the series)")
    if (o.note !== undefined) scope.push(text(o.note))
    const expected = expectation(o)
    const verdict = verdictOf(o)
    return {
      metric: text(o.metric),
      target: `${text(o.op)} ${measure(o.threshold, o.unit)}${expected === undefined ? "" : ` · ${expected}`}`,
      value: o.value === null ? "none" : measure(o.value, o.unit),
      scope: scope.length === 0 ? "window" : scope.join("; "),
      ok: typeof o.ok === "boolean" ? o.ok : null,
      verdict,
      verdictText: verdictText(o, verdict),
    }
  })
}

/**
 * SLO results as text: the summary's rows, JUnit messages and the one-line breach message.
 */
import { formatBandwidth, formatDuration, formatRate } from "../scenario/units.ts"
import { type ReportUnit, type SloResult, verdictOf } from "./Slo.ts"

/** `x` with `digits` significant digits, without exponent or trailing zeros. */
function significant(x: number, digits: number): string {
  if (x === 0) return "0"
  const magnitude = Math.floor(Math.log10(Math.abs(x)))
  const decimals = Math.max(0, digits - 1 - magnitude)
  return String(Number(x.toFixed(Math.min(decimals, 12))))
}

function withUnit(x: number, unit: ReportUnit, digits: number): string {
  switch (unit) {
    case "ms":
      return x >= 1000 ? `${significant(x / 1000, digits)}s` : `${significant(x, digits)}ms`
    case "ratio": {
      // near 100%, the distance to 100% is what matters: 99.96%, not 100%
      const pct = x * 100
      if (pct >= 99 && pct < 100) return `${Number(pct.toFixed(Math.max(1, Math.ceil(-Math.log10(100 - pct)), digits - 2)))}%`
      return `${significant(pct, digits)}%`
    }
    case "/s":
      return `${significant(x, digits)}/s`
    case "count":
      return Number.isInteger(x) ? x.toLocaleString("en-US") : significant(x, digits)
    case "Mbps":
      return `${significant(x, digits)}Mbps`
    case "MB/s":
      return `${significant(x, digits)}MB/s`
  }
}

/**
 * A measured value beside its threshold: three significant digits, more when needed so that a
 * value that differs from the threshold never prints the same (99.89% vs 99.9%).
 *
 * @example
 * formatValue(183.21, "ms", 200) // "183ms"
 * formatValue(0.99896, "ratio", 0.999) // "99.9%" would read as the threshold: "99.896%"
 */
export function formatValue(value: number | null, unit: ReportUnit, threshold?: number): string {
  if (value === null) return "no data"
  let digits = 3
  let text = withUnit(value, unit, digits)
  while (threshold !== undefined && value !== threshold && digits < 15 && text === withUnit(threshold, unit, 15)) {
    text = withUnit(value, unit, ++digits)
  }
  return text
}

/** `x · 10^exp`, rounded once. */
const shift = (x: number, exp: number): number => (/e/i.test(String(x)) ? x * 10 ** exp : Number(`${x}e${exp}`))

/**
 * A threshold as the user would write it, in the largest unit that writes it exactly.
 *
 * @example
 * formatThreshold(0.999, "ratio") // "99.9%"
 * formatThreshold(1000, "Mbps") // "1Gbps"
 */
export function formatThreshold(threshold: number, unit: ReportUnit): string {
  switch (unit) {
    case "ms":
      return formatDuration(shift(threshold, -3))
    case "/s":
      return formatRate(threshold)
    case "Mbps":
      return formatBandwidth(shift(threshold, 6))
    case "count":
      return String(threshold)
    default:
      return withUnit(threshold, unit, 15)
  }
}

const span = (fromS: number, toS: number) => `${formatDuration(fromS)}–${formatDuration(toS)}`

/**
 * The SLO as written: metric, operator, threshold and time mode.
 *
 * @example
 * describeSlo(result) // "push.latency.p99 below 1s during 6m–10m"
 */
export function describeSlo(r: SloResult): string {
  const parts = [r.metric, r.op, formatThreshold(r.threshold, r.unit)]
  if (r.during !== undefined) parts.push(`during ${span(r.during.fromS, r.during.toS)}`)
  if (r.everyS !== undefined) parts.push(`every ${formatDuration(r.everyS)}`)
  return parts.join(" ")
}

/**
 * What was measured, with where (worst instance, worst interval) and whether it is approximate.
 *
 * @example
 * describeMeasured(result) // "≈ 82.1% (logic-2, 7m10s–7m20s)"
 */
export function describeMeasured(r: SloResult): string {
  if (r.value === null) return `no data${r.note !== undefined ? ` (${r.note})` : ""}`
  const where = [r.instance, r.worstAt !== undefined ? span(r.worstAt.fromS, r.worstAt.toS) : undefined]
    .filter((x) => x !== undefined)
  return `${r.approximate ? "≈ " : ""}${formatValue(r.value, r.unit, r.threshold)}${where.length > 0 ? ` (${where.join(", ")})` : ""}`
}

/**
 * What the scenario expects of the SLO, as written; "" when it must simply hold.
 *
 * @example
 * describeExpect(result) // "expect breach within 60%–75%"
 */
export function describeExpect(r: SloResult): string {
  if (r.expect === undefined) return ""
  const within = r.expect.within === undefined ? "" : ` within ${formatValue(r.expect.within[0], r.unit)}–${formatValue(r.expect.within[1], r.unit)}`
  return `expect ${r.expect.breach ? "breach" : "held"}${within}`
}

/**
 * The verdict in words: "held", "breached as expected", or "unexpected: <why>".
 *
 * @example
 * describeVerdict(result) // "unexpected: held; expected a breach"
 */
export function describeVerdict(r: SloResult): string {
  const v = verdictOf(r)
  if (v === "held") return "held"
  if (v === "expected") return "breached as expected"
  return `unexpected: ${r.why ?? (r.ok ? "held" : "breached")}`
}

/**
 * One line naming every SLO with an unexpected verdict, for stderr when `run` exits 1.
 *
 * @example
 * breachLine("mm1", results) // "error: mm1: 1 of 2 SLOs unexpected: ping.latency.mean below 1ms: breached (measured 19.6ms)"
 */
export function breachLine(scenario: string, results: ReadonlyArray<SloResult>): string {
  const unexpected = results.filter((r) => verdictOf(r) === "unexpected")
  const list = unexpected.map((r) => `${describeSlo(r)}: ${describeVerdict(r).replace(/^unexpected: /, "")} (measured ${describeMeasured(r)})`).join("; ")
  return `error: ${scenario}: ${unexpected.length} of ${results.length} SLO${results.length === 1 ? "" : "s"} unexpected: ${list}`
}

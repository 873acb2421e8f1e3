/**
 * The one summary `wwsim check` prints: a row per scenario counting each SLO verdict (held, breached
 * as expected, unexpected), then each unexpected one and why, then the verdict: PASS unless something
 * was unexpected.
 */
import Table from "cli-table3"
import { describeExpect, describeMeasured, describeSlo, describeVerdict } from "../slo/format.ts"
import { type SloResult, type SloVerdict, verdictOf } from "../slo/Slo.ts"

/** One scenario's outcome in a check. */
export interface CheckRow {
  readonly file: string
  readonly name: string
  /** Absent when the simulator failed. */
  readonly slo?: ReadonlyArray<SloResult>
  /** The simulator failed on the scenario. */
  readonly crash?: { readonly message: string; readonly details: string }
  readonly wallS: number
  readonly reportFile?: string
}

const count = (slo: ReadonlyArray<SloResult>, v: SloVerdict) => slo.filter((s) => verdictOf(s) === v).length

const verdict = (r: CheckRow): string => {
  if (r.crash !== undefined) return "simulator failed"
  const slo = r.slo ?? []
  if (slo.length === 0) return "ran (no SLOs)"
  return count(slo, "unexpected") === 0 ? "pass" : "FAIL"
}

/**
 * Renders the table, the breached SLOs and the verdict line (pure).
 *
 * @example
 * console.log(renderCheckSummary(rows, 12.3, { color: false }))
 */
export function renderCheckSummary(rows: ReadonlyArray<CheckRow>, wallS: number, options: { readonly color: boolean }): string {
  const t = new Table({
    head: ["scenario", "file", "held", "expected breach", "unexpected", "verdict", "wall s"],
    colAligns: ["left", "left", "right", "right", "right", "left", "right"],
    style: { head: options.color ? ["cyan"] : [], border: options.color ? ["grey"] : [] },
  })
  for (const r of rows) {
    const slo = r.slo ?? []
    const crashed = r.crash !== undefined
    t.push([r.name, r.file, ...(["held", "expected", "unexpected"] as const).map((v) => (crashed ? "-" : String(count(slo, v)))), verdict(r), r.wallS.toFixed(2)])
  }
  const lines = [t.toString()]
  for (const r of rows) {
    for (const s of r.slo ?? []) {
      if (verdictOf(s) === "unexpected") lines.push(`✗ ${r.name}: ${describeSlo(s)}: ${describeVerdict(s)} (measured ${describeMeasured(s)}${s.expect === undefined ? "" : `; ${describeExpect(s)}`})`)
    }
    if (r.crash !== undefined) lines.push(`✗ ${r.name}: the simulator failed: ${r.crash.message}`)
  }
  const all = rows.flatMap((r) => r.slo ?? [])
  const failing = rows.filter((r) => verdict(r) === "FAIL" || r.crash !== undefined).length
  lines.push(
    `check: ${rows.length} scenario${rows.length === 1 ? "" : "s"} · ${all.length} SLOs: ${count(all, "held")} held, ` +
    `${count(all, "expected")} breached as expected, ${count(all, "unexpected")} unexpected · ` +
    (failing === 0 ? "PASS" : `FAIL (${failing} scenario${failing === 1 ? "" : "s"})`) + ` · ${wallS.toFixed(2)} s`,
  )
  return lines.join("\n")
}

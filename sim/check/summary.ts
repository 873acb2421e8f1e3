/**
 * The one summary `wwsim check` prints: a row per scenario, then each breached SLO, then the verdict.
 */
import Table from "cli-table3"
import { describeMeasured, describeSlo } from "../slo/format.ts"
import type { SloResult } from "../slo/Slo.ts"

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

const verdict = (r: CheckRow): string => {
  if (r.crash !== undefined) return "simulator failed"
  const slo = r.slo ?? []
  if (slo.length === 0) return "ran (no SLOs)"
  return slo.every((s) => s.ok) ? "pass" : "FAIL"
}

/**
 * Renders the table, the breached SLOs and the verdict line (pure).
 *
 * @example
 * console.log(renderCheckSummary(rows, 12.3, { color: false }))
 */
export function renderCheckSummary(rows: ReadonlyArray<CheckRow>, wallS: number, options: { readonly color: boolean }): string {
  const t = new Table({
    head: ["scenario", "file", "SLOs held", "verdict", "wall s"],
    colAligns: ["left", "left", "right", "left", "right"],
    style: { head: options.color ? ["cyan"] : [], border: options.color ? ["grey"] : [] },
  })
  for (const r of rows) {
    const slo = r.slo ?? []
    t.push([r.name, r.file, r.crash !== undefined ? "-" : `${slo.filter((s) => s.ok).length}/${slo.length}`, verdict(r), r.wallS.toFixed(2)])
  }
  const lines = [t.toString()]
  for (const r of rows) {
    for (const s of r.slo ?? []) if (!s.ok) lines.push(`✗ ${r.name}: ${describeSlo(s)}: measured ${describeMeasured(s)}`)
    if (r.crash !== undefined) lines.push(`✗ ${r.name}: the simulator failed: ${r.crash.message}`)
  }
  const all = rows.flatMap((r) => r.slo ?? [])
  const failing = rows.filter((r) => verdict(r) === "FAIL" || r.crash !== undefined).length
  lines.push(
    `check: ${rows.length} scenario${rows.length === 1 ? "" : "s"} · ${all.filter((s) => s.ok).length} of ${all.length} SLOs hold · ` +
    (failing === 0 ? "PASS" : `FAIL (${failing} scenario${failing === 1 ? "" : "s"})`) + ` · ${wallS.toFixed(2)} s`,
  )
  return lines.join("\n")
}

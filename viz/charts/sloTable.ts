/**
 * The SLO table: each objective, its target (and what the scenario expects), the measured value and
 * the verdict — held, breached as expected, or unexpected; or a note that the scenario has none.
 */
import { select } from "d3"
import type { Report } from "../../sim/report/Report.ts"
import { sloRows } from "../slo.ts"

export interface SloData {
  readonly report: Report
}

/**
 * Renders the report's `slo` entries into `element`.
 *
 * @example
 * sloTable(div, { report }, {}) // "no SLOs in this scenario" when `report.slo` is absent
 */
export function sloTable(element: HTMLElement, data: SloData, _options: Record<string, never> = {}): void {
  const root = select(element)
  root.selectAll("*").remove()
  const rows = sloRows(data.report)
  if (rows === undefined) {
    root.append("p").attr("class", "note slo-none").text("no SLOs in this scenario")
    return
  }
  const table = root.append("table").attr("class", "slo")
  table.append("thead").append("tr").selectAll("th").data(["objective", "target", "value", "over", ""]).join("th").text((d) => d)
  const tr = table.append("tbody").selectAll("tr").data(rows).join("tr")
    .attr("class", (r) => (r.verdict === "held" ? "slo-ok" : r.verdict === "expected" ? "slo-expected" : r.verdict === "unexpected" ? "slo-breached" : "slo-unknown"))
  tr.append("td").text((r) => r.metric)
  tr.append("td").text((r) => r.target)
  tr.append("td").attr("class", "num").text((r) => r.value)
  tr.append("td").text((r) => r.scope)
  tr.append("td").text((r) => r.verdictText)
}

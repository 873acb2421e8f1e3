/**
 * The requests table: per kind, the window's counts and latency percentiles; with a baseline, the
 * baseline's p50/p99 and the change, so a comparison reads in numbers as well as lines.
 */
import { select } from "d3"
import type { Report } from "../../sim/report/Report.ts"
import { ms, num } from "../format.ts"

export interface RequestsData {
  readonly report: Report
  readonly baseline?: Report
}

/**
 * The relative change from `base` to `value` as text: `+12%`, `−3%`, `±0%`; `–` when undefined.
 *
 * @example
 * change(110, 100) // "+10%"
 */
export function change(value: number | undefined, base: number | undefined): string {
  if (value === undefined || base === undefined || !Number.isFinite(value) || !Number.isFinite(base) || base === 0) return "–"
  const d = Math.round(((value - base) / base) * 100)
  return d === 0 ? "±0%" : d > 0 ? `+${d}%` : `−${-d}%`
}

/**
 * Renders the table into `element`.
 *
 * @example
 * requestsTable(div, { report, baseline })
 */
export function requestsTable(element: HTMLElement, data: RequestsData): void {
  const root = select(element)
  root.selectAll("*").remove()
  const kinds = Object.entries(data.report.requests)
  const head = ["kind", "issued", "ok", "failed", "rejected", "p50", "p95", "p99", "max"]
  if (data.baseline) head.push("baseline p50", "baseline p99", "p99 change")
  const table = root.append("table").attr("class", "requests")
  table.append("thead").append("tr").selectAll("th").data(head).join("th").text((d) => d)
  const tr = table.append("tbody").selectAll("tr").data(kinds).join("tr")
  tr.selectAll("td")
    .data(([kind, k]) => {
      const l = k.latencyMs
      const cells: Array<string> = [kind, num(k.issued), num(k.ok), num(k.failed), num(k.rejected), ms(l?.p50), ms(l?.p95), ms(l?.p99), ms(l?.max)]
      if (data.baseline) {
        const b = data.baseline.requests[kind]?.latencyMs
        cells.push(ms(b?.p50), ms(b?.p99), change(l?.p99, b?.p99))
      }
      return cells
    })
    .join("td")
    .attr("class", (_d, i) => (i === 0 ? null : "num"))
    .text((d) => d)
}

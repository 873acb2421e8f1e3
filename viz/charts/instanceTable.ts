/**
 * One service expanded to its instances: each instance's window figures (served, rejected,
 * utilization, queue depth, queue wait). The report keeps these per instance as window totals;
 * its time series are per service.
 */
import { select } from "d3"
import type { Report } from "../../sim/report/Report.ts"
import { num, pct } from "../format.ts"

export interface InstanceData {
  readonly report: Report
  readonly service: string
}

/**
 * Renders the instance table of `data.service` into `element` (a note when the service is unknown).
 *
 * @example
 * instanceTable(div, { report, service: "wwlproxy" })
 */
export function instanceTable(element: HTMLElement, data: InstanceData): void {
  const root = select(element)
  root.selectAll("*").remove()
  const svc = data.report.services[data.service]
  if (svc === undefined) return
  const rows = Object.entries(svc.instances ?? {})
  root.append("h3").text(`${data.service}: ${rows.length} instance${rows.length === 1 ? "" : "s"} (window figures)`)
  const table = root.append("table").attr("class", "instances")
  table.append("thead").append("tr").selectAll("th")
    .data(["instance", "served", "rejected", "utilization", "queue mean", "queue max", "wait p99 ms"])
    .join("th").text((d) => d)
  table.append("tbody").selectAll("tr").data(rows).join("tr")
    .selectAll("td")
    .data(([name, s]) => [name, num(s.served), num(s.rejected), pct(s.utilization), num(s.queueDepth?.mean), num(s.queueDepth?.max), num(s.queueWaitMs?.p99)])
    .join("td")
    .attr("class", (_d, i) => (i === 0 ? null : "num"))
    .text((d) => d)
}

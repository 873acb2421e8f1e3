/**
 * The return-code table: per request kind, how many requests ended with each code (the terminal
 * summary's "return codes"), with each code's meaning in its header.
 */
import { select } from "d3"
import type { Report } from "../../sim/report/Report.ts"
import { codeTable, CODE_MEANING } from "../codes.ts"
import { num, pct } from "../format.ts"

export interface CodesData {
  readonly report: Report
}

/** A share as a percentage, two decimals at most: `<0.01%` rather than `0.000374%`. */
const share = (f: number): string => (f < 0.0001 ? "<0.01%" : pct(f, f < 0.01 ? 2 : 3))

/**
 * Renders the table into `element`; a cell shows the count and, for a failure, its share of the
 * kind's requests.
 *
 * @example
 * codesTable(div, { report })
 */
export function codesTable(element: HTMLElement, data: CodesData): void {
  const root = select(element)
  root.selectAll("*").remove()
  const { codes, rows } = codeTable(data.report)
  if (rows.length === 0) return
  if (codes.every((c) => c === "0")) {
    root.append("p").attr("class", "note codes-none").text("Return codes: every request ended ok (0).")
    return
  }
  const table = root.append("table").attr("class", "codes")
  const head = table.append("thead").append("tr")
  head.append("th").text("return code")
  const th = head.selectAll("th.code").data(codes).join("th").attr("class", "code num").attr("data-code", (c) => c)
  th.append("div").text((c) => c)
  th.append("div").attr("class", "code-meaning").text((c) => CODE_MEANING[c] ?? "")
  const tr = table.append("tbody").selectAll("tr").data(rows).join("tr").attr("data-kind", (r) => r.kind)
  tr.append("td").text((r) => r.kind)
  tr.selectAll("td.num")
    .data((r) => r.counts.map((n, i) => ({ n, code: codes[i], issued: r.issued })))
    .join("td")
    .attr("class", (d) => `num${d.code !== "0" && d.n > 0 ? " code-failed" : ""}`)
    .text((d) => (d.code === "0" || d.n === 0 || d.issued === 0 ? num(d.n) : `${num(d.n)} (${share(d.n / d.issued)})`))
}

/**
 * The deployment as a picture: tiers as columns (users, then each host class), hosts as boxes
 * coloured by their most-used resource (darker when closer to its limit, dashed red when it was
 * down), and edges between neighbouring tiers as widths proportional to traffic where the report
 * lets us derive it (see `topology.ts` for what is derivable).
 */
import { interpolateRgb, max, scaleSqrt, select } from "d3"
import type { Report } from "../../sim/report/Report.ts"
import { num, pct } from "../format.ts"
import { RESOURCE_COLORS, topology } from "../topology.ts"
import type { Resource } from "../topology.ts"
import { legend } from "./legend.ts"

export interface TopologyData {
  readonly report: Report
}

export interface TopologyOptions {
  readonly width: number
}

const BOX_H = 44
const GAP = 8
const HEAD = 28

const shorten = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s)

/** Box fill: the resource's hue, from pale (idle) to full (at its limit). */
export const boxFill = (r: Resource, frac: number): string =>
  interpolateRgb("#ffffff", RESOURCE_COLORS[r])(0.12 + 0.88 * Math.min(1, Math.max(0, frac)))

/**
 * Draws the topology into `element`: `g.tier` columns holding `g.host` boxes, and `path.edge`s.
 *
 * @example
 * topologyChart(div, { report }, { width: 900 })
 */
export function topologyChart(element: HTMLElement, data: TopologyData, options: TopologyOptions): void {
  const root = select(element)
  root.selectAll("*").remove()
  const topo = topology(data.report)
  legend(root.append("div").node()!, (Object.keys(RESOURCE_COLORS) as Resource[]).map((r) => ({ id: r, label: r, color: RESOURCE_COLORS[r] })))

  const tallest = max(topo.tiers, (t) => t.hosts.length) ?? 1
  const height = HEAD + Math.max(1, tallest) * (BOX_H + GAP) + 24
  const colW = options.width / topo.tiers.length
  const boxW = Math.min(190, colW - 60)
  const cx = (i: number) => colW * i + colW / 2
  const tierTop = (n: number) => HEAD + ((tallest - Math.max(1, n)) * (BOX_H + GAP)) / 2
  const svg = root.append("svg")
    .attr("class", "topology")
    .attr("width", options.width)
    .attr("height", height)
    .attr("viewBox", `0 0 ${options.width} ${height}`)

  // edges first, under the boxes: a band from one column's centre to the next
  const widest = max(topo.edges, (e) => e.mbps ?? 0) ?? 0
  const width = scaleSqrt().domain([0, widest > 0 ? widest : 1]).range([1, 26])
  const mid = HEAD + (tallest * (BOX_H + GAP)) / 2
  const edges = svg.append("g").attr("class", "edges")
  for (const e of topo.edges) {
    const x0 = cx(e.from) + (e.from === 0 ? 24 : boxW / 2)
    const x1 = cx(e.to) - boxW / 2
    edges.append("path")
      .attr("class", e.mbps === null ? "edge edge-unknown" : "edge")
      .attr("data-mbps", e.mbps ?? "")
      .attr("d", `M${x0},${mid} C${(x0 + x1) / 2},${mid} ${(x0 + x1) / 2},${mid} ${x1},${mid}`)
      .attr("stroke-width", e.mbps === null ? 1 : width(e.mbps))
      .append("title").text(`${e.mbps === null ? "traffic unknown" : `${num(e.mbps)} Mbps`}: ${e.basis}`)
    edges.append("text")
      .attr("class", "edge-label")
      .attr("x", (x0 + x1) / 2)
      .attr("y", mid - (e.mbps === null ? 1 : width(e.mbps)) / 2 - 6)
      .attr("text-anchor", "middle")
      .text(e.mbps === null ? "?" : `${num(e.mbps)} Mbps`)
  }

  const tiers = svg.selectAll("g.tier")
    .data(topo.tiers)
    .join("g")
    .attr("class", "tier")
    .attr("data-tier", (t) => t.name)
    .attr("transform", (_t, i) => `translate(${cx(i)},0)`)
  tiers.append("text").attr("class", "tier-name").attr("y", 16).attr("text-anchor", "middle").text((t) => t.name)
  tiers.filter((t) => t.name === "users" && t.hosts.length === 0)
    .append("circle").attr("class", "users").attr("cy", mid).attr("r", 22)

  const hosts = tiers.selectAll("g.host")
    .data((t) => t.hosts.map((h, j) => ({ h, y: tierTop(t.hosts.length) + j * (BOX_H + GAP) })))
    .join("g")
    .attr("class", "host")
    .attr("data-host", (d) => d.h.name)
    .attr("data-top", (d) => d.h.top)
    .attr("transform", (d) => `translate(${-boxW / 2},${d.y})`)
  hosts.append("rect")
    .attr("class", (d) => (d.h.downS > 0 ? "host-box host-down" : "host-box"))
    .attr("width", boxW)
    .attr("height", BOX_H)
    .attr("rx", 4)
    .attr("fill", (d) => boxFill(d.h.top, d.h.topFrac))
  hosts.append("text").attr("class", "host-name").attr("x", 6).attr("y", 15).text((d) => shorten(d.h.name, 24))
  hosts.append("text").attr("class", "host-use").attr("x", 6).attr("y", 30)
    .text((d) => `${d.h.top} ${pct(d.h.topFrac)}${d.h.downS > 0 ? ` · down ${num(d.h.downS)} s` : ""}`)
  hosts.append("text").attr("class", "host-services").attr("x", 6).attr("y", 41)
    .text((d) => shorten(d.h.services.length === 0 ? "" : d.h.services.length <= 2 ? d.h.services.join(", ") : `${d.h.services.length} services`, 30))
  hosts.append("title").text((d) =>
    [
      d.h.name,
      ...Object.entries(d.h.use).map(([r, f]) => `${r}: ${pct(f)} of its limit (window mean)`),
      d.h.downS > 0 ? `down ${num(d.h.downS)} s of the window` : "",
      d.h.services.length > 0 ? `services: ${d.h.services.join(", ")}` : "",
    ].filter((s) => s !== "").join("\n"))

  root.append("p").attr("class", "note").text(
    "Boxes: the host's most-used resource over the window (mean, as a share of its limit), darker when closer to the limit; dashed red: down during a fault. " +
    "Edges: users ↔ first tier is the users' traffic (up + down); a later edge is sized by the NIC traffic into that tier, which also counts replies from tiers further on — the report has no per-edge traffic between tiers.",
  )
}

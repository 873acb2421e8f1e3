/**
 * Hosts × time: one row per host, each cell the step's use of the chosen resource (CPU, NIC, ports
 * or disk) as a fraction of its limit, darker when busier. Fault windows are outlined across rows.
 */
import { axisBottom, axisLeft, bisector, format, interpolateYlOrRd, pointer, scaleBand, scaleLinear, scaleSequential, select } from "d3"
import type { ScaleBand, Selection } from "d3"
import type { Report } from "../../sim/report/Report.ts"
import type { Band } from "../faults.ts"
import { num, pct } from "../format.ts"
import { HEAT_METRICS, heatRows } from "../heat.ts"
import type { HeatMetric, HeatRow } from "../heat.ts"
import { timeFrame } from "./timeFrame.ts"
import type { TimeFrame } from "./timeFrame.ts"

export interface HeatmapData {
  readonly report: Report
}

export interface HeatmapOptions {
  readonly width: number
  readonly metric: HeatMetric
  readonly domain: readonly [number, number]
  readonly bands: ReadonlyArray<Band>
  readonly onZoom?: (domain: readonly [number, number] | null) => void
  /** Height of one host's row, px. */
  readonly rowHeight?: number
}

/**
 * The colour of a fraction of a limit: linear from pale (idle) to dark red (at or above the limit),
 * so a colour's darkness is the share of the limit it reads as on the labelled key — 16% CPU is
 * pale, not orange as a square-root ramp made it.
 */
export const heatColor = scaleSequential(interpolateYlOrRd).domain([0, 1]).clamp(true)

let gradientIds = 0

/** The colour key: the ramp with ticks at 0–100% of the limit, and what the limit is. */
function colourKey(root: ReturnType<typeof select<HTMLElement, unknown>>, label: string, bases: string): void {
  const width = 240
  const key = root.append("div").attr("class", "heat-key")
  const svg = key.append("svg").attr("class", "heat-scale").attr("width", width + 16).attr("height", 30)
  const id = `wwsim-heat-${++gradientIds}`
  svg.append("defs").append("linearGradient").attr("id", id)
    .selectAll("stop")
    .data([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1])
    .join("stop")
    .attr("offset", (f) => `${f * 100}%`)
    .attr("stop-color", (f) => heatColor(f))
  const g = svg.append("g").attr("transform", "translate(8,2)")
  g.append("rect").attr("width", width).attr("height", 10).attr("fill", `url(#${id})`).attr("stroke", "#e5e7eb")
  g.append("g").attr("class", "axis").attr("transform", "translate(0,10)")
    .call(axisBottom(scaleLinear().domain([0, 1]).range([0, width])).tickValues([0, 0.25, 0.5, 0.75, 1]).tickFormat(format(".0%")).tickSize(4))
  key.append("span").text(`${label}, as a share of each host's limit (${bases}); linear. Each cell is the busiest step it covers. Hosts without a ${label} series are not shown.`)
}

const shorten = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s)

/**
 * Draws the heatmap into `element`. Cells are `rect.cell` with `data-host`; the number of columns
 * is bounded by the width (about one per 3 px), so long runs stay light.
 *
 * @example
 * heatmap(div, { report }, { width: 900, metric: "cpu", domain: [0, 210], bands: faultBands(report) })
 */
export function heatmap(element: HTMLElement, data: HeatmapData, options: HeatmapOptions): void {
  const root = select(element)
  root.selectAll("*").remove()
  const label = HEAT_METRICS.find((m) => m.key === options.metric)?.label ?? options.metric
  const margin = { left: 110, right: 24, top: 18, bottom: 24 }
  const plotWidth = Math.max(40, options.width - margin.left - margin.right)
  // cells over the visible steps only, binned to the pixels available
  const t = data.report.series.t
  const span = Math.max(1e-9, options.domain[1] - options.domain[0])
  const fullSpan = Math.max(1e-9, t.length === 0 ? 1 : t[t.length - 1] + data.report.series.stepS - t[0])
  const columns = Math.max(1, Math.floor((plotWidth / 3) * (fullSpan / span)))
  const rows = heatRows(data.report, options.metric, columns)
  if (rows.length === 0) {
    root.append("p").attr("class", "note").text(`no host in this report has a ${label} series`)
    return
  }
  const rowHeight = options.rowHeight ?? (rows.length > 24 ? 12 : 18)
  const chart = root.append("div").attr("class", "chart").node()!
  const frame = timeFrame(chart, {
    width: options.width,
    height: rows.length * rowHeight + margin.top + margin.bottom,
    margin,
    domain: options.domain,
    bands: [],
    onZoom: options.onZoom,
  })
  const y = scaleBand<string>().domain(rows.map((r) => r.host)).range([0, frame.innerHeight]).paddingInner(0.08)
  frame.inner.insert("g", ".plot").attr("class", "axis axis-y")
    .call(axisLeft(y).tickFormat((h) => shorten(h, 16)))
    .selectAll<SVGTextElement, string>(".tick text")
    .append("title").text((h) => `${h} (${rows.find((r) => r.host === h)?.hostClass ?? ""})`)

  const x = frame.x
  const rowGroups = frame.plot.selectAll("g.heat-row")
    .data(rows)
    .join("g")
    .attr("class", "heat-row")
    .attr("data-host", (r) => r.host)
    .attr("transform", (r) => `translate(0,${y(r.host) ?? 0})`)
  rowGroups.selectAll("rect.cell")
    .data((r) => r.cells.filter((c) => c.toS > options.domain[0] && c.fromS < options.domain[1]).map((c) => ({ r, c })))
    .join("rect")
    .attr("class", "cell")
    .attr("x", ({ c }) => x(c.fromS))
    .attr("width", ({ c }) => Math.max(1, x(c.toS) - x(c.fromS) + 0.5))
    .attr("height", y.bandwidth())
    .attr("fill", ({ c }) => heatColor(c.frac))
  hoverReadout(chart, frame, rows, y)

  // fault windows: outlined over the rows, labelled above
  const visible = options.bands.filter((b) => b.kind === "fault" && b.toS > options.domain[0] && b.fromS < options.domain[1])
  frame.plot.selectAll("rect.band-outline")
    .data(visible)
    .join("rect")
    .attr("class", "band band-outline")
    .attr("x", (b) => x(Math.max(b.fromS, options.domain[0])))
    .attr("width", (b) => Math.max(1, x(Math.min(b.toS, options.domain[1])) - x(Math.max(b.fromS, options.domain[0]))))
    .attr("y", 0)
    .attr("height", frame.innerHeight)
  frame.front.selectAll("text.band-label")
    .data(visible)
    .join("text")
    .attr("class", "band-label band-label-fault")
    .attr("x", (b) => x(Math.max(b.fromS, options.domain[0])) + 3)
    .attr("y", -4)
    .text((b) => b.label)

  colourKey(root, label, [...new Set(rows.map((r) => r.basis))].join("; "))
}

const byFrom = bisector((c: { readonly fromS: number }) => c.fromS)

/** One tooltip for the whole grid (not a `<title>` per cell): host, time and value under the pointer. */
function hoverReadout(element: HTMLElement, frame: TimeFrame, rows: ReadonlyArray<HeatRow>, y: ScaleBand<string>): void {
  const tip = select(element).append("div").attr("class", "tooltip").style("display", "none")
  const brush = frame.front.select<SVGElement>(".brush")
  const target = (brush.empty() ? frame.svg : brush) as unknown as Selection<SVGElement, unknown, null, undefined>
  target
    .on("pointermove.readout", (event: PointerEvent) => {
      const [px, py] = pointer(event, frame.front.node())
      const row = rows.find((r) => {
        const top = y(r.host) ?? -1
        return py >= top && py < top + y.step()
      })
      const t = frame.x.invert(px)
      const cell = row?.cells[Math.max(0, byFrom.right(row.cells, t) - 1)]
      if (row === undefined || cell === undefined) {
        tip.style("display", "none")
        return
      }
      tip.style("display", null).selectAll("*").remove()
      tip.append("div").attr("class", "tooltip-time").text(`${row.host} · ${Math.round(cell.fromS)}–${Math.round(cell.toS)} s`)
      tip.append("div").text(`${num(cell.value)}${row.unit.startsWith("%") ? "" : " "}${row.unit}`)
      tip.append("div").text(`${pct(cell.frac)} ${row.basis}`)
      const left = frame.margin.left + px + 12
      tip.style("left", `${left > frame.innerWidth - 100 ? left - 230 : left}px`).style("top", `${frame.margin.top + py + 8}px`)
    })
    .on("pointerleave.readout", () => tip.style("display", "none"))
}

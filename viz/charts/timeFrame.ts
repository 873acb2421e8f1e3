/**
 * The scaffold every time chart shares: an SVG with a run-time x axis (clock labels), the shaded
 * fault and warm-up bands with their labels, a clipped plot layer, and brush-to-zoom.
 */
import { axisBottom, brushX, scaleLinear, scaleUtc, select } from "d3"
import type { ScaleLinear, Selection } from "d3"
import type { Band } from "../faults.ts"
import { clock } from "../format.ts"

export interface Margin {
  readonly top: number
  readonly right: number
  readonly bottom: number
  readonly left: number
}

export interface TimeFrameOptions {
  readonly width: number
  readonly height: number
  readonly margin?: Partial<Margin>
  /** Visible run time, seconds from the start of the run. */
  readonly domain: readonly [number, number]
  readonly bands: ReadonlyArray<Band>
  /** Called with the brushed interval, or null on double-click (reset). No brush when absent. */
  readonly onZoom?: (domain: readonly [number, number] | null) => void
}

export interface TimeFrame {
  readonly svg: Selection<SVGSVGElement, unknown, null, undefined>
  /** The plot area's group (translated by the margins); axes go here. */
  readonly inner: Selection<SVGGElement, unknown, null, undefined>
  /** Behind the data: bands. */
  readonly back: Selection<SVGGElement, unknown, null, undefined>
  /** The data layer, clipped to the plot area. */
  readonly plot: Selection<SVGGElement, unknown, null, undefined>
  /** Above the data: band labels, brush, hover rule. */
  readonly front: Selection<SVGGElement, unknown, null, undefined>
  readonly x: ScaleLinear<number, number>
  readonly innerWidth: number
  readonly innerHeight: number
  readonly margin: Margin
}

let clipIds = 0

/**
 * Clock-friendly tick positions (in seconds) for a run-time axis: d3's time ticks of a UTC scale
 * over the same seconds, so ticks land on whole seconds, minutes or hours.
 *
 * @example
 * timeTicks([0, 210], 5) // [0, 60, 120, 180] (whole minutes)
 */
export function timeTicks(domain: readonly [number, number], count: number): number[] {
  return scaleUtc()
    .domain([new Date(domain[0] * 1000), new Date(domain[1] * 1000)])
    .ticks(count)
    .map((d) => d.getTime() / 1000)
}

/**
 * Creates the frame inside `element` (which it empties first).
 *
 * @example
 * const f = timeFrame(div, { width: 800, height: 200, domain: [0, 210], bands: faultBands(report) })
 * f.plot.append("path")…
 */
export function timeFrame(element: Element, options: TimeFrameOptions): TimeFrame {
  const margin: Margin = { top: 18, right: 24, bottom: 24, left: 56, ...options.margin }
  const innerWidth = Math.max(40, options.width - margin.left - margin.right)
  const innerHeight = Math.max(20, options.height - margin.top - margin.bottom)
  const root = select(element)
  root.selectAll("*").remove()

  const svg = root.append("svg")
    .attr("class", "time-chart")
    .attr("width", options.width)
    .attr("height", options.height)
    .attr("viewBox", `0 0 ${options.width} ${options.height}`)
  const clipId = `wwsim-clip-${++clipIds}`
  svg.append("defs").append("clipPath").attr("id", clipId)
    .append("rect").attr("width", innerWidth).attr("height", innerHeight)

  const g = svg.append("g").attr("transform", `translate(${margin.left},${margin.top})`)
  const x = scaleLinear().domain(options.domain).range([0, innerWidth])

  const back = g.append("g").attr("class", "back").attr("clip-path", `url(#${clipId})`)
  g.append("g")
    .attr("class", "axis axis-x")
    .attr("transform", `translate(0,${innerHeight})`)
    .call(axisBottom(x).tickValues(timeTicks(options.domain, Math.max(2, Math.floor(innerWidth / 90)))).tickFormat((s) => clock(Number(s))))
  const plot = g.append("g").attr("class", "plot").attr("clip-path", `url(#${clipId})`)
  const front = g.append("g").attr("class", "front")

  const visible = options.bands.filter((b) => b.toS > options.domain[0] && b.fromS < options.domain[1])
  back.selectAll("rect.band")
    .data(visible)
    .join("rect")
    .attr("class", (b) => `band band-${b.kind}`)
    .attr("x", (b) => x(Math.max(b.fromS, options.domain[0])))
    .attr("width", (b) => Math.max(1, x(Math.min(b.toS, options.domain[1])) - x(Math.max(b.fromS, options.domain[0]))))
    .attr("y", 0)
    .attr("height", innerHeight)
  front.selectAll("text.band-label")
    .data(visible)
    .join("text")
    .attr("class", (b) => `band-label band-label-${b.kind}`)
    .attr("x", (b) => x(Math.max(b.fromS, options.domain[0])) + 3)
    // an outage usually starts where its fault does: its label goes on a second line
    .attr("y", (b) => (b.kind === "outage" ? 24 : 11))
    .text((b) => b.label)

  if (options.onZoom !== undefined) {
    const onZoom = options.onZoom
    const brush = brushX<unknown>()
      .extent([[0, 0], [innerWidth, innerHeight]])
      .on("end", (event: { selection: [number, number] | null; sourceEvent?: unknown }) => {
        if (event.selection === null || event.sourceEvent === undefined) return
        const [a, b] = event.selection.map((px) => x.invert(px))
        if (b - a > 0) onZoom([a, b])
      })
    front.append("g").attr("class", "brush").call(brush)
    svg.on("dblclick", () => onZoom(null))
  }
  return { svg, inner: g, back, plot, front, x, innerWidth, innerHeight, margin }
}

/**
 * A time chart of lines: y axis (linear, log or symlog), one path per line (gaps where a step has
 * no data), and a hover read-out of every line's value at the pointer. The latency, throughput and
 * service charts are built on it.
 */
import { axisLeft, bisector, line as d3line, pointer, scaleLinear, scaleLog, scaleSymlog, select } from "d3"
import type { ScaleContinuousNumeric, Selection } from "d3"
import type { Line } from "../lines.ts"
import { timeFrame } from "./timeFrame.ts"
import type { TimeFrameOptions } from "./timeFrame.ts"

export type YScale = "linear" | "log" | "symlog"

export interface LineChartOptions extends TimeFrameOptions {
  readonly y: YScale
  /** Axis title, e.g. `ms`. */
  readonly yLabel: string
  readonly yFormat: (v: number) => string
  /** Line ids not to draw. */
  readonly hidden?: ReadonlySet<string>
  /** Said over the plot when every value drawn is 0, so a flat line at zero is not mistaken for a blank chart. */
  readonly zeroNote?: string
  /** Events to mark along the plot's top edge (e.g. timed-out tries): a tick per step, its title the text. */
  readonly marks?: { readonly className: string; readonly color: string; readonly points: ReadonlyArray<{ readonly t: number; readonly text: string }> }
}

const byT = bisector((t: number) => t)

/**
 * The index range of `t` to draw for `domain`: the points inside plus one either side, so lines
 * run to the edges when zoomed.
 *
 * @example
 * visibleRange([0, 1, 2, 3, 4], [1.5, 2.5]) // [1, 4]
 */
export function visibleRange(t: ReadonlyArray<number>, domain: readonly [number, number]): readonly [number, number] {
  const i0 = Math.max(0, byT.left(t, domain[0]) - 1)
  const i1 = Math.min(t.length, byT.right(t, domain[1]) + 1)
  return [i0, i1]
}

/**
 * The y domain for `lines` over the visible range: from 0 (or the smallest positive value on a log
 * scale) to the largest value, never empty.
 *
 * @example
 * yDomain([{ id: "a", label: "a", color: "", t: [0, 1], y: [2, 8] }], [0, 1], "linear") // [0, 8]
 */
export function yDomain(lines: ReadonlyArray<Line>, domain: readonly [number, number], y: YScale): readonly [number, number] {
  let lo = Infinity
  let hi = 0
  for (const l of lines) {
    const [i0, i1] = visibleRange(l.t, domain)
    for (let i = i0; i < i1; i++) {
      const v = l.y[i]
      if (v === null || v === undefined || !Number.isFinite(v)) continue
      if (v > hi) hi = v
      if (v > 0 && v < lo) lo = v
    }
  }
  if (y === "log") {
    if (!Number.isFinite(lo)) return [0.1, 1]
    return [lo, Math.max(hi, lo * 10)]
  }
  return [0, hi > 0 ? hi : 1]
}

/**
 * Tick values for a symlog axis over [0, hi]: 0 and the powers of ten up to `hi` (with their 3×
 * between when there are few decades), so 1, 10 and 10,000 all get a labelled line.
 *
 * @example
 * symlogTicks(15000) // [0, 1, 10, 100, 1000, 10000]
 * symlogTicks(40) // [0, 1, 3, 10, 30]
 */
export function symlogTicks(hi: number): number[] {
  if (!(hi >= 1)) return [0]
  const decades = Math.floor(Math.log10(hi))
  const ticks = [0]
  for (let k = 0; k <= decades; k++) {
    ticks.push(10 ** k)
    if (decades < 3 && 3 * 10 ** k <= hi) ticks.push(3 * 10 ** k)
  }
  return ticks
}

/** `ticks` without those closer than `px` pixels to the last one kept (0 and 1 crowd on symlog). */
function spaced(ticks: ReadonlyArray<number>, y: (v: number) => number, px: number): number[] {
  const kept: number[] = []
  for (const v of ticks) if (kept.length === 0 || Math.abs(y(v) - y(kept[kept.length - 1])) >= px) kept.push(v)
  return kept
}

/**
 * Draws `lines` into `element`. Paths carry `data-series` (the line id) and `data-points` (how
 * many points with data they draw), which the end-to-end test counts.
 *
 * @example
 * lineChart(div, latencyLines(report, "sendmsg"), { width: 800, height: 220, domain: [0, 210], bands: [], y: "log", yLabel: "ms", yFormat: String })
 */
export function lineChart(element: HTMLElement, lines: ReadonlyArray<Line>, options: LineChartOptions): void {
  const frame = timeFrame(element, options)
  const { x, plot, front, innerWidth, innerHeight } = frame
  const shown = lines.filter((l) => !options.hidden?.has(l.id))
  const [lo, hi] = yDomain(shown, options.domain, options.y)
  const y: ScaleContinuousNumeric<number, number> = (options.y === "log" ? scaleLog() : options.y === "symlog" ? scaleSymlog() : scaleLinear())
    .domain([lo, hi])
    .range([innerHeight, 0])
  if (options.y === "linear") y.nice()

  const tickCount = Math.max(2, Math.floor(innerHeight / 40))
  // a log axis has ticks at 1…9 × 10^k; d3's own format blanks the crowded ones, ours labels the rest
  const keep = options.y === "log" ? y.tickFormat(tickCount) : () => "x"
  // d3's symlog ticks are linear ones (0, 2k, 4k…), which hide the small values symlog is chosen for
  const tickValues = options.y === "symlog" && hi >= 1 ? spaced(symlogTicks(hi), y, 12) : y.ticks(tickCount)
  const yAxis = frame.inner.insert("g", ".plot").attr("class", "axis axis-y")
  yAxis.call(axisLeft(y).tickValues(tickValues).tickFormat((v) => (keep(Number(v)) === "" ? "" : options.yFormat(Number(v)))))
  yAxis.append("text")
    .attr("class", "axis-title")
    .attr("x", -frame.margin.left + 4)
    .attr("y", -6)
    .text(options.yLabel)
  // light grid lines at the y ticks
  plot.append("g").attr("class", "grid")
    .selectAll("line")
    .data(tickValues.filter((v) => keep(v) !== ""))
    .join("line")
    .attr("x1", 0).attr("x2", innerWidth)
    .attr("y1", (v) => y(v)).attr("y2", (v) => y(v))

  const usable = (v: number | null | undefined): v is number =>
    v !== null && v !== undefined && Number.isFinite(v) && (options.y !== "log" || v > 0)
  // baselines first, so the candidate's lines are drawn on top
  const ordered = [...shown.filter((l) => l.baseline), ...shown.filter((l) => !l.baseline)]
  for (const l of ordered) {
    const [i0, i1] = visibleRange(l.t, options.domain)
    const idx = Array.from({ length: i1 - i0 }, (_, k) => i0 + k)
    const path = d3line<number>()
      .defined((i) => usable(l.y[i]))
      .x((i) => x(l.t[i]))
      .y((i) => y(l.y[i] as number))
    plot.append("path")
      .attr("class", `line${l.baseline ? " line-baseline" : ""}${l.className ? ` ${l.className}` : ""}`)
      .attr("data-series", l.id)
      .attr("data-points", idx.filter((i) => usable(l.y[i])).length)
      .attr("stroke", l.color)
      .attr("d", path(idx) ?? "")
    // a step with data between two without would vanish from the path: draw it as a dot
    const isolated = idx.filter((i) => usable(l.y[i]) && !usable(l.y[i - 1]) && !usable(l.y[i + 1]))
    if (isolated.length > 0) {
      plot.append("g")
        .attr("class", l.baseline ? "dots dots-baseline" : "dots")
        .attr("data-series", l.id)
        .attr("fill", l.color)
        .selectAll("circle")
        .data(isolated)
        .join("circle")
        .attr("class", "dot")
        .attr("r", 1.8)
        .attr("cx", (i) => x(l.t[i]))
        .attr("cy", (i) => y(l.y[i] as number))
    }
  }
  const marks = options.marks
  if (marks !== undefined && marks.points.length > 0) {
    const inView = marks.points.filter((m) => m.t >= options.domain[0] && m.t <= options.domain[1])
    plot.append("g").attr("class", `marks ${marks.className}`).attr("data-marks", inView.length)
      .selectAll("line")
      .data(inView)
      .join("line")
      .attr("x1", (m) => x(m.t)).attr("x2", (m) => x(m.t))
      .attr("y1", 0).attr("y2", 12)
      .attr("stroke", marks.color)
      .attr("stroke-width", 2)
      .append("title").text((m) => m.text)
  }
  if (shown.every((l) => l.y.every((v) => !usable(v)))) {
    front.append("text").attr("class", "empty").attr("x", innerWidth / 2).attr("y", innerHeight / 2).text("no data")
  } else if (options.zeroNote !== undefined && shown.every((l) => l.y.every((v) => !usable(v) || v === 0))) {
    front.append("text").attr("class", "empty zero-note").attr("x", innerWidth / 2).attr("y", innerHeight / 2).text(options.zeroNote)
  }
  hoverReadout(element, frame, shown, options)
}

/** A vertical rule and a tooltip listing each line's value at the step under the pointer. */
function hoverReadout(element: HTMLElement, frame: ReturnType<typeof timeFrame>, lines: ReadonlyArray<Line>, options: LineChartOptions): void {
  const { x, front, innerHeight, margin } = frame
  const rule = front.append("line").attr("class", "hover-rule").attr("y1", 0).attr("y2", innerHeight).style("display", "none")
  const tip = select(element).append("div").attr("class", "tooltip").style("display", "none")
  const brush = front.select<SVGElement>(".brush")
  const target: Selection<SVGElement, unknown, null, undefined> = brush.empty() ? (frame.svg as unknown as Selection<SVGElement, unknown, null, undefined>) : brush
  target
    .on("pointermove.readout", (event: PointerEvent) => {
      const [px] = pointer(event, front.node())
      const t = x.invert(px)
      rule.style("display", null).attr("x1", px).attr("x2", px)
      tip.style("display", null).selectAll("*").remove()
      const first = lines[0]
      if (first === undefined) return
      const i = Math.min(first.t.length - 1, Math.max(0, byT.right(first.t, t) - 1))
      tip.append("div").attr("class", "tooltip-time").text(`t = ${Math.round(first.t[i] ?? t)} s`)
      for (const l of lines) {
        const j = Math.min(l.t.length - 1, Math.max(0, byT.right(l.t, t) - 1))
        const v = l.y[j]
        const row = tip.append("div").attr("class", "tooltip-row")
        row.append("span").attr("class", l.baseline ? "swatch swatch-baseline" : "swatch").style("background", l.color)
        row.append("span").text(`${l.label}: ${v === null || v === undefined ? "–" : options.yFormat(v)}`)
      }
      const left = margin.left + px + 12
      tip.style("left", `${left > options.width - 180 ? left - 200 : left}px`).style("top", `${margin.top}px`)
    })
    .on("pointerleave.readout", () => {
      rule.style("display", "none")
      tip.style("display", "none")
    })
}

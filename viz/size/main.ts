/**
 * The `wwsim size --html` page: a tornado chart of the assumptions (the range over which the
 * recommendation holds, the assumed value marked) and the headroom per tier over the planning
 * horizon. The data is embedded by the CLI (`<script type="application/json" id="wwsim-size">`).
 */
import { axisBottom, axisLeft, line, scaleLinear, scaleLog, select, schemeTableau10 } from "d3"
import { SIZE_DATA_ID, type SizePageData, type TornadoBar } from "../../sim/size/pageData.ts"

const data = JSON.parse(document.getElementById(SIZE_DATA_ID)?.textContent ?? "null") as SizePageData | null

const WIDTH = 1180
const LABEL = 260
const NOTE = 330
const ROW = 30

/** The bar's own axis: its range, on a log scale for multipliers and sizes. */
function axisOf(b: TornadoBar) {
  const range: [number, number] = [LABEL, WIDTH - NOTE]
  return b.log ? scaleLog().domain(b.range).range(range).clamp(true) : scaleLinear().domain(b.range).range(range).clamp(true)
}

function tornado(root: HTMLElement, bars: ReadonlyArray<TornadoBar>): void {
  // closest to flipping first: the distance from the assumed value to the break-even, on the bar's axis
  const distance = (b: TornadoBar) => {
    if (b.breakEven === null) return Infinity
    const x = axisOf(b)
    return Math.abs(x(b.breakEven) - x(b.assumed))
  }
  const sorted = [...bars].sort((a, b) => distance(a) - distance(b))
  const svg = select(root).append("svg").attr("width", WIDTH).attr("height", sorted.length * ROW + 10).attr("viewBox", `0 0 ${WIDTH} ${sorted.length * ROW + 10}`)
  sorted.forEach((b, i) => {
    const g = svg.append("g").attr("class", "row").attr("data-id", b.id).attr("transform", `translate(0, ${i * ROW + 4})`)
    const x = axisOf(b)
    g.append("title").text(`${b.label}: ${b.text}\nassumed ${b.assumedText} — ${b.source}`)
    g.append("text").attr("x", LABEL - 8).attr("y", 15).attr("text-anchor", "end").text(b.label)
    g.append("rect").attr("class", b.holds === null ? "track inert" : "track").attr("x", x(b.range[0])).attr("y", 4).attr("width", x(b.range[1]) - x(b.range[0])).attr("height", 14)
    const holds = b.holds ?? [b.range[0], b.range[0]]
    g.append("rect").attr("class", "bar").attr("data-id", b.id).attr("x", x(holds[0])).attr("y", 4).attr("width", Math.max(0, x(holds[1]) - x(holds[0]))).attr("height", 14)
    g.append("path").attr("class", "assumed").attr("d", `M${x(b.assumed)},18 l-5,8 h10 z`)
    g.append("text").attr("class", "muted").attr("x", x(b.range[0])).attr("y", 28).attr("text-anchor", "start").text(b.rangeText[0])
    g.append("text").attr("class", "muted").attr("x", x(b.range[1])).attr("y", 28).attr("text-anchor", "end").text(b.rangeText[1])
    const note = b.holds === null
      ? (b.text === "" ? "not searched (--sensitivity full)" : "no effect here")
      : b.breakEvenText === null ? "holds over the range" : `flips past ${b.breakEvenText}`
    g.append("text").attr("x", WIDTH - NOTE + 12).attr("y", 15).text(`${note} · assumed ${b.assumedText}`)
  })
}

function horizonChart(root: HTMLElement, h: NonNullable<SizePageData["horizon"]>): void {
  const height = 260
  const m = { left: 50, right: 130, top: 10, bottom: 30 }
  const svg = select(root).append("svg").attr("width", WIDTH).attr("height", height).attr("viewBox", `0 0 ${WIDTH} ${height}`)
  const x = scaleLinear().domain([0, h.months]).range([m.left, WIDTH - m.right])
  const all = h.tiers.flatMap((t) => t.headroom)
  const y = scaleLinear().domain([Math.min(-0.1, ...all), 1]).range([height - m.bottom, m.top])
  svg.append("g").attr("class", "axis").attr("transform", `translate(0, ${height - m.bottom})`).call(axisBottom(x).ticks(Math.min(12, h.months)))
  svg.append("g").attr("class", "axis").attr("transform", `translate(${m.left}, 0)`).call(axisLeft(y).ticks(6).tickFormat((v) => `${Math.round(Number(v) * 100)}%`))
  svg.append("line").attr("class", "zero").attr("x1", x(0)).attr("x2", x(h.months)).attr("y1", y(0)).attr("y2", y(0))
  svg.append("text").attr("class", "muted").attr("x", x(h.months) / 2).attr("y", height - 2).text("month")
  h.tiers.forEach((t, i) => {
    const colour = schemeTableau10[i % 10]
    const path = line<number>().x((_, k) => x(k)).y((v) => y(v))
    svg.append("path").attr("class", "tier").attr("fill", "none").attr("stroke", colour).attr("stroke-width", 2).attr("d", path(t.headroom as number[]))
    svg.append("text").attr("x", x(h.months) + 6).attr("y", y(t.headroom[t.headroom.length - 1]) + 4).attr("fill", colour).text(t.tier)
  })
}

if (data === null) {
  document.getElementById("meta")!.textContent = "no data: this page is written by `wwsim size --html FILE`"
} else {
  document.title = data.title
  document.getElementById("title")!.textContent = data.title
  const s = data.sensitivity
  document.getElementById("meta")!.textContent = [
    data.recommendation === null ? "no recommendation" : `recommendation: ${data.recommendation}`,
    s === null ? "sensitivity off" : `sensitivity ${s.mode}: ${s.simulations} simulations in ${s.wallS.toFixed(0)} s`,
    data.horizon?.first ?? "",
  ].filter((x) => x !== "").join(" · ")
  tornado(document.getElementById("tornado")!, data.bars)
  if (data.horizon !== null) horizonChart(document.getElementById("horizon")!, data.horizon)
}

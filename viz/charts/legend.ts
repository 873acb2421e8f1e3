/**
 * A legend: a swatch and a label per item, optionally clickable to hide and show lines.
 */
import { select } from "d3"

export interface LegendItem {
  readonly id: string
  readonly label: string
  readonly color: string
  readonly dashed?: boolean
  readonly hidden?: boolean
}

/**
 * Renders `items` into `element` (emptied first). With `onToggle`, each item is a button that
 * reports its id when clicked.
 *
 * @example
 * legend(div, [{ id: "p99", label: "p99", color: "#e15759" }])
 */
export function legend(element: HTMLElement, items: ReadonlyArray<LegendItem>, onToggle?: (id: string) => void): void {
  const root = select(element)
  root.selectAll("*").remove()
  root.classed("legend", true)
  const entries = root.selectAll("span.legend-item")
    .data(items)
    .join("span")
    .attr("class", (d) => `legend-item${d.hidden ? " legend-hidden" : ""}${onToggle ? " legend-toggle" : ""}`)
    .attr("data-id", (d) => d.id)
    .attr("role", onToggle ? "button" : null)
    .attr("tabindex", onToggle ? 0 : null)
    .attr("title", onToggle ? "click to hide or show" : null)
  entries.append("span")
    .attr("class", (d) => (d.dashed ? "swatch swatch-baseline" : "swatch"))
    .style("background", (d) => d.color)
  entries.append("span").attr("class", "legend-label").text((d) => d.label)
  if (onToggle) {
    entries
      .on("click", (_e, d) => onToggle(d.id))
      .on("keydown", (e: KeyboardEvent, d) => {
        if (e.key === "Enter" || e.key === " ") onToggle(d.id)
      })
  }
}

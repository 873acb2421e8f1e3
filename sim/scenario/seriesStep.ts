/**
 * The step of a run's time series, from its length and the scenario's `series.step`: read by the
 * recorder that fills the series and by whatever checks a scenario before it runs (SLOs' `every`,
 * the report budget), so neither needs the other.
 */

/** Most points a series keeps with the default step; longer runs get a coarser one. */
const MAX_POINTS = 2000

/**
 * Picks the series step: an explicit `series.step` as given (the schema holds it to at most
 * 100,000 points, and SLOs with `every:` depend on it); without one, 1 s coarsened to whole
 * seconds so a run of any length keeps at most ~2,000 points.
 */
export function seriesStep(totalS: number, requested: number | null): number {
  if (requested !== null) return requested
  return totalS <= MAX_POINTS ? 1 : Math.ceil(totalS / MAX_POINTS)
}

/**
 * The step of a run's time series, from its length and the scenario's `series.step`: read by the
 * recorder that fills the series and by whatever checks a scenario before it runs (SLOs' `every`,
 * the report budget), so neither needs the other.
 */

/** Most points a series keeps; longer runs get a coarser step. */
const MAX_POINTS = 2000

/**
 * Picks the series step: the requested one (1 s by default), coarsened to whole seconds so a run
 * of any length keeps at most ~2,000 points.
 */
export function seriesStep(totalS: number, requested: number | null): number {
  const step = requested ?? 1
  return totalS / step <= MAX_POINTS ? step : Math.ceil(totalS / MAX_POINTS)
}

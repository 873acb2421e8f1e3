/**
 * MSER-5 warm-up truncation (White 1997; White, Cobb & Spratt 2000): where to cut the start of
 * an output series so that what is left is closest to steady state. Pure.
 */

/** Where MSER-5 truncates a series. */
export interface MserResult {
  /** Observations to discard from the start: a multiple of the batch size. */
  readonly index: number
  /** Batches discarded (index / batchSize). */
  readonly batches: number
  /** Complete batches in the series (a trailing partial batch is ignored). */
  readonly totalBatches: number
  /** The minimised statistic at the cut. */
  readonly statistic: number
  /**
   * The minimum fell on the last cut considered (half the batches): the series probably never
   * settled, so a longer run is needed before the truncation can be trusted.
   */
  readonly atLimit: boolean
}

/**
 * MSER-5: average the series in batches of `batchSize` (5) consecutive observations,
 * Z_1 … Z_m, dropping a trailing partial batch; for each cut d = 0 … ⌊m/2⌋ compute
 *   MSER(d) = Σ_{j>d} (Z_j − Z̄_d)² / (m − d)²,
 * the squared standard error of the mean of what is left (up to a constant), and cut at the d
 * that minimises it (the smallest such d on ties). Only the first half is searched: near the end
 * the statistic rests on too few batches and becomes unstable. Fewer than two batches: no cut.
 *
 * @example
 * mser([10, 10, 10, 10, 10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]).index // 5
 */
export function mser(values: ReadonlyArray<number>, batchSize = 5): MserResult {
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new RangeError(`batch size must be a positive integer, got ${batchSize}`)
  const m = Math.floor(values.length / batchSize)
  if (m < 2) return { index: 0, batches: 0, totalBatches: m, statistic: 0, atLimit: false }
  const z = new Float64Array(m)
  for (let j = 0; j < m; j++) {
    let sum = 0
    for (let k = 0; k < batchSize; k++) sum += values[j * batchSize + k]
    z[j] = sum / batchSize
  }
  // Sums of squared deviations of every suffix Z_d … Z_{m−1}, by Welford's update run backwards
  // (numerically stable where the textbook Σz² − (Σz)²/n cancels).
  const ss = new Float64Array(m)
  let mean = 0
  let m2 = 0
  for (let j = m - 1, count = 1; j >= 0; j--, count++) {
    const delta = z[j] - mean
    mean += delta / count
    m2 += delta * (z[j] - mean)
    ss[j] = m2
  }
  const last = Math.floor(m / 2)
  let best = 0
  let bestStat = Infinity
  for (let d = 0; d <= last; d++) {
    const stat = ss[d] / ((m - d) * (m - d))
    if (stat < bestStat) {
      bestStat = stat
      best = d
    }
  }
  return { index: best * batchSize, batches: best, totalBatches: m, statistic: bestStat, atLimit: best === last && best > 0 }
}

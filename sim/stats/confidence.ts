/**
 * Confidence intervals over independent replications: the Student t quantile and the
 * t interval of a mean. Pure functions of numbers.
 */

/**
 * P(|T| ≤ t) for Student's t with an integer number of degrees of freedom, in closed form
 * (Abramowitz & Stegun 26.7.3 and 26.7.4), with θ = atan(t / √ν):
 *   ν = 1:       2θ/π
 *   ν odd ≥ 3:   (2/π)·(θ + sin θ·[cos θ + (2/3)·cos³θ + … + (2·4···(ν−3))/(3·5···(ν−2))·cos^(ν−2)θ])
 *   ν even:      sin θ·[1 + (1/2)·cos²θ + (1·3)/(2·4)·cos⁴θ + … + (1·3···(ν−3))/(2·4···(ν−2))·cos^(ν−2)θ]
 * Exact to rounding; O(ν) per call.
 */
function twoSidedTCdfAt(theta: number, df: number): number {
  const s = Math.sin(theta)
  const c = Math.cos(theta)
  const c2 = c * c
  if (df % 2 === 1) {
    if (df === 1) return (2 * theta) / Math.PI
    let term = c
    let sum = c
    for (let j = 1; j <= (df - 3) / 2; j++) {
      term *= ((2 * j) / (2 * j + 1)) * c2
      sum += term
    }
    return (2 / Math.PI) * (theta + s * sum)
  }
  let term = 1
  let sum = 1
  for (let j = 1; j <= (df - 2) / 2; j++) {
    term *= ((2 * j - 1) / (2 * j)) * c2
    sum += term
  }
  return s * sum
}

/**
 * The p-quantile of Student's t distribution with `df` (a positive integer) degrees of freedom:
 * the exact CDF above inverted by bisection on θ = atan(t/√ν) ∈ (0, π/2), so the result is
 * accurate to about 1e-12, with no table and no approximation.
 *
 * @example
 * studentTQuantile(0.975, 4) // 2.7764…
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(Number.isInteger(df) && df >= 1)) throw new RangeError(`degrees of freedom must be a positive integer, got ${df}`)
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`)
  if (p === 0.5) return 0
  if (p < 0.5) return -studentTQuantile(1 - p, df)
  const target = 2 * p - 1
  let lo = 0
  let hi = Math.PI / 2
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2
    if (mid === lo || mid === hi) break
    if (twoSidedTCdfAt(mid, df) < target) lo = mid
    else hi = mid
  }
  return Math.sqrt(df) * Math.tan((lo + hi) / 2)
}

/** A two-sided confidence interval of a mean; `halfWidth`, `low`, `high` are `null` with fewer than two values. */
export interface MeanInterval {
  readonly n: number
  readonly mean: number
  /** Sample standard deviation (n − 1 in the denominator); `null` with fewer than two values. */
  readonly stdDev: number | null
  readonly halfWidth: number | null
  readonly low: number | null
  readonly high: number | null
}

/**
 * The Student t confidence interval of the mean of independent, identically distributed values
 * (replication means): mean ± t(1 − α/2, n − 1)·s/√n.
 *
 * @example
 * meanInterval([1, 2, 3, 4, 5]).halfWidth // 2.776 · 1.581 / √5 ≈ 1.963
 */
export function meanInterval(values: ReadonlyArray<number>, level = 0.95): MeanInterval {
  const n = values.length
  if (n === 0) throw new RangeError("a confidence interval needs at least one value")
  const mean = values.reduce((a, x) => a + x, 0) / n
  if (n < 2) return { n, mean, stdDev: null, halfWidth: null, low: null, high: null }
  const variance = values.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)
  const stdDev = Math.sqrt(variance)
  const halfWidth = studentTQuantile(1 - (1 - level) / 2, n - 1) * (stdDev / Math.sqrt(n))
  return { n, mean, stdDev, halfWidth, low: mean - halfWidth, high: mean + halfWidth }
}

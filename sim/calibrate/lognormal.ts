/**
 * A lognormal fitted by maximum likelihood to times logged in whole milliseconds (Svrkit's RUN
 * lines): each count is the probability of its rounding bin [k − ½, k + ½) ms, so a 1.5 ms mean
 * is not biased by the 1 ms resolution the way the plain mean of the logged values is. The 95%
 * interval of the mean comes from the observed information (a numerical Hessian) by the delta
 * method. The optimiser is Nelder–Mead on (μ, ln σ): two parameters, no library needed.
 */
import jStat from "jstat"

export interface LognormalFit {
  readonly mean: number
  readonly cv: number
  readonly lo: number
  readonly hi: number
  readonly n: number
}

const Phi = (z: number) => jStat.normal.cdf(z, 0, 1)

function logLikelihood(bins: ReadonlyArray<readonly [number, number]>, mu: number, logSigma: number): number {
  const s = Math.exp(logSigma)
  let ll = 0
  for (const [k, c] of bins) {
    const upper = Phi((Math.log(k + 0.5) - mu) / s)
    const lower = k <= 0 ? 0 : Phi((Math.log(k - 0.5) - mu) / s)
    ll += c * Math.log(Math.max(1e-300, upper - lower))
  }
  return ll
}

function nelderMead(f: (x: number[]) => number, start: number[], step = 0.2, iterations = 400): number[] {
  let simplex = [start, ...start.map((_, i) => start.map((v, j) => (i === j ? v + step : v)))]
  let values = simplex.map(f)
  for (let it = 0; it < iterations; it++) {
    const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]).map(([, i]) => i)
    simplex = order.map((i) => simplex[i]); values = order.map((i) => values[i])
    if (Math.abs(values[values.length - 1] - values[0]) < 1e-10) break
    const n = start.length
    const centroid = start.map((_, j) => simplex.slice(0, n).reduce((a, p) => a + p[j], 0) / n)
    const worst = simplex[n]
    const at = (t: number) => centroid.map((c, j) => c + t * (worst[j] - c))
    const reflected = at(-1), fr = f(reflected)
    if (fr < values[0]) {
      const expanded = at(-2), fe = f(expanded)
      if (fe < fr) { simplex[n] = expanded; values[n] = fe } else { simplex[n] = reflected; values[n] = fr }
    } else if (fr < values[n - 1]) {
      simplex[n] = reflected; values[n] = fr
    } else {
      const contracted = at(0.5), fc = f(contracted)
      if (fc < values[n]) { simplex[n] = contracted; values[n] = fc } else {
        simplex = simplex.map((p) => p.map((v, j) => simplex[0][j] + 0.5 * (v - simplex[0][j]))); values = simplex.map(f)
      }
    }
  }
  return simplex[0]
}

/**
 * Fits whole-millisecond counts (`value → count`). Returns seconds. Undefined when the values
 * are not whole numbers or there are fewer than 20.
 *
 * @example
 * fitBinnedLognormal(new Map([[1, 40], [2, 30], [3, 15], [4, 8], [6, 7]]))?.mean // ≈ 0.0021
 */
export function fitBinnedLognormal(counts: ReadonlyMap<number, number>): LognormalFit | undefined {
  const bins = [...counts].filter(([, c]) => c > 0)
  const n = bins.reduce((a, [, c]) => a + c, 0)
  if (n < 20 || bins.some(([k]) => !Number.isInteger(k) || k < 0)) return undefined
  const mean0 = bins.reduce((a, [k, c]) => a + k * c, 0) / n
  const var0 = bins.reduce((a, [k, c]) => a + c * (k - mean0) ** 2, 0) / n + 1 / 12
  const s2 = Math.log(1 + var0 / Math.max(0.05, mean0) ** 2)
  const start = [Math.log(Math.max(0.05, mean0)) - s2 / 2, 0.5 * Math.log(s2)]
  const nll = (x: number[]) => -logLikelihood(bins, x[0], x[1])
  const [mu, ls] = nelderMead(nll, start)
  // observed information by central differences
  const h = 1e-3
  const f = (a: number, b: number) => nll([a, b])
  const f0 = f(mu, ls)
  const haa = (f(mu + h, ls) - 2 * f0 + f(mu - h, ls)) / (h * h)
  const hbb = (f(mu, ls + h) - 2 * f0 + f(mu, ls - h)) / (h * h)
  const hab = (f(mu + h, ls + h) - f(mu + h, ls - h) - f(mu - h, ls + h) + f(mu - h, ls - h)) / (4 * h * h)
  const det = haa * hbb - hab * hab
  const sigma = Math.exp(ls)
  const meanMs = Math.exp(mu + sigma * sigma / 2)
  // gradient of the mean in (μ, ln σ): ∂m/∂μ = m, ∂m/∂lnσ = m σ²
  const g = [meanMs, meanMs * sigma * sigma]
  const variance = det > 0 ? (g[0] * g[0] * hbb - 2 * g[0] * g[1] * hab + g[1] * g[1] * haa) / det : NaN
  const half = 1.959964 * Math.sqrt(Math.max(0, variance))
  return {
    mean: meanMs / 1000, cv: Math.sqrt(Math.exp(sigma * sigma) - 1),
    lo: Math.max(0, meanMs - half) / 1000, hi: (meanMs + half) / 1000, n,
  }
}

/**
 * CPU demand per request kind, per host class, by utilisation regression (LibReDE's approach):
 * over the intervals t, busy cores y_t = background + Σ_kind D_kind · X_kind,t, solved by
 * non-negative least squares (`ml-fcnnls`, on `ml-matrix`), with R², residuals and 95% intervals
 * from the least-squares covariance on the coefficients off their bound (Student t, n − p degrees
 * of freedom). Refuses what the data cannot identify: a kind whose rate hardly varies (it cannot
 * be told from the background) and kinds whose rates move together (fitted as their sum).
 */
import { fcnnlsVector } from "ml-fcnnls"
import { Matrix, inverse } from "ml-matrix"
import jStat from "jstat"

export interface Coefficient {
  readonly name: string
  /** CPU-seconds per request (busy cores for the background). */
  readonly value: number
  readonly lo: number
  readonly hi: number
  readonly se: number
  /** Held at 0 by the non-negativity constraint. */
  readonly atBound: boolean
}

export interface RegressionFit {
  /** Fitted columns: a kind, or kinds joined by "+" when fitted as their sum. */
  readonly columns: ReadonlyArray<{ readonly name: string; readonly kinds: ReadonlyArray<string> }>
  readonly background: Coefficient
  readonly demands: ReadonlyArray<Coefficient>
  readonly r2: number
  readonly n: number
  readonly dof: number
  readonly residualSd: number
  readonly fitted: ReadonlyArray<number>
  readonly residuals: ReadonlyArray<number>
  /** One line per refusal or merge: what cannot be identified and what was fitted instead. */
  readonly notes: ReadonlyArray<string>
}

/** Rates whose correlation is above this move together: their demands are not told apart. */
export const COLLINEAR = 0.99
/** A rate whose coefficient of variation is below this is (nearly) constant: it aliases the background. */
export const FLAT_CV = 0.02

const mean = (xs: ReadonlyArray<number>) => xs.reduce((a, b) => a + b, 0) / xs.length

function correlation(a: ReadonlyArray<number>, b: ReadonlyArray<number>): number {
  const ma = mean(a), mb = mean(b)
  let sab = 0, saa = 0, sbb = 0
  for (let i = 0; i < a.length; i++) {
    sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) ** 2; sbb += (b[i] - mb) ** 2
  }
  return saa === 0 || sbb === 0 ? 0 : sab / Math.sqrt(saa * sbb)
}

const cv = (xs: ReadonlyArray<number>) => {
  const m = mean(xs)
  return m === 0 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / Math.max(1, xs.length - 1)) / m
}

/**
 * Fits busy cores `y` (one per interval) on the kinds' rates `rates[kind][t]` (requests/s).
 * Throws a one-line `Error` when there are too few intervals for the columns left.
 *
 * @example
 * const fit = fitDemands({ a: [1, 2, 3, 4], b: [2, 1, 4, 3] }, [1.3, 1.6, 2.5, 2.8])
 * fit.demands[0].value // ≈ 0.2
 */
export function fitDemands(rates: Readonly<Record<string, ReadonlyArray<number>>>, y: ReadonlyArray<number>, label = ""): RegressionFit {
  const notes: string[] = []
  const where = label === "" ? "" : ` on ${label}`
  const n = y.length
  // 1. kinds with no requests or a flat rate
  let columns: Array<{ name: string; kinds: string[]; x: number[] }> = []
  for (const [kind, x] of Object.entries(rates)) {
    if (x.every((v) => v === 0)) { notes.push(`${kind}: no requests in the intervals${where}; not fitted`); continue }
    const c = cv(x)
    if (c < FLAT_CV) {
      notes.push(`${kind}: its rate hardly varies (cv ${(c * 100).toFixed(1)}%), so its CPU${where} cannot be told from the background; counted in the background`)
      continue
    }
    columns.push({ name: kind, kinds: [kind], x: [...x] })
  }
  // 2. kinds that move together: merge greedily into their sum
  for (let merged = true; merged;) {
    merged = false
    outer: for (let i = 0; i < columns.length; i++) {
      for (let j = i + 1; j < columns.length; j++) {
        const r = correlation(columns[i].x, columns[j].x)
        if (r > COLLINEAR) {
          const a = columns[i], b = columns[j]
          const sum = { name: `${a.name}+${b.name}`, kinds: [...a.kinds, ...b.kinds], x: a.x.map((v, t) => v + b.x[t]) }
          notes.push(`${a.name} and ${b.name}: their rates move together (r = ${r.toFixed(3)}), so their CPU${where} cannot be told apart; fitted as their sum ${sum.name}`)
          columns = [...columns.slice(0, i), sum, ...columns.slice(i + 1, j), ...columns.slice(j + 1)]
          merged = true
          break outer
        }
      }
    }
  }
  const p = columns.length + 1
  if (n < p + 2) throw new Error(`${n} intervals${where} for ${p} unknowns (the background and ${columns.length} demands): need at least ${p + 2}; give longer logs or a shorter interval`)
  // 3. non-negative least squares on [1, X], columns scaled to unit norm for conditioning
  const design = [Array(n).fill(1) as number[], ...columns.map((c) => c.x)]
  const norms = design.map((col) => Math.sqrt(col.reduce((a, v) => a + v * v, 0)) || 1)
  const A = new Matrix(n, p)
  for (let t = 0; t < n; t++) for (let j = 0; j < p; j++) A.set(t, j, design[j][t] / norms[j])
  const scaled = fcnnlsVector(A, [...y], { gradientTolerance: 1e-12 }).K.to1DArray()
  const beta = scaled.map((b, j) => Math.max(0, b) / norms[j])
  const fitted = Array.from({ length: n }, (_, t) => design.reduce((a, col, j) => a + beta[j] * col[t], 0))
  const residuals = y.map((v, t) => v - fitted[t])
  const rss = residuals.reduce((a, r) => a + r * r, 0)
  const my = mean(y)
  const tss = y.reduce((a, v) => a + (v - my) ** 2, 0)
  // 4. intervals: least-squares covariance on the free coefficients; a bound one gets [0, t·se]
  const free = beta.map((b, j) => b > 1e-12 * Math.max(1, Math.abs(my)) / norms[j])
  const freeIdx = free.flatMap((f, j) => (f ? [j] : []))
  const dof = Math.max(1, n - freeIdx.length)
  const sigma2 = rss / dof
  const se = Array(p).fill(0) as number[]
  const covOf = (idx: number[]) => {
    const M = new Matrix(n, idx.length)
    for (let t = 0; t < n; t++) idx.forEach((j, k) => M.set(t, k, design[j][t]))
    return inverse(M.transpose().mmul(M), true)
  }
  if (freeIdx.length > 0) {
    const cov = covOf(freeIdx)
    freeIdx.forEach((j, k) => { se[j] = Math.sqrt(Math.max(0, cov.get(k, k) * sigma2)) })
  }
  const bound = beta.flatMap((_, j) => (free[j] ? [] : [j]))
  if (bound.length > 0) {
    const all = Array.from({ length: p }, (_, j) => j)
    const cov = covOf(all)
    for (const j of bound) se[j] = Math.sqrt(Math.max(0, cov.get(j, j) * sigma2))
  }
  const tq = jStat.studentt.inv(0.975, dof)
  const coefficient = (name: string, j: number): Coefficient => ({
    name, value: beta[j], se: se[j], atBound: !free[j],
    lo: free[j] ? Math.max(0, beta[j] - tq * se[j]) : 0,
    hi: beta[j] + tq * se[j],
  })
  for (const j of bound) if (j > 0) notes.push(`${columns[j - 1].name}: its CPU${where} fits as 0 (held at the non-negativity bound); the interval is one-sided`)
  return {
    columns: columns.map((c) => ({ name: c.name, kinds: c.kinds })),
    background: coefficient("background", 0),
    demands: columns.map((c, k) => coefficient(c.name, k + 1)),
    r2: tss === 0 ? 1 : 1 - rss / tss,
    n, dof, residualSd: Math.sqrt(sigma2), fitted, residuals, notes,
  }
}

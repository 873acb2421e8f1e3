/**
 * Closed-form results of elementary queueing theory, the oracles the engine is checked against.
 *
 * Notation (Kendall; Gross & Harris, "Fundamentals of Queueing Theory"): arrival rate λ, mean
 * service time E[S] = 1/μ, c servers, offered load a = λ/μ (Erlangs), server utilization
 * ρ = a/c. Times are in whatever unit the caller uses, as long as it is consistent (the tests use
 * seconds and rates per second). `Wq` is the wait in queue, `W = Wq + E[S]` the sojourn time,
 * `Lq = λ·Wq` the mean queue length (Little's law).
 */

/** Results of an infinite-buffer model. */
export interface QueueMetrics {
  /** Server utilization ρ. */
  readonly utilization: number
  /** Probability an arriving customer waits (C(c, a) for M/M/c). */
  readonly pWait: number
  /** Mean wait in queue. */
  readonly wq: number
  /** Mean sojourn time, Wq + E[S]. */
  readonly w: number
  /** Mean number waiting, λ·Wq. */
  readonly lq: number
}

function requireStable(rho: number): void {
  if (!(rho < 1)) throw new RangeError(`unstable queue: utilization ${rho} ≥ 1`)
}

/**
 * Erlang B blocking probability B(c, a) of the M/G/c/c loss system (insensitive to the service
 * distribution), by the numerically stable recursion
 *   B(0, a) = 1,   B(k, a) = a·B(k−1, a) / (k + a·B(k−1, a)).
 * It never forms a^c or c!, so it is exact to rounding for any c.
 */
export function erlangB(c: number, a: number): number {
  let b = 1
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b)
  return b
}

/**
 * Erlang C: the probability an arrival has to wait in M/M/c, from Erlang B
 *   C(c, a) = c·B / (c − a·(1 − B)),   B = B(c, a),   a < c.
 */
export function erlangC(c: number, a: number): number {
  requireStable(a / c)
  const b = erlangB(c, a)
  return (c * b) / (c - a * (1 - b))
}

/**
 * M/M/c with arrival rate `lambda` and mean service `meanService`:
 *   Wq = C(c, a) / (c·μ − λ),   W = Wq + 1/μ,   Lq = λ·Wq,   ρ = λ/(c·μ).
 */
export function mmc(c: number, lambda: number, meanService: number): QueueMetrics {
  const mu = 1 / meanService
  const a = lambda / mu
  const pWait = erlangC(c, a)
  const wq = pWait / (c * mu - lambda)
  return { utilization: a / c, pWait, wq, w: wq + meanService, lq: lambda * wq }
}

/**
 * M/M/1, the c = 1 case written out:
 *   ρ = λ/μ,  P(wait) = ρ,  Wq = ρ/(μ − λ),  W = 1/(μ − λ),  Lq = ρ²/(1 − ρ).
 */
export function mm1(lambda: number, meanService: number): QueueMetrics {
  const mu = 1 / meanService
  const rho = lambda / mu
  requireStable(rho)
  const wq = rho / (mu - lambda)
  return { utilization: rho, pWait: rho, wq, w: 1 / (mu - lambda), lq: (rho * rho) / (1 - rho) }
}

/**
 * M/G/1 by the Pollaczek–Khinchine mean-value formula
 *   Wq = λ·E[S²] / (2·(1 − ρ)),   ρ = λ·E[S],
 * with E[S²] = E[S]²·(1 + c_s²) for service SCV c_s². P(wait) = ρ (PASTA).
 */
export function mg1(lambda: number, meanService: number, scv: number): QueueMetrics {
  const rho = lambda * meanService
  requireStable(rho)
  const es2 = meanService * meanService * (1 + scv)
  const wq = (lambda * es2) / (2 * (1 - rho))
  return { utilization: rho, pWait: rho, wq, w: wq + meanService, lq: lambda * wq }
}

/**
 * M/D/1: P-K with E[S²] = E[S]², i.e. Wq = ρ·E[S] / (2·(1 − ρ)) — half the M/M/1 wait.
 */
export function md1(lambda: number, service: number): QueueMetrics {
  return mg1(lambda, service, 0)
}

/**
 * APPROXIMATE: the Allen–Cunneen approximation for GI/G/c,
 *   Wq ≈ Wq(M/M/c) · (c_a² + c_s²) / 2,
 * here with Poisson arrivals (c_a² = 1). Exact for M/M/c (c_s² = 1) and for M/G/1 (it reduces to
 * P-K); elsewhere typically within ~10%, so tests using it need a correspondingly loose tolerance.
 */
export function allenCunneenMgc(c: number, lambda: number, meanService: number, scv: number): QueueMetrics {
  const base = mmc(c, lambda, meanService)
  const wq = (base.wq * (1 + scv)) / 2
  return { ...base, wq, w: wq + meanService, lq: lambda * wq }
}

/** Results of the finite-buffer M/M/c/K model. */
export interface FiniteQueueMetrics {
  /** P(N = n), n = 0 … K. */
  readonly distribution: ReadonlyArray<number>
  /** P(N = K): an arrival is lost (PASTA). */
  readonly blocking: number
  /** Mean number waiting, Σ (n − c)·p_n. */
  readonly lq: number
  /** Mean number in system, Σ n·p_n. */
  readonly l: number
  /** Mean wait in queue of admitted customers, Lq / λ_eff, λ_eff = λ·(1 − p_K). */
  readonly wq: number
  /** Mean sojourn of admitted customers, Wq + E[S]. */
  readonly w: number
  /** Busy servers / c = λ_eff·E[S] / c. */
  readonly utilization: number
  /** Probability an admitted customer waits, Σ_{n=c}^{K−1} p_n / (1 − p_K). */
  readonly pWait: number
}

/**
 * M/M/c/K (K ≥ c places in total, K − c of them waiting), a birth–death chain with
 *   p_n = p_0·a^n / n!                 for 0 ≤ n ≤ c,
 *   p_n = p_0·a^c / c! · ρ^(n − c)     for c < n ≤ K,
 * normalized to sum 1. Valid for any load, including ρ ≥ 1. The terms are built by the ratio
 * p_n / p_(n−1) = a / min(n, c) and rescaled when large, so big c or K cannot overflow.
 */
export function mmck(c: number, k: number, lambda: number, meanService: number): FiniteQueueMetrics {
  if (!(Number.isInteger(c) && Number.isInteger(k) && c >= 1 && k >= c)) {
    throw new RangeError(`M/M/c/K needs integers 1 ≤ c ≤ K, got c=${c}, K=${k}`)
  }
  const a = lambda * meanService
  const terms = [1]
  for (let n = 1; n <= k; n++) {
    const next = (terms[n - 1] * a) / Math.min(n, c)
    terms.push(next)
    if (next > 1e250) for (let i = 0; i <= n; i++) terms[i] /= 1e250
  }
  const total = terms.reduce((s, x) => s + x, 0)
  const p = terms.map((x) => x / total)
  let lq = 0, l = 0, waiting = 0
  for (let n = 0; n <= k; n++) {
    l += n * p[n]
    if (n > c) lq += (n - c) * p[n]
    if (n >= c && n < k) waiting += p[n]
  }
  const blocking = p[k]
  const lambdaEff = lambda * (1 - blocking)
  const wq = lq / lambdaEff
  return {
    distribution: p,
    blocking,
    lq,
    l,
    wq,
    w: wq + meanService,
    utilization: (lambdaEff * meanService) / c,
    pWait: waiting / (1 - blocking),
  }
}

/**
 * Quantile of the M/M/c wait in queue. Its distribution is an atom at 0 of mass 1 − C(c, a) and
 * an exponential tail: P(Wq > t) = C(c, a)·e^(−(c·μ − λ)·t). So the q-quantile is 0 when
 * q ≤ 1 − C, else ln(C / (1 − q)) / (c·μ − λ).
 */
export function mmcWaitQuantile(c: number, lambda: number, meanService: number, q: number): number {
  const pWait = erlangC(c, lambda * meanService)
  if (q <= 1 - pWait) return 0
  return Math.log(pWait / (1 - q)) / (c / meanService - lambda)
}

/**
 * Quantile of the M/M/1 sojourn time, which is exponential with rate μ − λ:
 * W_q-quantile = −ln(1 − q) / (μ − λ).
 */
export function mm1SojournQuantile(lambda: number, meanService: number, q: number): number {
  requireStable(lambda * meanService)
  return -Math.log(1 - q) / (1 / meanService - lambda)
}

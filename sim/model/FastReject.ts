/** Tuning of a Svrkit server's overload protection; every field has the default shown. */
export interface FastRejectParams {
  /** Control period: the pass rate moves once per window. Default 1 s. */
  readonly windowS: number
  /** A window whose mean InQueue wait exceeds this is overloaded. Default 0.020 s. */
  readonly waitThresholdS: number
  /** A window whose CPU utilisation exceeds this is overloaded. Default 0.95. */
  readonly cpuLimit: number
  /** Pass-rate cut per overloaded window. Default 0.05 (5 points per second). */
  readonly downStep: number
  /** Pass-rate rise per healthy window. Default 0.01 (five times slower than the cut). */
  readonly upStep: number
  /** Floor of the pass rate. Default 0. */
  readonly minPass: number
  /** When false, `admit` lets everything through (the pass rate is still tracked). Default true. */
  readonly enabled: boolean
}

export const FAST_REJECT_DEFAULTS: FastRejectParams = {
  windowS: 1,
  waitThresholdS: 0.02,
  cpuLimit: 0.95,
  downStep: 0.05,
  upStep: 0.01,
  minPass: 0,
  enabled: true,
}

/**
 * Svrkit server overload protection ("fast reject", 快降慢升): one controller per service
 * instance. Each window it judges the instance overloaded when the mean queue wait of requests
 * that got a worker, or the CPU utilisation, is over its limit; it then cuts the pass rate by
 * `downStep`, otherwise raises it by `upStep`. `admit(now, u)` lets a request in iff u < passRate;
 * a rejected request is answered at once with an overload code (see Code.ts) and the caller
 * retries elsewhere.
 *
 * Windows close lazily, in whichever call first sees `now` past the window's end: the window's
 * observations decide it, and any later windows that elapsed with no observation at all count as
 * healthy unless the last CPU reading is over the limit (CPU is a level and persists; a missing
 * wait sample must not cut the pass rate, or a controller at 0 — which admits nothing, hence
 * observes no wait — could never recover).
 *
 * Choosing u. A uniform draw per call sheds `1 − passRate` of calls independently at each hop, so
 * a request crossing several overloaded services fails with probability 1 − Π passᵢ, often after
 * work upstream was already spent. WeChat's DAGOR instead gives a request one priority that every
 * hop compares with its own threshold; here that is `u = uinUniform(uinHash(headUin), salt)` from
 * HashRing.ts with one salt shared by all services: every call of the request carries the same u,
 * so it passes every hop iff u < min passᵢ, and the rejected requests are the same users each time
 * (the ones whose u is high), instead of random partial work everywhere.
 *
 * @example
 * const fr = new FastReject()
 * fr.observeWait(now, waited)              // for each request that got a worker
 * if (!fr.admit(now, rng())) return reply(Code.overloadReject)
 */
export class FastReject {
  /** Fraction of requests admitted, in [minPass, 1]. */
  passRate = 1
  enabled: boolean
  /** Requests rejected since the window (`startWindow`) started. */
  rejects = 0
  /** Requests admitted since the window started. */
  admits = 0
  /** Control windows judged overloaded since `startWindow`. */
  overloadedWindows = 0
  readonly params: FastRejectParams
  private readonly start: number
  /** Index of the control window now collecting observations. */
  private index = 0
  private end: number
  private waitSum = 0
  private waitCount = 0
  private cpuSum = 0
  private cpuCount = 0
  private lastCpu = 0

  /** @param start time the first control window opens (windows are aligned to it). */
  constructor(params: Partial<FastRejectParams> = {}, start = 0) {
    const p = { ...FAST_REJECT_DEFAULTS, ...params }
    if (!(p.windowS > 0)) throw new RangeError(`fast reject window must be > 0, got ${p.windowS}`)
    if (!(p.minPass >= 0 && p.minPass <= 1)) throw new RangeError(`minPass must be in [0, 1], got ${p.minPass}`)
    if (!(p.downStep >= 0 && p.upStep >= 0)) throw new RangeError("fast reject steps must be ≥ 0")
    this.params = p
    this.enabled = p.enabled
    this.start = start
    this.end = start + p.windowS
  }

  /** Records the InQueue wait of a request that just got a worker. */
  observeWait(now: number, queueWaitS: number): void {
    this.advance(now)
    this.waitSum += queueWaitS
    this.waitCount++
  }

  /** Records a CPU utilisation reading (0…1) of the instance's host. */
  observeCpu(now: number, util: number): void {
    this.advance(now)
    this.cpuSum += util
    this.cpuCount++
    this.lastCpu = util
  }

  /** Admission of one request: true iff `u` (uniform in [0, 1)) is below the pass rate. */
  admit(now: number, u: number): boolean {
    this.advance(now)
    if (!this.enabled || u < this.passRate) {
      this.admits++
      return true
    }
    this.rejects++
    return false
  }

  /** Closes every window that ended by `now`. The other methods call it; call it to read `passRate`. */
  advance(now: number): void {
    if (now < this.end) return
    const p = this.params
    // The window that collected the observations.
    const meanWait = this.waitCount > 0 ? this.waitSum / this.waitCount : 0
    const cpu = this.cpuCount > 0 ? this.cpuSum / this.cpuCount : this.lastCpu
    this.judge(meanWait > p.waitThresholdS || cpu > p.cpuLimit, 1)
    this.waitSum = this.waitCount = this.cpuSum = this.cpuCount = 0
    // Windows that elapsed with no observation, in one step (the pass rate moves monotonically).
    const elapsed = Math.floor((now - this.start) / p.windowS)
    const empty = elapsed - this.index - 1
    if (empty > 0) this.judge(this.lastCpu > p.cpuLimit, empty)
    this.index = Math.max(elapsed, this.index + 1)
    this.end = this.start + (this.index + 1) * p.windowS
  }

  /** Starts the measured window for `rejects`, `admits` and `overloadedWindows`. */
  startWindow(now: number): void {
    this.advance(now)
    this.rejects = 0
    this.admits = 0
    this.overloadedWindows = 0
  }

  private judge(overloaded: boolean, windows: number): void {
    const p = this.params
    if (overloaded) {
      this.overloadedWindows += windows
      this.passRate = Math.max(p.minPass, this.passRate - p.downStep * windows)
    } else {
      this.passRate = Math.min(1, this.passRate + p.upStep * windows)
    }
  }
}

import { uinUniform } from "./HashRing.ts"

/** Tuning of a Svrkit client's automatic shielding; every field has the default shown. */
export interface ShieldParams {
  /** Failures leak out of the bucket at this rate. Default 1 per second. */
  readonly leakPerS: number
  /** Bucket level at which the endpoint is shielded. Default 5. */
  readonly threshold: number
  /** How long a shield lasts before a probe is let through. Default 10 s. */
  readonly shieldS: number
  /** Share of failed calls in a `rateWindowS` window that shields (seed 004: 失败数/失败率); 0: off. Default 0.5. */
  readonly failureRate: number
  /** Calls a window needs before its failure share counts. Default 10. */
  readonly minCalls: number
  /** The failure-rate window (tumbling). Default 10 s. */
  readonly rateWindowS: number
}

export const SHIELD_DEFAULTS: ShieldParams = { leakPerS: 1, threshold: 5, shieldS: 10, failureRate: 0.5, minCalls: 10, rateWindowS: 10 }

/** Where an endpoint stands for one caller. */
export type ShieldState = "closed" | "shielded" | "probing" | "global"

const CLOSED = 0
const SHIELDED = 1
// A probe has been let through and its reply is awaited.
const PROBE_OUT = 2

// Salt of the percentage shield's draw, so it is independent of ring position (see uinUniform).
const PERCENT_SALT = 0x5b1e1d

/**
 * Percentage shield (百分比屏蔽): true for `percent`% of uins, chosen by uin hash, so the same
 * users are skipped on every call (their requests fail over together instead of flapping).
 *
 * @example
 * if (percentSkip(uinHash(uin), 30)) continue // shed 30% of this endpoint's calls
 */
export function percentSkip(uinHash32: number, percent: number): boolean {
  return uinUniform(uinHash32, PERCENT_SALT) * 100 < percent
}

/**
 * A Svrkit client's automatic shielding (容灾屏蔽) of its endpoints. Seed 004 draws it per caller:
 * each process keeps an in-process FailCount bucket and an agent aggregates them per machine
 * (跨进程漏桶, 单机级别容灾), so the table keeps one state per (calling host, endpoint): `callers`
 * slots, the `caller` argument naming one (a table built with one slot is shared by every caller,
 * as wwsim did before issue 11). Per slot, a leaky bucket of failures: each failure adds 1 and the
 * level leaks at `leakPerS` (decayed lazily from the elapsed time at each call); and the share of
 * failed calls in a tumbling window of `rateWindowS` (seed 004: 失败数/失败率). When the level
 * reaches `threshold`, or the window's failure share reaches `failureRate` over at least
 * `minCalls` calls, the endpoint is shielded for that caller for `shieldS` (one activation). After
 * that one call is let through as a probe: success closes the shield, failure shields it again.
 *
 * Replies to calls sent before the shield went up (late replies while shielded) change nothing.
 *
 * A global (operator) shield skips the endpoint for every caller; the route picks another machine
 * without spending a retry (the caller's business: it passes `isShielded` into `HashRing.pick`'s
 * skip, which moves on without a try).
 *
 * @example
 * const shields = new ShieldTable(hosts.length)
 * const i = ring.pick(uin, (e) => tried(e) || shields.isSkipped(now, e, uinHash(uin)))
 * …
 * ok ? shields.onSuccess(now, i) : shields.onFailure(now, i)
 */
export class ShieldTable {
  /** Times an endpoint went from closed to shielded. */
  activations = 0
  /** Probes that failed and shielded their endpoint again. */
  reshields = 0
  readonly params: ShieldParams
  // Per (caller, endpoint) slot, at caller · stride + endpoint; stride 0 with one slot per
  // endpoint, so any caller number reads the shared state.
  private readonly stride: number
  private readonly level: Float64Array
  private readonly levelAt: Float64Array
  private readonly until: Float64Array
  private readonly state: Uint8Array
  private readonly windowEnd: Float64Array
  private readonly windowCalls: Float64Array
  private readonly windowFails: Float64Array
  // Operator shields: per endpoint, for every caller.
  private readonly global: Uint8Array
  private readonly percent: Float64Array

  constructor(
    readonly endpoints: number,
    params: Partial<ShieldParams> = {},
    /** Calling hosts with a state of their own; 1: one state per endpoint, shared by all callers. */
    readonly callers = 1,
  ) {
    const p = { ...SHIELD_DEFAULTS, ...params }
    if (!(p.threshold > 0)) throw new RangeError(`shield threshold must be > 0, got ${p.threshold}`)
    if (!(p.leakPerS >= 0) || !(p.shieldS >= 0)) throw new RangeError("shield leak and duration must be ≥ 0")
    if (!(p.failureRate >= 0 && p.failureRate <= 1) || !(p.minCalls >= 1) || !(p.rateWindowS > 0)) {
      throw new RangeError("shield failure rate must be in [0, 1], minCalls ≥ 1 and the window > 0")
    }
    this.params = p
    this.stride = callers === 1 ? 0 : endpoints
    const slots = endpoints * callers
    this.level = new Float64Array(slots)
    this.levelAt = new Float64Array(slots)
    this.until = new Float64Array(slots)
    this.state = new Uint8Array(slots)
    this.windowEnd = new Float64Array(slots)
    this.windowCalls = new Float64Array(slots)
    this.windowFails = new Float64Array(slots)
    this.global = new Uint8Array(endpoints)
    this.percent = new Float64Array(endpoints)
  }

  /**
   * Whether a call to `endpoint` must be skipped now (globally or automatically shielded). When a
   * shield has run out this *grants the probe*: it answers false once and true until the probe's
   * reply (or, if none ever comes, until another `shieldS` passes). So ask it last, and only for a
   * call that will then be made.
   */
  isShielded(now: number, endpoint: number, caller = 0): boolean {
    if (this.global[endpoint] === 1) return true
    const k = caller * this.stride + endpoint
    const s = this.state[k]
    if (s === CLOSED) return false
    if (now < this.until[k]) return true
    // Shield over, or an unanswered probe given up on: let one call through.
    this.state[k] = PROBE_OUT
    this.until[k] = now + this.params.shieldS
    return false
  }

  /** Whether any operator shield is set (so routing can skip the check entirely when none is). */
  operatorShields = 0

  /** An operator's shields only: global, then percentage by uin hash. Grants no probe. */
  isOperatorSkipped(endpoint: number, uinHash32: number): boolean {
    if (this.global[endpoint] === 1) return true
    const pct = this.percent[endpoint]
    return pct > 0 && percentSkip(uinHash32, pct)
  }

  /**
   * Every reason to skip `endpoint` for a call carrying `uinHash32`: global shield, percentage
   * shield, then automatic shield (which may grant a probe, see `isShielded`).
   */
  isSkipped(now: number, endpoint: number, uinHash32: number, caller = 0): boolean {
    if (this.global[endpoint] === 1) return true
    const pct = this.percent[endpoint]
    if (pct > 0 && percentSkip(uinHash32, pct)) return true
    return this.isShielded(now, endpoint, caller)
  }

  /**
   * A call to `endpoint` succeeded. A probe's success closes the shield and empties the bucket; a
   * closed endpoint's success counts in the failure-rate window.
   */
  onSuccess(now: number, endpoint: number, caller = 0): void {
    const k = caller * this.stride + endpoint
    const s = this.state[k]
    if (s === CLOSED) {
      if (this.params.failureRate > 0) {
        if (now >= this.windowEnd[k]) this.newWindow(now, k)
        this.windowCalls[k]++
      }
      return
    }
    if (s !== PROBE_OUT) return
    this.state[k] = CLOSED
    this.level[k] = 0
    this.levelAt[k] = now
    this.newWindow(now, k)
  }

  /** A call to `endpoint` failed with a system failure (logic failures are not the endpoint's fault). */
  onFailure(now: number, endpoint: number, caller = 0): void {
    const k = caller * this.stride + endpoint
    const s = this.state[k]
    if (s === SHIELDED) return
    if (s === PROBE_OUT) {
      this.reshields++
      this.shield(now, k)
      return
    }
    const p = this.params
    const level = this.levelNow(now, endpoint, caller) + 1
    this.levelAt[k] = now
    let trip = level >= p.threshold
    if (!trip && p.failureRate > 0) {
      if (now >= this.windowEnd[k]) this.newWindow(now, k)
      const calls = ++this.windowCalls[k]
      const fails = ++this.windowFails[k]
      trip = calls >= p.minCalls && fails >= p.failureRate * calls
    }
    if (trip) {
      this.activations++
      this.shield(now, k)
    } else {
      this.level[k] = level
    }
  }

  /** Operator shield of `endpoint` for every call (on) or its removal (off). */
  globalShield(endpoint: number, on: boolean): void {
    this.operatorShields += (on ? 1 : 0) - (this.global[endpoint] === 1 ? 1 : 0)
    this.global[endpoint] = on ? 1 : 0
  }

  /** Percentage shield: skip `percent`% (0…100) of calls to `endpoint`, chosen by uin hash. */
  setPercentSkip(endpoint: number, percent: number): void {
    this.operatorShields += (percent > 0 ? 1 : 0) - (this.percent[endpoint] > 0 ? 1 : 0)
    this.percent[endpoint] = percent
  }

  /** The failure bucket's level at `now`. */
  levelNow(now: number, endpoint: number, caller = 0): number {
    const k = caller * this.stride + endpoint
    const l = this.level[k] - this.params.leakPerS * (now - this.levelAt[k])
    return l > 0 ? l : 0
  }

  /** Where `endpoint` stands for `caller` at `now` (a pure reading: grants no probe). */
  stateOf(now: number, endpoint: number, caller = 0): ShieldState {
    if (this.global[endpoint] === 1) return "global"
    const k = caller * this.stride + endpoint
    const s = this.state[k]
    if (s === CLOSED) return "closed"
    if (s === SHIELDED && now < this.until[k]) return "shielded"
    return "probing"
  }

  private shield(now: number, k: number): void {
    this.state[k] = SHIELDED
    this.until[k] = now + this.params.shieldS
    this.level[k] = 0
    this.levelAt[k] = now
  }

  /** Starts slot `k`'s failure-rate window at `now` (windows are lazy: the first call after one ends). */
  private newWindow(now: number, k: number): void {
    this.windowEnd[k] = now + this.params.rateWindowS
    this.windowCalls[k] = 0
    this.windowFails[k] = 0
  }
}

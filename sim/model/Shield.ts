import { uinUniform } from "./HashRing.ts"

/** Tuning of a Svrkit client's automatic shielding; every field has the default shown. */
export interface ShieldParams {
  /** Failures leak out of the bucket at this rate. Default 1 per second. */
  readonly leakPerS: number
  /** Bucket level at which the endpoint is shielded. Default 5. */
  readonly threshold: number
  /** How long a shield lasts before a probe is let through. Default 10 s. */
  readonly shieldS: number
}

export const SHIELD_DEFAULTS: ShieldParams = { leakPerS: 1, threshold: 5, shieldS: 10 }

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
 * A Svrkit client's automatic shielding (容灾屏蔽) of its endpoints, one table per caller (the
 * in-process FailCount bucket). Per endpoint, a leaky bucket of failures: each failure adds 1 and
 * the level leaks at `leakPerS` (decayed lazily from the elapsed time at each call). When the level
 * reaches `threshold`, the endpoint is shielded for `shieldS` (one activation). After that one call
 * is let through as a probe: success closes the shield, failure shields it again for `shieldS`.
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
  private readonly level: Float64Array
  private readonly levelAt: Float64Array
  private readonly until: Float64Array
  private readonly state: Uint8Array
  private readonly global: Uint8Array
  private readonly percent: Float64Array

  constructor(
    readonly endpoints: number,
    params: Partial<ShieldParams> = {},
  ) {
    const p = { ...SHIELD_DEFAULTS, ...params }
    if (!(p.threshold > 0)) throw new RangeError(`shield threshold must be > 0, got ${p.threshold}`)
    if (!(p.leakPerS >= 0) || !(p.shieldS >= 0)) throw new RangeError("shield leak and duration must be ≥ 0")
    this.params = p
    this.level = new Float64Array(endpoints)
    this.levelAt = new Float64Array(endpoints)
    this.until = new Float64Array(endpoints)
    this.state = new Uint8Array(endpoints)
    this.global = new Uint8Array(endpoints)
    this.percent = new Float64Array(endpoints)
  }

  /**
   * Whether a call to `endpoint` must be skipped now (globally or automatically shielded). When a
   * shield has run out this *grants the probe*: it answers false once and true until the probe's
   * reply (or, if none ever comes, until another `shieldS` passes). So ask it last, and only for a
   * call that will then be made.
   */
  isShielded(now: number, endpoint: number): boolean {
    if (this.global[endpoint] === 1) return true
    const s = this.state[endpoint]
    if (s === CLOSED) return false
    if (now < this.until[endpoint]) return true
    // Shield over, or an unanswered probe given up on: let one call through.
    this.state[endpoint] = PROBE_OUT
    this.until[endpoint] = now + this.params.shieldS
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
  isSkipped(now: number, endpoint: number, uinHash32: number): boolean {
    if (this.global[endpoint] === 1) return true
    const pct = this.percent[endpoint]
    if (pct > 0 && percentSkip(uinHash32, pct)) return true
    return this.isShielded(now, endpoint)
  }

  /** A call to `endpoint` succeeded. A probe's success closes the shield and empties the bucket. */
  onSuccess(now: number, endpoint: number): void {
    if (this.state[endpoint] !== PROBE_OUT) return
    this.state[endpoint] = CLOSED
    this.level[endpoint] = 0
    this.levelAt[endpoint] = now
  }

  /** A call to `endpoint` failed with a system failure (logic failures are not the endpoint's fault). */
  onFailure(now: number, endpoint: number): void {
    const s = this.state[endpoint]
    if (s === SHIELDED) return
    if (s === PROBE_OUT) {
      this.reshields++
      this.shield(now, endpoint)
      return
    }
    const level = this.levelNow(now, endpoint) + 1
    this.levelAt[endpoint] = now
    if (level >= this.params.threshold) {
      this.activations++
      this.shield(now, endpoint)
    } else {
      this.level[endpoint] = level
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
  levelNow(now: number, endpoint: number): number {
    const l = this.level[endpoint] - this.params.leakPerS * (now - this.levelAt[endpoint])
    return l > 0 ? l : 0
  }

  /** Where `endpoint` stands at `now` (a pure reading: grants no probe). */
  stateOf(now: number, endpoint: number): ShieldState {
    if (this.global[endpoint] === 1) return "global"
    const s = this.state[endpoint]
    if (s === CLOSED) return "closed"
    if (s === SHIELDED && now < this.until[endpoint]) return "shielded"
    return "probing"
  }

  private shield(now: number, endpoint: number): void {
    this.state[endpoint] = SHIELDED
    this.until[endpoint] = now + this.params.shieldS
    this.level[endpoint] = 0
    this.levelAt[endpoint] = now
  }
}

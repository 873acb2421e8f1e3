import type { RateProfile } from "../model/Kind.ts"
import type { FaultSpec } from "../scenario/Scenario.ts"
import { FAULT } from "../scenario/defaults.ts"
import { DAILY_PEAK, dailyFactor } from "./daily.ts"

/** A rate multiplier over time: a load spike or ramp, or a replayed trace. */
interface Factor {
  at(t: number): number
  readonly max: number
}

/** Extra arrivals per second over a window: a login storm. */
interface Storm {
  readonly from: number
  readonly to: number
  readonly rate: number
}

const applies = (f: FaultSpec, kind: string) => f.target.length === 0 || f.target.includes(kind)

function loadFactor(f: FaultSpec, end: number): Factor {
  const factor = f.factor ?? 1
  const ramp = f.ramp ?? FAULT.loadRampS
  const until = f.for === null ? end : f.at + f.for
  return {
    at: (t) => {
      if (t < f.at || t >= until) return 1
      return ramp > 0 && t < f.at + ramp ? 1 + ((factor - 1) * (t - f.at)) / ramp : factor
    },
    max: Math.max(1, factor),
  }
}

function traceFactor(f: FaultSpec, end: number): Factor {
  const steps = f.trace ?? []
  const until = f.for === null ? end : f.at + f.for
  return {
    at: (t) => {
      if (t < f.at || t >= until) return 1
      let factor = 1
      for (const s of steps) {
        if (s.t > t - f.at) break
        factor = s.factor
      }
      return factor
    },
    max: Math.max(1, ...steps.map((s) => s.factor)),
  }
}

/** The built-in daily profile from `start` (time of day) at the fault's `at`. */
function dailyProfileFactor(f: FaultSpec, end: number): Factor {
  const until = f.for === null ? end : f.at + f.for
  const start = (f.start ?? 0) - f.at
  return {
    at: (t) => (t < f.at || t >= until ? 1 : dailyFactor(start + t)),
    max: Math.max(1, DAILY_PEAK),
  }
}

/**
 * A kind's arrival rate over time under the `load`, `replay` and `login-storm` faults:
 * base × the product of the active multipliers + the active storms. Arrivals are drawn at the
 * largest rate the profile can reach and thinned (Lewis–Shedler): a candidate at time t is kept
 * with probability rate(t) / maxRate, which gives exactly a Poisson process of rate rate(t).
 *
 * @example
 * const p = LoadProfile.of("sendmsg", 3000, [{ at: 60, for: 40, action: "load", target: [], factor: 2 }], 600)
 * p?.rateAt(70) // 6000
 */
export class LoadProfile implements RateProfile {
  readonly maxRate: number

  private constructor(
    readonly base: number,
    private readonly factors: ReadonlyArray<Factor>,
    private readonly storms: ReadonlyArray<Storm>,
  ) {
    this.maxRate = base * factors.reduce((m, f) => m * f.max, 1) + storms.reduce((s, x) => s + x.rate, 0)
  }

  /** The profile of one kind, or `null` when no fault changes its rate. */
  static of(kind: string, base: number, faults: ReadonlyArray<FaultSpec>, end: number): LoadProfile | null {
    const factors: Factor[] = []
    const storms: Storm[] = []
    for (const f of faults) {
      if (!applies(f, kind)) continue
      if (f.action === "load") factors.push(loadFactor(f, end))
      else if (f.action === "replay") factors.push(f.profile === "daily" ? dailyProfileFactor(f, end) : traceFactor(f, end))
      else if (f.action === "login-storm" && f.for !== null && f.for > 0) {
        storms.push({ from: f.at, to: f.at + f.for, rate: (f.users ?? 0) / f.for })
      }
    }
    return factors.length === 0 && storms.length === 0 ? null : new LoadProfile(base, factors, storms)
  }

  rateAt(t: number): number {
    let rate = this.base
    for (const f of this.factors) rate *= f.at(t)
    for (const s of this.storms) if (t >= s.from && t < s.to) rate += s.rate
    return rate
  }
}

/**
 * The data of the `size --html` page: plain numbers and labels, no functions, so the browser side
 * needs nothing from the simulator. Shared by the CLI (which writes it) and viz/size (which draws it).
 */
import { describeCandidate } from "./candidates.ts"
import type { HorizonResult } from "./horizon.ts"
import type { SizeResult } from "./search.ts"
import type { SensitivityResult } from "./sensitivity.ts"

/** The `id` of the `<script type="application/json">` holding the page's data. */
export const SIZE_DATA_ID = "wwsim-size"

export interface TornadoBar {
  readonly id: string
  readonly label: string
  readonly source: string
  readonly assumed: number
  readonly assumedText: string
  readonly range: readonly [number, number]
  readonly rangeText: readonly [string, string]
  readonly log: boolean
  /** Where the verdict holds, within the range searched; null: not searched (inert). */
  readonly holds: readonly [number, number] | null
  /** The break-even, when the verdict flips inside the range. */
  readonly breakEven: number | null
  readonly breakEvenText: string | null
  /** One line: "holds while online share ≤ 56%". */
  readonly text: string
}

export interface SizePageData {
  readonly title: string
  readonly recommendation: string | null
  readonly sensitivity: { readonly mode: string; readonly simulations: number; readonly wallS: number } | null
  readonly bars: ReadonlyArray<TornadoBar>
  readonly horizon: {
    readonly months: number
    readonly users: ReadonlyArray<number>
    /** Per tier, the headroom of its tightest resource each month. */
    readonly tiers: ReadonlyArray<{ readonly tier: string; readonly headroom: ReadonlyArray<number> }>
    readonly first: string | null
  } | null
}

/**
 * The page's data from a search, its sensitivity sweep and its horizon.
 *
 * @example
 * sizePageData(result, sensitivity, plan, conditions)
 */
export function sizePageData(
  r: SizeResult, s: SensitivityResult | undefined, h: HorizonResult | null, text: (id: string) => string,
): SizePageData {
  const rec = s?.candidates.find((c) => c.role === "recommendation")
  const bars: TornadoBar[] = (s?.assumptions ?? []).map((a) => {
    const b = rec?.breakEvens.find((x) => x.assumption === a.id)
    const lo = Math.min(...a.range)
    const hi = Math.max(...a.range)
    let holds: readonly [number, number] | null = null
    let breakEven: number | null = null
    if (b !== undefined && b.outcome !== "inert") {
      if (b.outcome === "holds") holds = b.direction === "up" ? [lo, b.searched[1]] : [b.searched[1], hi]
      else {
        breakEven = b.last!
        holds = b.direction === "up" ? [lo, b.last!] : [b.last!, hi]
      }
    }
    return {
      id: a.id, label: a.label, source: a.source, assumed: a.assumed, assumedText: a.format(a.assumed),
      range: [lo, hi], rangeText: [a.format(lo), a.format(hi)], log: a.log && lo > 0,
      holds, breakEven, breakEvenText: breakEven === null ? null : a.format(breakEven), text: text(a.id),
    }
  })
  const tiers = h === null ? [] : [...new Set(h.lines.map((l) => l.tier))].map((tier) => ({
    tier,
    headroom: h.users.map((_, m) => Math.min(...h.lines.filter((l) => l.tier === tier).map((l) => l.headroom[m]))),
  }))
  return {
    title: `wwsim size: ${r.users.toLocaleString("en-US")} users`,
    recommendation: r.recommendation === null ? null : describeCandidate(r.recommendation.candidate),
    sensitivity: s === undefined ? null : { mode: s.mode, simulations: s.simulations, wallS: s.wallS },
    bars,
    horizon: h === null ? null : {
      months: h.options.months, users: h.users, tiers,
      first: h.first === null ? null : `${h.first.resource} on the ${h.first.tier} tier runs out in month ${h.first.month}`,
    },
  }
}

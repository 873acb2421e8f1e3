/**
 * The built-in daily load profile (`replay` with `profile: daily`): rate multipliers per hour of
 * an office messaging day, normalised so their mean over 24 h is exactly 1 — the scenario's rates
 * are read as the day's mean.
 *
 * Source of the peak: DAGOR (Zhou et al., "Overload Control for Scaling WeChat Microservices",
 * SoCC 2018) reports WeChat's daily peak at about 3× the daily average. The shape (quiet night,
 * a climb from 08:00, the peak at 10:00, a lunch dip, a second plateau 14:00–17:00, an evening
 * tail) is a practitioner's assumption for an enterprise messenger on office hours; the seeds give
 * no daily curve. Hourly steps, not interpolated, so a run over the peak hour sees the peak rate.
 */

/** Relative load per hour of the day, 00:00 … 23:00 (before normalisation). */
const HOURLY = [
  0.2, 0.12, 0.08, 0.06, 0.06, 0.08, 0.15, 0.35, // 00–07: night, the first commuters
  0.9, 2.0, 3.1, 2.4, // 08–11: the morning climb and the peak hour
  1.4, 1.7, 2.2, 2.4, 2.3, 2.0, // 12–17: lunch, the afternoon plateau
  1.0, 0.65, 0.6, 0.5, 0.4, 0.3, // 18–23: the evening tail
] as const

const MEAN = HOURLY.reduce((s, x) => s + x, 0) / HOURLY.length

/** The normalised multipliers, mean 1. */
export const DAILY_FACTORS: ReadonlyArray<number> = HOURLY.map((x) => x / MEAN)

/** The largest multiplier (the peak hour's, 10:00–11:00): ≈ 2.98. */
export const DAILY_PEAK = Math.max(...DAILY_FACTORS)

const DAY = 86_400

/**
 * The multiplier at `secondsOfDay` (taken modulo a day).
 * @example dailyFactor(10.5 * 3600) // ≈ 2.98, the peak hour
 */
export function dailyFactor(secondsOfDay: number): number {
  const s = ((secondsOfDay % DAY) + DAY) % DAY
  return DAILY_FACTORS[Math.floor(s / 3600)]
}

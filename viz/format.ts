/**
 * Number and time formatting shared by the charts and tables.
 */
import { format } from "d3"

const si = format(".3~s")
// three significant digits: 435 Mbps, not 435.256 Mbps; 0.004 stays 0.004
const fixed = format(",.3~r")

/**
 * A compact number: `1234` → `1.23k`, `0.5` → `0.5`, `null` → `–`.
 *
 * @example
 * num(1234) // "1.23k"
 */
export function num(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "–"
  return Math.abs(x) >= 1000 ? si(x) : fixed(x)
}

/**
 * A fraction as a percentage with `digits` significant digits: `0.0611` → `6.11%`.
 *
 * @example
 * pct(0.0611) // "6.11%"
 * pct(0.9999, 4) // "99.99%"
 */
export function pct(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "–"
  return `${format(`.${digits}~r`)(x * 100)}%`
}

/**
 * Seconds of run time as a clock: `75` → `1:15`, `3725` → `1:02:05`.
 *
 * @example
 * clock(75) // "1:15"
 */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const ss = String(s % 60).padStart(2, "0")
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`
}

const sig3 = format(".3~r")

/**
 * A duration given in milliseconds, in the unit a person would say: `0.42 ms`, `502 ms`, `1 s`,
 * `1.5 s`, `2 min`, `1.5 h` — never `1k ms`. Three significant digits.
 *
 * @example
 * ms(1000) // "1 s"
 * ms(502.4) // "502 ms"
 */
export function ms(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "–"
  const a = Math.abs(x)
  if (a === 0) return "0 ms"
  if (a < 1000) return `${sig3(x)} ms`
  if (a < 60_000) return `${sig3(x / 1000)} s`
  if (a < 3_600_000) return `${sig3(x / 60_000)} min`
  return `${sig3(x / 3_600_000)} h`
}

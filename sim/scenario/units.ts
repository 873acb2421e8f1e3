/**
 * Units in scenario files: parse and format durations, rates, sizes, bandwidths and ratios,
 * and the zod schemas that turn them into plain numbers (seconds, per second, bytes, bits per
 * second, fractions).
 *
 * Bare numbers: a duration, rate, size or bandwidth written without a unit is rejected unless it
 * is 0. `timeout: 5` could mean 5 s or 5 ms, and a wrong guess silently changes a result by a
 * factor of 1000; 0 means the same in every unit. A ratio is the one unit whose natural form is
 * a bare number (`0.3`).
 */
import * as z from "zod"

interface Unit {
  readonly name: string
  /** User's digits → base unit, rounding once. */
  readonly toBase: (digits: string) => number
  /** Base unit → this unit (for formatting). */
  readonly fromBase: (value: number) => number
}

/** A power-of-ten unit: `Number("1.5e-3")` is correctly rounded, `1.5 / 1000` rounds twice. */
const pow10 = (name: string, exp: number): Unit => ({
  name, toBase: (d) => Number(`${d}e${exp}`), fromBase: (v) => v / 10 ** exp,
})
const times = (name: string, factor: number): Unit => ({
  name, toBase: (d) => Number(d) * factor, fromBase: (v) => v / factor,
})
const per = (name: string, divisor: number): Unit => ({
  name, toBase: (d) => Number(d) / divisor, fromBase: (v) => v * divisor,
})

interface UnitFamily {
  readonly pattern: RegExp
  /** Largest first: the formatter prefers the largest unit that gives a whole number. */
  readonly units: ReadonlyArray<Unit>
  /** Extra spellings accepted on input, mapped to a unit's name. */
  readonly aliases?: Readonly<Record<string, string>>
}

const NUMBER = String.raw`(\d+(?:\.\d+)?)`

const DURATION: UnitFamily = {
  pattern: new RegExp(String.raw`^${NUMBER} ?(us|µs|ms|s|m|h)$`),
  units: [times("h", 3600), times("m", 60), pow10("s", 0), pow10("ms", -3), pow10("us", -6)],
  aliases: { "µs": "us" },
}
const RATE: UnitFamily = {
  pattern: new RegExp(String.raw`^${NUMBER} ?/ ?(s|m|h)$`),
  units: [pow10("/s", 0), per("/m", 60), per("/h", 3600)],
  aliases: { s: "/s", m: "/m", h: "/h" },
}
const SIZE: UnitFamily = {
  pattern: new RegExp(String.raw`^${NUMBER} ?(B|KB|kB|MB|GB)$`),
  units: [pow10("GB", 9), pow10("MB", 6), pow10("KB", 3), pow10("B", 0)],
  aliases: { kB: "KB" },
}
const BANDWIDTH: UnitFamily = {
  pattern: new RegExp(String.raw`^${NUMBER} ?(bps|Kbps|kbps|Mbps|Gbps)$`),
  units: [pow10("Gbps", 9), pow10("Mbps", 6), pow10("Kbps", 3), pow10("bps", 0)],
  aliases: { kbps: "Kbps" },
}
const BYTE_RATE: UnitFamily = {
  pattern: new RegExp(String.raw`^${NUMBER} ?(B|KB|kB|MB|GB)/s$`),
  units: [pow10("GB/s", 9), pow10("MB/s", 6), pow10("KB/s", 3), pow10("B/s", 0)],
  aliases: { B: "B/s", KB: "KB/s", kB: "KB/s", MB: "MB/s", GB: "GB/s" },
}
const RATIO_PERCENT = /^(\d+(?:\.\d+)?) ?%$/

function parseIn(family: UnitFamily, input: string | number): number | undefined {
  if (typeof input === "number") return input === 0 ? 0 : undefined
  const m = family.pattern.exec(input.trim())
  if (m === null) return undefined
  const name = family.aliases?.[m[2]] ?? m[2]
  const unit = family.units.find((u) => u.name === name)!
  const value = unit.toBase(m[1])
  return Number.isFinite(value) ? value : undefined
}

/** Plain decimals (no exponent) for `v`: tidied to 15 digits (`0.1 * 3` → "0.3") and exact. */
function decimals(v: number): string[] {
  return [String(+v.toPrecision(15)), String(v)].filter((s) => !/e/i.test(s))
}

function formatIn(family: UnitFamily, value: number): string {
  if (value === 0) return `0${family.units.find((u) => u.toBase("1") === 1)!.name}`
  const candidates = family.units.flatMap((unit) =>
    decimals(unit.fromBase(value)).map((digits) => ({ text: `${digits}${unit.name}`, digits })),
  )
  const exact = candidates.filter((c) => parseIn(family, c.text) === value)
  const shortest = [...exact].sort((a, b) => a.text.length - b.text.length)[0]
  const best = exact.find((c) => !c.digits.includes(".")) ?? shortest ?? candidates[candidates.length - 1]
  return best?.text ?? `${value}`
}

/**
 * A duration in seconds, or undefined if `text` is not one of `250us` `10ms` `2s` `5m` `1h` (or 0).
 * @example parseDuration("10ms") // 0.01
 */
export const parseDuration = (text: string | number): number | undefined => parseIn(DURATION, text)

/**
 * A rate per second, or undefined if `text` is not one of `300/s` `1000/m` `5/h` (or 0).
 * @example parseRate("1000/m") // 16.666…
 */
export const parseRate = (text: string | number): number | undefined => parseIn(RATE, text)

/**
 * A size in bytes (1 KB = 1000 B), or undefined if `text` is not one of `512B` `1KB` `1MB` `1GB` (or 0).
 * @example parseSize("50KB") // 50000
 */
export const parseSize = (text: string | number): number | undefined => parseIn(SIZE, text)

/**
 * A bandwidth in bits per second, or undefined if `text` is not one of `100Kbps` `1000Mbps` `1Gbps` (or 0).
 * @example parseBandwidth("1Gbps") // 1e9
 */
export const parseBandwidth = (text: string | number): number | undefined => parseIn(BANDWIDTH, text)

/**
 * A fraction in [0, 1], or undefined if `input` is neither a number in [0, 1] nor `0%`…`100%`.
 * @example parseRatio("30%") // 0.3
 */
export function parseRatio(input: string | number): number | undefined {
  if (typeof input === "number") return input >= 0 && input <= 1 ? input : undefined
  const m = RATIO_PERCENT.exec(input.trim())
  if (m === null) return undefined
  const value = Number(`${m[1]}e-2`)
  return value <= 1 ? value : undefined
}

/**
 * Seconds as the largest unit that writes them exactly; `parseDuration` reads it back.
 * @example formatDuration(90) // "90s"; formatDuration(0.25) // "250ms"
 */
export const formatDuration = (seconds: number): string => formatIn(DURATION, seconds)

/** Per second as a rate string. @example formatRate(720) // "720/s" */
export const formatRate = (perSecond: number): string => formatIn(RATE, perSecond)

/** Bytes as a size string. @example formatSize(50_000) // "50KB" */
export const formatSize = (bytes: number): string => formatIn(SIZE, bytes)

/** Bits per second as a bandwidth string. @example formatBandwidth(1e9) // "1Gbps" */
export const formatBandwidth = (bitsPerSecond: number): string => formatIn(BANDWIDTH, bitsPerSecond)

/**
 * A short description of a user's value for an error message.
 * @example describeValue("four") // "\"four\""; describeValue({}) // "a mapping"
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing"
  if (value === null) return "an empty value"
  if (Array.isArray(value)) return "a list"
  if (typeof value === "object") return "a mapping"
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  // String(2 ** 60) is "1152921504606847000": print such an integer's exact value, not a rounded one
  if (typeof value === "number" && Number.isInteger(value) && !Number.isSafeInteger(value)) return BigInt(value).toString()
  return String(value)
}

function bareNumberHint(input: unknown, example: string): string {
  return typeof input === "number" ? ` (a bare number has no unit; write e.g. ${input}${example})` : ""
}

function unitSchema(family: UnitFamily, parse: (v: string | number) => number | undefined, expected: string, example: string) {
  const message = (iss: { input?: unknown }) =>
    `expected ${expected}, got ${describeValue(iss.input)}${bareNumberHint(iss.input, example)}`
  return z
    .union([z.string().regex(family.pattern, { error: message }), z.literal(0)], { error: message })
    .transform((v, ctx) => {
      const value = parse(v)
      if (value !== undefined) return value
      ctx.addIssue({ code: "custom", message: `${describeValue(v)} is too large`, input: v })
      return z.NEVER
    })
    .meta({ description: `${expected} (0 may be written without a unit)` })
}

/** A duration → seconds. @example Duration.parse("2s") // 2 */
export const Duration = unitSchema(DURATION, parseDuration, "a duration like 250us, 10ms, 2s, 5m or 1h", "s")

/** A rate → per second. @example Rate.parse("300/s") // 300 */
export const Rate = unitSchema(RATE, parseRate, "a rate like 300/s, 1000/m or 5/h", "/s")

/** A size → bytes (1 KB = 1000 B). @example Size.parse("1MB") // 1e6 */
export const Size = unitSchema(SIZE, parseSize, "a size like 512B, 50KB, 1MB or 1GB", "KB")

/** A bandwidth → bits per second. @example Bandwidth.parse("1000Mbps") // 1e9 */
export const Bandwidth = unitSchema(BANDWIDTH, parseBandwidth, "a bandwidth like 100Kbps, 1000Mbps or 1Gbps", "Mbps")

const ratioMessage = (iss: { input?: unknown }) =>
  `expected a ratio from 0 to 1 like 0.3, or a percentage like 30%, got ${describeValue(iss.input)}`

/** A disk bandwidth → bytes per second. @example ByteRate.parse("100MB/s") // 1e8 */
export const ByteRate = unitSchema(
  BYTE_RATE, (v) => parseIn(BYTE_RATE, v), "a byte rate like 100MB/s or 500MB/s", "MB/s",
)

/** A ratio → fraction in [0, 1]. @example Ratio.parse("30%") // 0.3 */
export const Ratio = z
  .union([
    z.number({ error: ratioMessage }).min(0, { error: ratioMessage }).max(1, { error: ratioMessage }),
    z.string().regex(RATIO_PERCENT, { error: ratioMessage }),
  ], { error: ratioMessage })
  .transform((v, ctx) => {
    const value = parseRatio(v)
    if (value !== undefined) return value
    ctx.addIssue({ code: "custom", message: ratioMessage({ input: v }), input: v })
    return z.NEVER
  })
  .meta({ description: "a ratio: 0.3 or 30%" })

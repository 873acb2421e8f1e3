/**
 * Capacity over a planning horizon: how the recommended deployment fares as users grow, month by
 * month, and when each tier's resources run out.
 *
 * - Load resources (CPU, ports, NIC, disk bandwidth, worker pools) scale with users: the worst
 *   run's use of each, measured at the sized user count, times users(m) / users(0). CPU runs out
 *   at the 80% of the default SLO, everything else at 100%.
 * - Disk space accumulates: per day, users × messages per user per day × (message size × copies)
 *   on the hosts holding message storage, and × file share × file size on the hosts holding file
 *   storage, kept for the retention period (files also capped per host, seed 000: 200 GB or 365
 *   days per machine). A message is written as two replicas and a parity of its group (seed 000,
 *   "二副本一校验": three copies' worth of bytes), spread evenly over the groups.
 * - A month is 30 days; users grow by `growth` per month, compounded.
 */
import { parse as parseYaml } from "yaml"
import { Ratio, parseSize } from "../scenario/units.ts"
import type { Candidate } from "./candidates.ts"
import { type Evaluation, type SizeOptions, type SizeResult, candidateScenario } from "./search.ts"

export interface HorizonOptions {
  /** Months to look ahead. */
  readonly months: number
  /** Users' growth per month, as a fraction (0.03 = 3%/m). */
  readonly growth: number
  /** Messages a user sends per day (the seed gives only the peak rate). */
  readonly messagesPerUserDay: number
  /** Days messages are kept (Infinity: forever). */
  readonly messageRetentionDays: number
  /** Days files are kept, and the most a host keeps. */
  readonly fileRetentionDays: number
  readonly fileCapBytes: number
  /** Disk space per storage host, bytes. */
  readonly diskSpaceBytes: number
  /** Whether the horizon was asked for (then running out inside it is a failure). */
  readonly explicit: boolean
}

export const DEFAULT_HORIZON: HorizonOptions = {
  months: 36, growth: 0, messagesPerUserDay: 100, messageRetentionDays: 365, fileRetentionDays: 365,
  fileCapBytes: 200e9, diskSpaceBytes: 1e12, explicit: false,
}

/** What one day adds to storage, per host. */
export interface DailyVolume {
  readonly messages: number
  /** Message bytes per day over the deployment (all copies). */
  readonly messageBytes: number
  readonly fileBytes: number
  /** Per host of the message tier, and of the file tier. */
  readonly messageBytesPerHost: number
  readonly fileBytesPerHost: number
}

/** The copies' worth of bytes a message takes in its group: two replicas and a parity. */
export const MESSAGE_COPIES = 3

/**
 * Storage added per day at `users`.
 *
 * @example
 * dailyVolume(50_000, { messageSize: 1000, fileRatio: 0.1, fileSize: 50_000 }, 100, 3, 3).messageBytesPerHost // 5e9
 */
export function dailyVolume(
  users: number, load: { readonly messageSize: number; readonly fileRatio: number; readonly fileSize: number },
  messagesPerUserDay: number, messageHosts: number, fileHosts: number,
): DailyVolume {
  const messages = users * messagesPerUserDay
  const messageBytes = messages * load.messageSize * MESSAGE_COPIES
  const fileBytes = messages * load.fileRatio * load.fileSize
  return { messages, messageBytes, fileBytes, messageBytesPerHost: messageBytes / messageHosts, fileBytesPerHost: fileBytes / fileHosts }
}

export interface TierLine {
  readonly tier: string
  /** "cores", "ports", "NIC in", "disk space", … */
  readonly resource: string
  readonly host: string
  /** Use at month 0 (fraction of the limit's capacity, not of the limit). */
  readonly use: number
  /** The use at which it runs out (0.8 for CPU, 1 otherwise). */
  readonly limit: number
  /** Month in which it first exceeds its limit; null: not within the horizon. */
  readonly runsOutMonth: number | null
  /** Headroom left (1 − use / limit) at each month 0…months. */
  readonly headroom: ReadonlyArray<number>
}

export interface HorizonResult {
  readonly options: HorizonOptions
  readonly candidate: Candidate
  readonly users: ReadonlyArray<number>
  readonly volume: DailyVolume
  readonly lines: ReadonlyArray<TierLine>
  /** The first month anything runs out, with what; null when everything lasts. */
  readonly first: { readonly month: number; readonly tier: string; readonly resource: string } | null
}

const RESOURCE: Record<string, string> = {
  cpu: "cores", "nic in": "NIC in", "nic out": "NIC out", ports: "ports", "disk write": "disk write", "disk read": "disk read",
}

/** Stored bytes per host at month m: the last `retention` days of daily volume, capped. */
function stored(perHostPerDay: (month: number) => number, month: number, retentionDays: number, cap: number): number {
  let total = 0
  const days = (month + 1) * 30
  const from = Number.isFinite(retentionDays) ? Math.max(0, days - retentionDays) : 0
  for (let d = from; d < days; d++) total += perHostPerDay(Math.floor(d / 30))
  return Math.min(cap, total)
}

/**
 * The horizon of the recommendation `ev` sized at `users`.
 *
 * @example
 * horizon(ev, 50_000, { messageSize: 1000, fileRatio: 0.1, fileSize: 50_000 }, { messages: "logic", files: "logic" }, DEFAULT_HORIZON)
 */
export function horizon(
  ev: Evaluation, users: number, load: { readonly messageSize: number; readonly fileRatio: number; readonly fileSize: number },
  where: { readonly messages: string; readonly files: string }, o: HorizonOptions, cpuLimit = 0.8,
): HorizonResult {
  const c = ev.candidate
  const count = (tier: string) => (tier === "access" ? c.access : tier === "storage" ? c.storage : c.logic)
  const usersAt = Array.from({ length: o.months + 1 }, (_, m) => users * (1 + o.growth) ** m)
  const lines: TierLine[] = []
  // load resources: the worst run's use, per tier and resource
  const worst = new Map<string, { tier: string; resource: string; host: string; use: number }>()
  for (const run of ev.runs) {
    for (const [tier, byRes] of Object.entries(run.usage)) {
      for (const [res, u] of Object.entries(byRes)) {
        const key = `${tier}/${res}`
        const prev = worst.get(key)
        if (prev === undefined || u.fraction > prev.use) worst.set(key, { tier, resource: RESOURCE[res] ?? res, host: u.host, use: u.fraction })
      }
    }
  }
  for (const w of worst.values()) {
    const limit = w.resource === "cores" ? cpuLimit : 1
    const useAt = usersAt.map((n) => (w.use * n) / users)
    const out = useAt.findIndex((u) => u > limit)
    lines.push({ ...w, limit, runsOutMonth: out < 0 ? null : out, headroom: useAt.map((u) => 1 - u / limit) })
  }
  // disk space
  const msgHosts = count(where.messages)
  const fileHosts = count(where.files)
  const volume = dailyVolume(users, load, o.messagesPerUserDay, msgHosts, fileHosts)
  const perDay = (month: number) => usersAt[Math.min(month, o.months)] / users
  const spaceTiers = where.messages === where.files ? [where.messages] : [where.messages, where.files]
  for (const tier of spaceTiers) {
    const usedAt = usersAt.map((_, m) =>
      (tier === where.messages ? stored((k) => volume.messageBytesPerHost * perDay(k), m, o.messageRetentionDays, Infinity) : 0) +
      (tier === where.files ? stored((k) => volume.fileBytesPerHost * perDay(k), m, o.fileRetentionDays, o.fileCapBytes) : 0))
    const useAt = usedAt.map((b) => b / o.diskSpaceBytes)
    const out = useAt.findIndex((u) => u > 1)
    lines.push({ tier, resource: "disk space", host: `each ${tier} host`, use: useAt[0], limit: 1, runsOutMonth: out < 0 ? null : out, headroom: useAt.map((u) => 1 - u) })
  }
  lines.sort((a, b) => a.tier.localeCompare(b.tier) || a.resource.localeCompare(b.resource))
  const firstLine = lines.filter((l) => l.runsOutMonth !== null).sort((a, b) => a.runsOutMonth! - b.runsOutMonth!)[0]
  return {
    options: o, candidate: c, users: usersAt, volume, lines,
    first: firstLine === undefined ? null : { month: firstLine.runsOutMonth!, tier: firstLine.tier, resource: firstLine.resource },
  }
}

/**
 * `3%/m`, `40%/y` (compounded to a month), `0` → growth per month; undefined when it is not one.
 * Allowed: −50%…+100% per month.
 *
 * @example
 * parseGrowth("3%/m") // 0.03
 */
export function parseGrowth(text: string): number | undefined {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*%?\s*(?:\/\s*(m|mo|month|y|yr|year))?\s*$/.exec(text)
  if (m === null) return undefined
  const v = Number(m[1]) / (text.includes("%") ? 100 : 1)
  const perMonth = m[2] !== undefined && m[2].startsWith("y") ? (1 + v) ** (1 / 12) - 1 : v
  return Number.isFinite(perMonth) && perMonth >= -0.5 && perMonth <= 1 ? perMonth : undefined
}

/**
 * `36m`, `3y`, `24` (months) → months, 1…240; undefined otherwise.
 *
 * @example
 * parseMonths("3y") // 36
 */
export function parseMonths(text: string): number | undefined {
  const m = /^\s*(\d+)\s*(m|mo|months?|y|years?)?\s*$/.exec(text)
  if (m === null) return undefined
  const n = Number(m[1]) * (m[2] !== undefined && m[2].startsWith("y") ? 12 : 1)
  return n >= 1 && n <= 240 ? n : undefined
}

/**
 * `365d`, `6m`, `2y`, `forever` → days (Infinity for forever); undefined otherwise.
 *
 * @example
 * parseRetention("2y") // 730
 */
export function parseRetention(text: string): number | undefined {
  if (/^\s*forever\s*$/i.test(text)) return Infinity
  const m = /^\s*(\d+(?:\.\d+)?)\s*(d|days?|m|months?|y|years?)\s*$/.exec(text)
  if (m === null) return undefined
  const n = Number(m[1]) * (m[2].startsWith("y") ? 365 : m[2].startsWith("m") ? 30 : 1)
  return n >= 1 && n <= 36_500 ? n : undefined
}

/**
 * `1TB`, `500GB`, `2TiB`-free decimal sizes → bytes; undefined otherwise.
 *
 * @example
 * parseSpace("1TB") // 1e12
 */
export function parseSpace(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(GB|TB|PB)\s*$/i.exec(text)
  if (m === null) return undefined
  const v = Number(m[1]) * { gb: 1e9, tb: 1e12, pb: 1e15 }[m[2].toLowerCase() as "gb" | "tb" | "pb"]
  return v > 0 ? v : undefined
}

/**
 * The horizon of a finished search's recommendation: the load model read from the base scenario
 * (or the preset's defaults), message and file storage where the scenario places `wwlxkv` and
 * `wwlfile`.
 *
 * @example
 * horizonOf(options, result, DEFAULT_HORIZON)
 */
export function horizonOf(options: SizeOptions, result: SizeResult, o: HorizonOptions): HorizonResult | null {
  const rec = result.recommendation
  if (rec === null) return null
  const parsed: unknown = options.base === undefined ? {} : parseYaml(options.base.text, { version: "1.2" })
  const raw = typeof parsed === "object" && parsed !== null ? parsed as Record<string, unknown> : {}
  const size = (v: unknown, d: number) => (v === undefined ? d : parseSize(v as string | number) ?? d)
  const ratio = (v: unknown, d: number) => {
    const r = v === undefined ? undefined : Ratio.safeParse(v)
    return r === undefined || !r.success ? d : r.data
  }
  const scenario = candidateScenario(options, rec.candidate)
  const classOf = (svc: string) => scenario.services[svc]?.host ?? (rec.candidate.storage > 0 ? "storage" : "logic")
  return horizon(rec, options.users, {
    messageSize: size(raw.messageSize, 1000), fileRatio: ratio(raw.fileRatio, 0.1), fileSize: size(raw.fileSize, 50_000),
  }, { messages: classOf("wwlxkv"), files: classOf("wwlfile") }, o)
}

/**
 * Per-host CPU utilisation over time, from `sar -u` text (sysstat 12), Prometheus `query_range`
 * JSON, or a plain CSV `time,host,cpu`. Every sample is the average over the period that ends at
 * its time (as sar and a Prometheus `rate(…[1m])` are), as a share of the host's cores (0–1).
 */
import { readFileSync } from "node:fs"
import { ScenarioInvalid } from "../scenario/errors.ts"

export interface CpuSample {
  readonly host: string
  /** Unix seconds: the end of the averaging period. */
  readonly t: number
  /** Share of all cores busy, 0–1. */
  readonly util: number
}

/** Lines that did not parse: how many, and the first few as `file:line: text`. */
export class Garbage {
  count = 0
  readonly examples: string[] = []
  constructor(readonly file: string, readonly keep = 3) {}
  add(lineNumber: number, text: string): void {
    this.count++
    if (this.examples.length < this.keep) {
      const shown = text.length > 100 ? `${text.slice(0, 100)}…` : text
      this.examples.push(`${this.file}:${lineNumber}: ${JSON.stringify(shown)}`)
    }
  }
}

export interface CpuParse {
  readonly samples: CpuSample[]
  /** sar's header: the host's cores. */
  readonly cores?: number
}

const TIME_12 = /^(\d\d):(\d\d):(\d\d)(?: (AM|PM))?$/

/**
 * `sar -u` text. The header names the host, the date and the cores; each `all` row's %idle gives
 * the use. Times are local: `timezoneS` is the offset of that local time (seconds east of UTC).
 *
 * @example
 * parseSar(text, "sar-logic-1.txt", 8 * 3600).samples[0] // { host: "logic-1", t: …, util: 0.0338 }
 */
export function parseSar(text: string, file: string, timezoneS: number, garbage = new Garbage(file)): CpuParse {
  const lines = text.split(/\r?\n/)
  const header = /^Linux \S+ \(([^)]+)\)\s+(\d\d)\/(\d\d)\/(\d{2,4})|^Linux \S+ \(([^)]+)\)\s+(\d{4})-(\d\d)-(\d\d)/.exec(lines[0] ?? "")
  if (header === null) throw new ScenarioInvalid({ file, path: "", line: 1, message: "not sar -u output: the first line should be sar's `Linux <kernel> (<host>) <date> …` header" })
  const host = header[1] ?? header[5]
  let year: number, month: number, day: number
  if (header[1] !== undefined) {
    year = Number(header[4]); if (year < 100) year += 2000
    month = Number(header[2]); day = Number(header[3])
  } else {
    year = Number(header[6]); month = Number(header[7]); day = Number(header[8])
  }
  const coresMatch = /\((\d+) CPU\)/.exec(lines[0])
  let dayStart = Date.UTC(year, month - 1, day) / 1000 - timezoneS
  let idleColumn = -1
  let lastSeconds = -1
  const samples: CpuSample[] = []
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]
    const line = raw.trim()
    if (line === "" || line.startsWith("Average:") || /RESTART/.test(line)) continue
    const cells = line.split(/\s+/)
    // the time may be "12:00:01 AM": two cells
    const ampm = cells[1] === "AM" || cells[1] === "PM"
    const timeText = ampm ? `${cells[0]} ${cells[1]}` : cells[0]
    const rest = cells.slice(ampm ? 2 : 1)
    const tm = TIME_12.exec(timeText)
    if (tm === null) { garbage.add(i + 1, raw); continue }
    if (rest[0] === "CPU") { idleColumn = rest.indexOf("%idle"); continue }
    if (rest[0] !== "all") continue // per-CPU rows of sar -P
    const idle = Number(rest[idleColumn])
    if (idleColumn < 0 || !Number.isFinite(idle)) { garbage.add(i + 1, raw); continue }
    let h = Number(tm[1])
    if (tm[4] === "AM" && h === 12) h = 0
    if (tm[4] === "PM" && h !== 12) h += 12
    const seconds = h * 3600 + Number(tm[2]) * 60 + Number(tm[3])
    if (seconds < lastSeconds) dayStart += 86_400 // past midnight
    lastSeconds = seconds
    samples.push({ host, t: dayStart + seconds, util: Math.min(1, Math.max(0, (100 - idle) / 100)) })
  }
  return { samples, cores: coresMatch === null ? undefined : Number(coresMatch[1]) }
}

const scale = (v: number, unit: "fraction" | "percent" | "cores", cores: (host: string) => number | undefined, host: string): number =>
  unit === "percent" ? v / 100 : unit === "cores" ? v / (cores(host) ?? NaN) : v

/**
 * A Prometheus `query_range` answer (`resultType: matrix`), one series per host: the host is the
 * series' `instance` label without its port (or `host`, `nodename`). `unit` says what the values are.
 */
export function parsePrometheus(text: string, file: string, unit: "fraction" | "percent" | "cores", cores: (host: string) => number | undefined): CpuParse {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (e) {
    throw new ScenarioInvalid({ file, path: "", message: `not JSON: ${(e as Error).message}` })
  }
  const result = (data as { data?: { resultType?: string; result?: unknown } })?.data
  if (result?.resultType !== "matrix" || !Array.isArray(result.result)) {
    throw new ScenarioInvalid({ file, path: "data.resultType", message: "expected a Prometheus query_range answer with resultType \"matrix\"" })
  }
  const samples: CpuSample[] = []
  result.result.forEach((series: { metric?: Record<string, string>; values?: Array<[number, string]> }, i: number) => {
    const labels = series.metric ?? {}
    const host = (labels.instance ?? labels.host ?? labels.nodename ?? "").replace(/:\d+$/, "")
    if (host === "") throw new ScenarioInvalid({ file, path: `data.result.${i}.metric`, message: "a series without an instance, host or nodename label" })
    for (const [t, v] of series.values ?? []) {
      const util = scale(Number(v), unit, cores, host)
      if (Number.isFinite(util)) samples.push({ host, t: Number(t), util })
    }
  })
  return { samples }
}

/** CSV `time,host,cpu`: time in Unix seconds or ISO 8601, cpu as a share (0.35), percent (35%), or per `unit`. */
export function parseCpuCsv(text: string, file: string, unit: "fraction" | "percent" | "cores", cores: (host: string) => number | undefined, garbage = new Garbage(file)): CpuParse {
  const samples: CpuSample[] = []
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim()
    if (line === "" || line.startsWith("#")) return
    const cells = line.split(",").map((c) => c.trim())
    if (i === 0 && !/^\d/.test(cells[0])) return // header
    const t = /^\d+(\.\d+)?$/.test(cells[0] ?? "") ? Number(cells[0]) : Date.parse(cells[0] ?? "") / 1000
    const pct = /%$/.test(cells[2] ?? "")
    const v = Number((cells[2] ?? "").replace(/%$/, ""))
    const util = pct ? v / 100 : scale(v, unit, cores, cells[1])
    if (cells.length !== 3 || !Number.isFinite(t) || cells[1] === "" || !Number.isFinite(util) || util < 0) { garbage.add(i + 1, raw); return }
    samples.push({ host: cells[1], t, util })
  })
  return { samples }
}

/** Which CPU format a file is, from its first bytes; undefined when none. */
export function sniffCpu(head: string): "sar" | "prometheus" | "csv" | undefined {
  if (/^Linux \S+ \(/.test(head)) return "sar"
  if (/^\s*\{/.test(head) && head.includes('"data"') || /^\s*\{\s*"status"/.test(head)) return "prometheus"
  const first = head.split(/\r?\n/, 1)[0].trim().toLowerCase()
  if (/^time\s*,\s*host\s*,\s*cpu$/.test(first) || /^[\d.:TZ+-]+,[^,]+,[\d.]+%?$/i.test(first)) return "csv"
  return undefined
}

export const readText = (file: string): string => readFileSync(file, "utf8")

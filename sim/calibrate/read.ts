/**
 * Reads every input once, streamed, into bounded aggregates: per interval and kind the request
 * counts, per kind the latency histogram and byte sums, per host the CPU samples, per Svrkit
 * module the moments of its queue and worker times. Memory grows with intervals × kinds and
 * with hosts × samples, never with the number of log lines.
 */
import { basename } from "node:path"
import { gunzipSync, constants as zlibConstants } from "node:zlib"
import { closeSync, openSync, readSync } from "node:fs"
import * as hdr from "hdr-histogram-js"
import { ScenarioInvalid } from "../scenario/errors.ts"
import { type CpuSample, Garbage, parseCpuCsv, parsePrometheus, parseSar, readText, sniffCpu } from "./cpu.ts"
import { fileSize, forEachLine } from "./lines.ts"
import { type CalibrationMap, hostClass, kindOfPath } from "./map.ts"
import { type CompiledFormat, compileFormat } from "./nginx.ts"
import { looksLikeRun, parseRunLine } from "./svrkit.ts"

export type InputFormat = "nginx" | "svrkit" | "sar" | "prometheus" | "csv"

export interface InputReport {
  readonly file: string
  readonly format: InputFormat
  readonly lines: number
  readonly records: number
  readonly garbage: number
  /** The first few unparseable lines, as `file:line: "text"`. */
  readonly examples: ReadonlyArray<string>
}

/** Count, sum and sum of squares: a mean and a variance in constant memory. */
export class Moments {
  n = 0
  sum = 0
  sumSq = 0
  add(v: number): void { this.n++; this.sum += v; this.sumSq += v * v }
  get mean(): number { return this.n === 0 ? NaN : this.sum / this.n }
  get variance(): number { return this.n < 2 ? 0 : Math.max(0, (this.sumSq - (this.sum * this.sum) / this.n) / (this.n - 1)) }
}

const histogram = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3, bitBucketSize: 64, autoResize: false, useWebAssembly: false })
export type Histogram = ReturnType<typeof histogram>

export interface KindAggregate {
  readonly requestTime: Moments
  /** $request_time in µs. */
  readonly histogram: Histogram
  readonly requestBytes: Moments
  readonly replyBytes: Moments
  /** nginx's own time: $request_time − $upstream_response_time, where there was an upstream. */
  readonly nginxOwn: Moments
  errors: number
}

export interface ModuleAggregate {
  readonly worker: Moments
  readonly queue: Moments
  readonly requestBytes: Moments
  readonly replyBytes: Moments
  /** Queue + worker time of the calls coming from each host class (the `ip` field). */
  readonly fromClass: Map<string, Moments>
  readonly cmds: Map<number, number>
  /** Worker time (as logged, ms) → count; dropped if the values are not few whole numbers. */
  workerCounts: Map<number, number> | null
}

export interface Measurements {
  readonly intervalS: number
  readonly kinds: ReadonlyArray<string>
  readonly inputs: InputReport[]
  /** Interval index (Unix time / interval) → requests per kind (arrivals in it). */
  readonly counts: Map<number, Float64Array>
  /** Interval index → Σ $request_time per kind (for the mean over time). */
  readonly latencySums: Map<number, Float64Array>
  readonly perKind: ReadonlyArray<KindAggregate>
  /** Requests whose path no kind of the map matches. */
  unmapped: number
  /** First and last arrival in the access logs, Unix seconds. */
  first: number
  last: number
  /** Requests per upstream host class (from $upstream_addr). */
  readonly upstreamClasses: Map<string, number>
  readonly cpu: Map<string, CpuSample[]>
  /** Cores per host from sar's header. */
  readonly sarCores: Map<string, number>
  readonly modules: Map<string, ModuleAggregate>
  /** RUN lines whose module neither the file name nor the line says. */
  unattributedRun: number
}

/** The first ~64 KB of a file as text, decompressed when gzip'd (a partial gzip stream is fine). */
function head(file: string): string {
  const fd = openSync(file, "r")
  try {
    const buf = Buffer.alloc(65_536)
    const n = readSync(fd, buf, 0, buf.length, 0)
    const raw = buf.subarray(0, n)
    if (n >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
      try { return gunzipSync(raw, { finishFlush: zlibConstants.Z_SYNC_FLUSH }).toString("utf8") } catch { return "" }
    }
    return raw.toString("utf8")
  } finally {
    closeSync(fd)
  }
}

const PREFIX = /^(nginx|svrkit|sar|prometheus|csv):(.+)$/

/**
 * What an input is: an explicit `format:path`, or sniffed from its first lines (CPU formats by
 * their shape, RUN lines by `RUN …`, anything else is an access log).
 */
export function classify(input: string): { readonly file: string; readonly format: InputFormat } {
  const m = PREFIX.exec(input)
  if (m !== null) return { file: m[2], format: m[1] as InputFormat }
  fileSize(input)
  const text = head(input)
  const cpu = sniffCpu(text)
  if (cpu !== undefined) return { file: input, format: cpu }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "").slice(0, 20)
  if (lines.length > 0 && lines.filter(looksLikeRun).length >= lines.length / 2) return { file: input, format: "svrkit" }
  return { file: input, format: "nginx" }
}

/** Share of garbage above which an input is refused: its format is likely wrong. */
const MAX_GARBAGE = 0.5

export interface ReadOptions {
  /** Raw bytes read so far over all inputs, for a progress bar. */
  readonly onBytes?: (n: number) => void
  /** Cores of a host, when the values are busy cores (map `cpuUnit: cores`). */
  readonly cores?: (host: string) => number | undefined
}

/**
 * Reads all inputs. Throws `ScenarioInvalid` (exit 2) for a log_format lacking a needed
 * variable, an input that is mostly unparseable, and `ScenarioUnreadable` for a missing file.
 */
export async function readInputs(inputs: ReadonlyArray<string>, map: CalibrationMap, options: ReadOptions = {}): Promise<Measurements> {
  const kinds = map.kinds.map((k) => k.name)
  const m: Measurements = {
    intervalS: map.intervalS, kinds, inputs: [], counts: new Map(), latencySums: new Map(),
    perKind: kinds.map(() => ({ requestTime: new Moments(), histogram: histogram(), requestBytes: new Moments(), replyBytes: new Moments(), nginxOwn: new Moments(), errors: 0 })),
    unmapped: 0, first: Infinity, last: -Infinity, upstreamClasses: new Map(), cpu: new Map(), sarCores: new Map(),
    modules: new Map(), unattributedRun: 0,
  }
  const classified = inputs.map(classify)
  let format: CompiledFormat | undefined
  if (classified.some((c) => c.format === "nginx")) {
    if (map.logFormat === undefined) throw new ScenarioInvalid({ file: map.file, path: "logFormat", message: "access logs were given but the map has no logFormat (the log_format string from nginx.conf)" })
    format = compileFormat(map.logFormat, map.uin)
    if (format.missing !== undefined) throw new ScenarioInvalid({ file: map.file, path: "logFormat", message: format.missing })
  }
  for (const { file, format: kind } of classified) {
    const garbage = new Garbage(file)
    let lines = 0, records = 0
    if (kind === "nginx") {
      const pathKinds = new Map<string, number>()
      const upstreamClass = new Map<string, string>()
      lines = await forEachLine(file, (line, n) => {
        if (line === "") return
        const r = format!.parse(line)
        if (r === undefined) { garbage.add(n, line); return }
        records++
        let k = pathKinds.get(r.path)
        if (k === undefined) {
          const name = kindOfPath(map, r.path)
          k = name === undefined ? -1 : kinds.indexOf(name)
          if (pathKinds.size < 100_000) pathKinds.set(r.path, k) // bounded: paths with ids in them would grow it
        }
        if (k < 0) { m.unmapped++; return }
        addRequest(m, k, r.t - r.requestTime, r)
        if (r.upstreamAddr !== "" && r.upstreamAddr !== "-") {
          let cls = upstreamClass.get(r.upstreamAddr)
          if (cls === undefined) {
            cls = hostClass(map, r.upstreamAddr.split(/[,:] ?/)[0].trim()) ?? "?"
            if (upstreamClass.size < 10_000) upstreamClass.set(r.upstreamAddr, cls)
          }
          m.upstreamClasses.set(cls, (m.upstreamClasses.get(cls) ?? 0) + 1)
        }
      }, options.onBytes)
    } else if (kind === "svrkit") {
      const byFile = map.modules.find((mod) => mod.files.some((g) => g.test(basename(file))))
      lines = await forEachLine(file, (line, n) => {
        if (!looksLikeRun(line)) return
        const r = parseRunLine(line)
        if (r === undefined) { garbage.add(n, line); return }
        records++
        const mod = byFile ?? map.modules.find((x) => line.includes(x.name))
        if (mod === undefined) { m.unattributedRun++; return }
        let agg = m.modules.get(mod.name)
        if (agg === undefined) {
          agg = { worker: new Moments(), queue: new Moments(), requestBytes: new Moments(), replyBytes: new Moments(), fromClass: new Map(), cmds: new Map(), workerCounts: new Map() }
          m.modules.set(mod.name, agg)
        }
        agg.worker.add(r.workerMs / 1000)
        if (agg.workerCounts !== null) {
          agg.workerCounts.set(r.workerMs, (agg.workerCounts.get(r.workerMs) ?? 0) + 1)
          if (agg.workerCounts.size > 20_000) agg.workerCounts = null // bounded memory
        }
        agg.queue.add(r.queueMs / 1000)
        agg.requestBytes.add(r.requestBytes)
        agg.replyBytes.add(r.replyBytes)
        agg.cmds.set(r.cmd, (agg.cmds.get(r.cmd) ?? 0) + 1)
        const cls = hostClass(map, r.ip) ?? "?"
        let from = agg.fromClass.get(cls)
        if (from === undefined) agg.fromClass.set(cls, (from = new Moments()))
        from.add((r.queueMs + r.workerMs) / 1000)
      }, options.onBytes)
    } else {
      const text = readText(file)
      options.onBytes?.(fileSize(file))
      lines = text.split("\n").length
      const cores = options.cores ?? (() => undefined)
      const parsed = kind === "sar" ? parseSar(text, file, map.timezoneS, garbage)
        : kind === "prometheus" ? parsePrometheus(text, file, map.cpuUnit, cores)
        : parseCpuCsv(text, file, map.cpuUnit, cores, garbage)
      for (const s of parsed.samples) {
        let list = m.cpu.get(s.host)
        if (list === undefined) m.cpu.set(s.host, (list = []))
        list.push(s)
      }
      if (parsed.cores !== undefined && parsed.samples.length > 0) m.sarCores.set(parsed.samples[0].host, parsed.cores)
      records = parsed.samples.length
    }
    if (records === 0 || garbage.count > MAX_GARBAGE * (records + garbage.count)) {
      const what = kind === "nginx" ? "logFormat" : `the ${kind} format`
      throw new ScenarioInvalid({
        file, path: "",
        message: `${garbage.count} of ${records + garbage.count} lines do not parse as ${what}${garbage.examples.length > 0 ? `; first: ${garbage.examples[0]}` : ""}`,
      })
    }
    m.inputs.push({ file, format: kind, lines, records, garbage: garbage.count, examples: garbage.examples })
  }
  return m
}

function addRequest(m: Measurements, k: number, arrival: number, r: { readonly status: number; readonly requestTime: number; readonly upstreamTime: number; readonly upstreamAddr: string; readonly requestLength: number; readonly bytesSent: number }): void {
  const interval = Math.floor(arrival / m.intervalS)
  let counts = m.counts.get(interval)
  let sums = m.latencySums.get(interval)
  if (counts === undefined || sums === undefined) {
    m.counts.set(interval, (counts = new Float64Array(m.kinds.length)))
    m.latencySums.set(interval, (sums = new Float64Array(m.kinds.length)))
  }
  counts[k]++
  sums[k] += r.requestTime
  if (arrival < m.first) m.first = arrival
  if (arrival > m.last) m.last = arrival
  const agg = m.perKind[k]
  agg.requestTime.add(r.requestTime)
  agg.histogram.recordValue(Math.max(1, Math.round(r.requestTime * 1e6)))
  agg.requestBytes.add(r.requestLength)
  agg.replyBytes.add(r.bytesSent)
  if (r.status >= 500) agg.errors++
  if (Number.isFinite(r.upstreamTime)) agg.nginxOwn.add(Math.max(0, r.requestTime - r.upstreamTime))
}

/**
 * Trace replay: arrivals taken from an access log instead of a Poisson process. The log is read
 * synchronously in 1 MB chunks (gzip inflated chunk by chunk), so the engine pulls one arrival at
 * a time and a day of logs replays in bounded memory. nginx writes a line when a request ends, so
 * arrival = $msec − $request_time; arrivals are put back in order through a small heap that holds
 * those within `REORDER_S` of the newest line read.
 */
import { closeSync, openSync, readSync } from "node:fs"
import { dirname, isAbsolute, join } from "node:path"
import pako from "pako"
import seedrandom from "seedrandom"
import * as z from "zod"
import { ScenarioInvalid } from "../scenario/errors.ts"
import type { Scenario } from "../scenario/Scenario.ts"
import { isGzip, fileSize } from "./lines.ts"
import { type CalibrationMap, kindOfPath, loadMap } from "./map.ts"
import { type CompiledFormat, compileFormat } from "./nginx.ts"

/** The scenario's `trace:` block, as written. */
export const TraceInput = z.strictObject({
  file: z.string().min(1).meta({ description: "the access log (gzip'd or not), relative to the scenario file" }),
  map: z.string().min(1).meta({ description: "the calibration map: log_format, which URIs are which kind" }),
  speed: z.number().positive().max(1000).optional().meta({ description: "load factor: each logged arrival is replayed floor(speed) times, once more with probability frac(speed); default 1" }),
  from: z.string().refine((s) => Number.isFinite(Date.parse(s)), "expected a date and time like 2026-11-30T10:00:00Z").optional()
    .meta({ description: "where in the log the run's time 0 is; default the first arrival's second" }),
  kinds: z.array(z.string()).optional().meta({ description: "the kinds that take their arrivals from the log (default: every kind of the map the workload has)" }),
}).meta({ description: "replay an access log's arrivals (README: Replaying a log)" })


/** The validated trace: paths resolved, kinds known. */
export interface TraceSpec {
  readonly file: string
  readonly map: string
  readonly speed: number
  /** Unix seconds of the run's time 0; null: the first arrival's whole second. */
  readonly from: number | null
  readonly kinds: ReadonlyArray<string>
}

export const toTraceSpec = (t: z.output<typeof TraceInput>): TraceSpec => ({
  file: t.file, map: t.map, speed: t.speed ?? 1, from: t.from === undefined ? null : Date.parse(t.from) / 1000, kinds: t.kinds ?? [],
})

/**
 * Resolves the trace's files relative to the scenario file, checks they can be read, and fills
 * in the kinds. Throws `ScenarioInvalid` / `ScenarioUnreadable`.
 */
export function resolveTrace(scenario: Scenario, scenarioFile: string): Scenario {
  const t = scenario.trace
  if (t === undefined) return scenario
  const rel = (p: string) => (isAbsolute(p) ? p : join(dirname(scenarioFile), p))
  const file = rel(t.file), mapFile = rel(t.map)
  fileSize(file)
  const map = loadMap(mapFile)
  if (map.logFormat === undefined) throw new ScenarioInvalid({ file: mapFile, path: "logFormat", message: "a replayed log needs the log_format it was written with" })
  const format = compileFormat(map.logFormat, map.uin)
  if (!format.variables.some((v) => ["msec", "time_local", "time_iso8601"].includes(v))) {
    throw new ScenarioInvalid({ file: mapFile, path: "logFormat", message: "lacks $msec or $time_local (needed for the arrival times)" })
  }
  const mapped = map.kinds.map((k) => k.name)
  const kinds = t.kinds.length > 0 ? t.kinds : mapped.filter((k) => scenario.workload[k] !== undefined)
  for (const k of kinds) {
    if (scenario.workload[k] === undefined) throw new ScenarioInvalid({ file: scenarioFile, path: "trace.kinds", message: `no workload kind ${k}` })
    if (!mapped.includes(k)) throw new ScenarioInvalid({ file: scenarioFile, path: "trace.kinds", message: `${k} is not a kind of the map ${mapFile}` })
  }
  if (kinds.length === 0) throw new ScenarioInvalid({ file: scenarioFile, path: "trace", message: `no kind of the map ${mapFile} is a workload kind of the scenario` })
  return { ...scenario, trace: { ...t, file, map: mapFile, kinds } }
}

const CHUNK = 1 << 20
/** Longest $request_time the reordering expects; a later arrival is replayed at the newest time already passed. */
export const REORDER_S = 60

/** FNV-1a of a string: a stable uin for a client address or a non-numeric uin field. */
const hash = (s: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/** Reads one log's lines synchronously. */
class LineSource {
  private readonly fd: number
  private readonly file: string
  // pako's inflater keeps its state between chunks; Node's synchronous zlib step
  // (`_processChunk`) closes its handle after one chunk, so a log over 1 MB compressed failed
  private readonly inflate: pako.Inflate | null
  private inflated: string[] = []
  private readonly buf = Buffer.alloc(CHUNK)
  private rest = ""
  private lines: string[] = []
  private at = 0
  private done = false
  lineNumber = 0

  constructor(file: string) {
    this.file = file
    this.inflate = isGzip(file) ? new pako.Inflate({ to: "string" }) : null
    if (this.inflate !== null) this.inflate.onData = (text) => { this.inflated.push(text as string) }
    this.fd = openSync(file, "r")
  }

  /** The next line, or null at the end. */
  next(): string | null {
    while (this.at >= this.lines.length) {
      if (this.done) return null
      this.fill()
    }
    this.lineNumber++
    return this.lines[this.at++]
  }

  private fill(): void {
    const n = readSync(this.fd, this.buf, 0, CHUNK, null)
    let text: string
    if (n === 0) {
      this.done = true
      closeSync(this.fd)
      text = this.rest
      this.rest = ""
      this.lines = text === "" ? [] : [text]
      this.at = 0
      return
    }
    const raw = this.buf.subarray(0, n)
    if (this.inflate === null) text = this.rest + raw.toString("utf8")
    else {
      // Z_SYNC_FLUSH: all of this chunk's output now (split at a UTF-8 character boundary)
      this.inflate.push(raw, pako.Z_SYNC_FLUSH)
      if (this.inflate.err !== 0) throw new Error(`${this.file}: gzip data is corrupt (${this.inflate.msg})`)
      text = this.rest + this.inflated.join("")
      this.inflated = []
    }
    const cut = text.lastIndexOf("\n")
    this.rest = cut < 0 ? text : text.slice(cut + 1)
    this.lines = cut < 0 ? [] : text.slice(0, cut).split("\n")
    this.at = 0
  }
}

export interface TraceSummary {
  readonly file: string
  readonly speed: number
  /** The log's window replayed, ISO 8601. */
  readonly from: string
  readonly to: string
  /** Logged requests of the replayed kinds in the window, and arrivals started from them. */
  readonly logged: number
  readonly arrivals: number
  /** Lines that did not parse, and requests of other kinds. */
  readonly unparsed: number
  readonly otherKinds: number
  /** Arrivals later than the reordering allows, replayed at the newest time already passed. */
  readonly late: number
}

/**
 * The arrivals of a replayed log, one at a time, in order: after `next()` returns a time (run
 * seconds), `kind` and `uin` describe the arrival. Infinity at the end of the log or the run.
 */
export class TraceArrivals {
  kind = 0
  uin = 0
  private readonly lines: LineSource
  private readonly format: CompiledFormat
  private readonly map: CalibrationMap
  private readonly kindIndex: Map<string, number>
  private readonly pathKinds = new Map<string, number>()
  private readonly random: () => number
  private readonly users: number
  private origin: number | null
  // reorder heap: parallel arrays of time, kind, uin
  private heapT: number[] = []
  private heapK: number[] = []
  private heapU: number[] = []
  private newest = -Infinity
  private lastOut = 0
  private copiesLeft = 0
  private copyT = 0
  private copyK = 0
  private copyU = 0
  private copyIndex = 0
  private eof = false
  private logged = 0
  private arrivals = 0
  private unparsed = 0
  private otherKinds = 0
  private late = 0
  private first = Infinity
  private last = -Infinity

  constructor(private readonly spec: TraceSpec, kindIndex: ReadonlyMap<string, number>, private readonly end: number, users: number, seed: number) {
    this.map = loadMap(spec.map)
    this.format = compileFormat(this.map.logFormat!, this.map.uin)
    this.lines = new LineSource(spec.file)
    this.kindIndex = new Map([...kindIndex].filter(([k]) => spec.kinds.includes(k)))
    this.random = seedrandom(`${seed}:trace`)
    this.users = users
    this.origin = spec.from
  }

  /** The next arrival's run time, or Infinity. */
  next(): number {
    if (this.copiesLeft > 0) return this.copy()
    for (;;) {
      // fill until the heap's earliest arrival can no longer be preceded by one still unread
      while (!this.eof && (this.heapT.length === 0 || this.heapT[0] > this.newest - REORDER_S)) this.read()
      if (this.heapT.length === 0) return Infinity
      const [t, k, u] = this.pop()
      let at = t
      if (at < this.lastOut) { this.late++; at = this.lastOut }
      this.lastOut = at
      if (at >= this.end) { this.eof = true; this.heapT = []; this.heapK = []; this.heapU = []; return Infinity }
      this.logged++
      if (this.first === Infinity) this.first = at
      this.last = at
      const s = this.spec.speed
      const copies = Math.floor(s) + (this.random() < s - Math.floor(s) ? 1 : 0)
      if (copies === 0) continue
      this.copiesLeft = copies
      this.copyT = at; this.copyK = k; this.copyU = u; this.copyIndex = 0
      return this.copy()
    }
  }

  private copy(): number {
    this.copiesLeft--
    this.kind = this.copyK
    // a duplicate is another user sending at the same moment
    const u = this.copyIndex === 0 ? this.copyU : hash(`${this.copyU}:${this.copyIndex}`)
    this.uin = this.users > 0 ? u % this.users : 0
    this.copyIndex++
    this.arrivals++
    return this.copyT
  }

  private read(): void {
    const line = this.lines.next()
    if (line === null) { this.eof = true; return }
    if (line === "") return
    const r = this.format.parse(line)
    if (r === undefined) { this.unparsed++; return }
    let k = this.pathKinds.get(r.path)
    if (k === undefined) {
      const name = kindOfPath(this.map, r.path)
      k = name === undefined ? -1 : this.kindIndex.get(name) ?? -1
      if (this.pathKinds.size < 100_000) this.pathKinds.set(r.path, k)
    }
    if (k < 0) { this.otherKinds++; return }
    const arrivalAbs = r.t - r.requestTime
    if (this.origin === null) this.origin = Math.floor(arrivalAbs)
    // the newest line's end, in run time: no arrival still unread is earlier than it − REORDER_S
    if (r.t - this.origin > this.newest) this.newest = r.t - this.origin
    const t = Math.round((arrivalAbs - this.origin) * 1e6) / 1e6
    if (t < 0) return // before the window
    const uinText = r.uin !== "" && r.uin !== "-" ? r.uin : r.remoteAddr
    const uin = /^\d{1,15}$/.test(uinText) ? Number(uinText) : hash(uinText)
    this.push(t, k, uin)
  }

  private push(t: number, k: number, u: number): void {
    const T = this.heapT, K = this.heapK, U = this.heapU
    let i = T.length
    T.push(t); K.push(k); U.push(u)
    while (i > 0) {
      const p = (i - 1) >> 1
      if (T[p] <= t) break
      T[i] = T[p]; K[i] = K[p]; U[i] = U[p]
      i = p
    }
    T[i] = t; K[i] = k; U[i] = u
  }

  private pop(): [number, number, number] {
    const T = this.heapT, K = this.heapK, U = this.heapU
    const top: [number, number, number] = [T[0], K[0], U[0]]
    const t = T.pop()!, k = K.pop()!, u = U.pop()!
    if (T.length > 0) {
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        if (l >= T.length) break
        const c = l + 1 < T.length && T[l + 1] < T[l] ? l + 1 : l
        if (T[c] >= t) break
        T[i] = T[c]; K[i] = K[c]; U[i] = U[c]
        i = c
      }
      T[i] = t; K[i] = k; U[i] = u
    }
    return top
  }

  /** What was replayed, for the report. */
  summary(): TraceSummary {
    const iso = (s: number) => new Date(s * 1000).toISOString()
    const origin = this.origin ?? 0
    return {
      file: this.spec.file, speed: this.spec.speed,
      from: iso(origin), to: iso(origin + (this.last === -Infinity ? 0 : Math.min(this.end, this.last))),
      logged: this.logged, arrivals: this.arrivals, unparsed: this.unparsed, otherKinds: this.otherKinds, late: this.late,
    }
  }
}

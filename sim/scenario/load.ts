/**
 * Loading a scenario: read the file, parse it as YAML 1.2 (a `.json` file must be strict JSON
 * first), apply `--set` overrides, validate, and report any problem as one error with
 * file:line:column.
 *
 * Positions: an issue at a mapping entry points at the entry's key (the start of its line, as in
 * `error: x.yaml:12:5 services.server.workers: …`), at a list item at the item; a missing field
 * points at the key of the mapping that lacks it (`server:` for `services.server.host`), or at
 * the top-level mapping.
 */
import { readFileSync, statSync } from "node:fs"
import { Effect, FileSystem } from "effect"
import type { PlatformError } from "effect/PlatformError"
import { fileErrorText } from "./fileError.ts"
import {
  type Document,
  LineCounter,
  Pair,
  Scalar,
  type YAMLError,
  YAMLMap,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  visit,
} from "yaml"
import { resolveTrace } from "../calibrate/trace.ts"
import { expandPreset } from "../presets/index.ts"
import type { Scenario } from "./Scenario.ts"
import { ScenarioInvalid, ScenarioUnreadable } from "./errors.ts"
import { type SchemaIssue, validateScenario } from "./schema.ts"
import { dirname, isAbsolute, join } from "node:path"
import { describeValue, parseDuration } from "./units.ts"

export { scenarioJsonSchema } from "./schema.ts"

/**
 * YAML 1.2 core schema: `on`/`yes`/`no` stay strings; no `<<` merge keys. Duplicate keys are
 * errors, but checked by `rejectDuplicateKeys` in linear time: yaml's own `uniqueKeys` compares
 * each key with every earlier one (200,000 keys took 556 s to refuse).
 */
const YAML_OPTIONS = { version: "1.2", schema: "core", uniqueKeys: false, prettyErrors: true } as const

/** Far above any scenario a person writes; refused before reading so a wrong path cannot exhaust memory. */
const MAX_FILE_BYTES = 10_000_000

/** The `file` of errors that come from `--set` rather than the scenario file. */
const SET = "--set"

const PROTO_MESSAGE = 'a key may not be "__proto__"'
const DUPLICATE_MESSAGE = "duplicate key: a key may appear only once in a mapping"
const NESTED_MESSAGE = "the document is nested too deeply to read (lists or mappings inside each other thousands of levels deep)"

type Segment = string | number
type Doc = Document.Parsed | Document

const keyText = (key: unknown): string | undefined =>
  isScalar(key) ? String(key.value) : typeof key === "string" || typeof key === "number" ? String(key) : undefined

const deref = (doc: Doc, node: unknown): unknown => (isAlias(node) ? node.resolve(doc) : node)

/** A yaml error message without its "at line …" suffix and code frame, starting lower-case. */
function shortYamlMessage(e: YAMLError): string {
  if (e.code === "DUPLICATE_KEY") return DUPLICATE_MESSAGE
  if (e.code === "MULTIPLE_DOCS") return "a scenario is one YAML document; this file has several (a `---` line starts another)"
  // yaml catches its own stack overflow on absurd nesting and reports V8's words
  if (/call stack/i.test(e.message)) return NESTED_MESSAGE
  return lowerFirst(e.message.split("\n", 1)[0].replace(/ at line \d+, column \d+:?\s*$/, ""))
}

/** Our messages start lower-case; keep acronyms ("YAML") as they are. */
const lowerFirst = (s: string): string => (/^[A-Z][a-z]/.test(s) ? s[0].toLowerCase() + s.slice(1) : s)

function syntaxError(file: string, e: YAMLError): ScenarioInvalid {
  const pos = e.linePos?.[0]
  return new ScenarioInvalid({ file, path: "", line: pos?.line, column: pos?.col, message: shortYamlMessage(e) })
}

const setError = (path: string, message: string) => new ScenarioInvalid({ file: SET, path, message })

/** Parses `path=value` and sets it into `doc`, marking every node it adds in `added`. */
function applySet(doc: Doc, assignment: string, added: WeakSet<object>): void {
  const eq = assignment.indexOf("=")
  if (eq < 0) throw setError("", `expected path=value, got ${describeValue(assignment)}`)
  const pathText = assignment.slice(0, eq).trim()
  const segments = pathText.split(".")
  if (segments.some((s) => s === "")) {
    throw setError(pathText, `expected a dotted path like services.server.workers before "=", got ${describeValue(pathText)}`)
  }
  if (segments.includes("__proto__")) throw setError(pathText, PROTO_MESSAGE)
  const valueDoc = parseDocument(assignment.slice(eq + 1), YAML_OPTIONS)
  if (valueDoc.errors.length > 0) throw setError(pathText, `invalid YAML value: ${shortYamlMessage(valueDoc.errors[0])}`)
  try {
    rejectDuplicateKeys(SET, valueDoc, new LineCounter())
  } catch (e) {
    throw e instanceof ScenarioInvalid ? setError(pathText, e.message) : e
  }
  rejectProtoKeys(SET, valueDoc)
  rejectInexactIntegers(SET, valueDoc, undefined, pathText)
  const value = valueDoc.contents ?? new Scalar(null)
  added.add(value)

  if (doc.contents === null) {
    doc.contents = new YAMLMap()
    added.add(doc.contents)
  }
  let node = deref(doc, doc.contents)
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]
    const last = i === segments.length - 1
    const here = i === 0 ? "the scenario file" : segments.slice(0, i).join(".")
    if (isMap(node)) {
      let pair = node.items.find((p) => keyText(p.key) === seg)
      if (pair === undefined) {
        pair = new Pair(new Scalar(seg), last ? value : new YAMLMap())
        node.items.push(pair)
        added.add(pair)
        added.add(pair.value as object)
      } else if (last) {
        pair.value = value
      } else if (pair.value === null || (isScalar(pair.value) && pair.value.value === null)) {
        const map = new YAMLMap() // `series:` left empty in the file
        pair.value = map
        added.add(map)
      }
      node = deref(doc, pair.value)
    } else if (isSeq(node)) {
      const index = /^\d+$/.test(seg) ? Number(seg) : -1
      if (index < 0 || index > node.items.length || (index === node.items.length && !last)) {
        throw setError(pathText, `${here} is a list of ${node.items.length}; "${seg}" is not an index in it`)
      }
      if (last) node.items[index] = value
      node = deref(doc, node.items[index])
    } else {
      throw setError(pathText, `cannot set "${seg}" inside ${here}: it is not a mapping`)
    }
  }
}

interface Location {
  readonly fromSet: boolean
  readonly path: ReadonlyArray<Segment>
  readonly offset?: number
}

/** Finds where `path` is in the document, and whether it came from `--set`. */
function locate(doc: Doc, path: ReadonlyArray<Segment>, added: WeakSet<object>): Location {
  let node = deref(doc, doc.contents)
  let anchor: unknown = node
  let fromSet = node !== null && typeof node === "object" && added.has(node)
  for (let i = 0; i < path.length; i++) {
    let next: unknown
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === String(path[i]))
      if (pair === undefined) break // a missing field: point at the mapping that lacks it
      fromSet ||= added.has(pair) || (pair.value !== null && added.has(pair.value as object))
      anchor = pair.key
      next = pair.value
    } else if (isSeq(node)) {
      next = node.items[Number(path[i])]
      if (next === undefined) break
      fromSet ||= added.has(next as object)
      anchor = next
    } else {
      // A scalar where the output has more (a single fault target became a list): stop here.
      return { fromSet, path: path.slice(0, i), offset: rangeStart(anchor) }
    }
    node = deref(doc, next)
  }
  return { fromSet, path, offset: rangeStart(anchor) }
}

const rangeStart = (node: unknown): number | undefined =>
  (node as { range?: readonly number[] } | null)?.range?.[0]

function schemaError(file: string, doc: Doc, lines: LineCounter, issue: SchemaIssue, added: WeakSet<object>): ScenarioInvalid {
  const where = locate(doc, issue.path, added)
  const path = where.path.join(".")
  if (where.fromSet) return new ScenarioInvalid({ file: SET, path, message: issue.message })
  const pos = where.offset === undefined ? undefined : lines.linePos(where.offset)
  return new ScenarioInvalid({ file, path, line: pos?.line, column: pos?.col, message: issue.message })
}

/** `__proto__` would vanish when the document becomes a JS object, so a typo there would go unnoticed. */
function rejectProtoKeys(file: string, doc: Doc, lines?: LineCounter): void {
  visit(doc, {
    Pair(_, pair) {
      if (keyText(pair.key) !== "__proto__") return
      const offset = rangeStart(pair.key)
      const pos = offset === undefined ? undefined : lines?.linePos(offset)
      throw new ScenarioInvalid({ file, path: "", line: pos?.line, column: pos?.col, message: PROTO_MESSAGE })
    },
  })
}

/**
 * Refuses an integer written with more digits than a number holds exactly (seed 2^60 + 1 would
 * silently become 2^60), quoting it as written: a schema message would show it rounded.
 */
function rejectInexactIntegers(file: string, doc: Doc, lines?: LineCounter, prefix = ""): void {
  visit(doc, {
    Scalar(_, node, path) {
      if (typeof node.value !== "number" || Number.isSafeInteger(node.value) || !Number.isInteger(node.value)) return
      const written = node.source ?? String(node.value)
      if (!/^[-+]?\d+$/.test(written)) return
      const keys = path.flatMap((p) => (p instanceof Pair ? [keyText(p.key) ?? "?"] : []))
      const field = [prefix, ...keys].filter((k) => k !== "").join(".")
      const offset = rangeStart(node)
      const pos = offset === undefined ? undefined : lines?.linePos(offset)
      throw new ScenarioInvalid({
        file, path: field, line: pos?.line, column: pos?.col,
        message: `${written} is beyond the integers wwsim reads exactly (at most ${Number.MAX_SAFE_INTEGER}, 2^53 − 1)`,
      })
    },
  })
}

/**
 * Refuses a key that appears twice in one mapping: one pass with a set per mapping, so linear in
 * the number of keys.
 */
function rejectDuplicateKeys(file: string, doc: Doc, lines: LineCounter): void {
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>()
      for (const pair of map.items) {
        const key = keyText(pair.key)
        if (key === undefined) continue
        if (seen.has(key)) {
          const offset = rangeStart(pair.key)
          const pos = offset === undefined ? undefined : lines.linePos(offset)
          throw new ScenarioInvalid({ file, path: "", line: pos?.line, column: pos?.col, message: `${DUPLICATE_MESSAGE} ("${key}")` })
        }
        seen.add(key)
      }
    },
  })
}

/**
 * A `.json` file must be JSON: the YAML parser alone would accept a trailing comma or a comment.
 * Node's messages end "at position N" (Node 20); that becomes line:column.
 */
function rejectInvalidJson(file: string, text: string): void {
  try {
    JSON.parse(text)
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e)
    const at = /at position (\d+)/.exec(message)
    const pos = at === null ? undefined : lineColumn(text, Number(at[1]))
    const what = message.replace(/\s*in JSON at position \d+.*$/, "").replace(/, ".*" is not valid JSON$/, "")
    throw new ScenarioInvalid({ file, path: "", line: pos?.line, column: pos?.col, message: `invalid JSON: ${lowerFirst(what)}` })
  }
}

/** 1-based line and column of `offset` in `text`. */
function lineColumn(text: string, offset: number): { line: number; col: number } {
  let line = 1
  let start = 0
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++
    start = i + 1
  }
  return { line, col: offset - start + 1 }
}

const isJsonFile = (file: string): boolean => /\.json$/i.test(file)

/** A stack overflow while parsing or validating: the document is nested absurdly deep. */
const isStackOverflow = (e: unknown): boolean => e instanceof RangeError && /call stack/i.test(e.message)

/**
 * Parses and validates scenario text (YAML, or JSON when `file` ends in `.json`); `file` is only
 * used in errors. Each of `sets` is `dotted.path=value`, the value read as YAML, applied in order
 * before validation. Replay traces are not read (see `parseScenarioText`). Throws `ScenarioInvalid`.
 *
 * @example
 * const s = parseScenarioDocument(text, "scenarios/mm1.yaml", ["services.server.workers=2"])
 */
export function parseScenarioDocument(text: string, file: string, sets: ReadonlyArray<string> = []): Scenario {
  try {
    return parseChecked(text, file, sets)
  } catch (e) {
    if (isStackOverflow(e)) {
      throw new ScenarioInvalid({ file, path: "", message: NESTED_MESSAGE })
    }
    throw e
  }
}

function parseChecked(text: string, file: string, sets: ReadonlyArray<string>): Scenario {
  if (isJsonFile(file)) rejectInvalidJson(file, text)
  const lines = new LineCounter()
  const doc = parseDocument(text, { ...YAML_OPTIONS, lineCounter: lines })
  if (doc.errors.length > 0) throw syntaxError(file, doc.errors[0])
  rejectDuplicateKeys(file, doc, lines)
  rejectProtoKeys(file, doc, lines)
  rejectInexactIntegers(file, doc, lines)
  const added = new WeakSet<object>()
  for (const assignment of sets) applySet(doc, assignment, added)
  let data: unknown
  try {
    data = doc.toJS()
  } catch (e) {
    if (isStackOverflow(e)) throw e
    // e.g. yaml's guard against alias bombs ("excessive alias count")
    throw new ScenarioInvalid({ file, path: "", message: lowerFirst(e instanceof Error ? e.message : String(e)) })
  }
  const expanded = expandPreset(data)
  if ("issue" in expanded) throw schemaError(file, doc, lines, expanded.issue, added)
  const result = validateScenario(expanded.data)
  if (!result.success) {
    const first = schemaError(file, doc, lines, result.issue, added)
    if (result.more.length === 0) throw first
    const more = result.more.map((i) => schemaError(file, doc, lines, i, added))
    throw new ScenarioInvalid({
      file: first.file, path: first.path, line: first.line, column: first.column, message: first.message,
      more: more.map(({ file, path, line, column, message }) => ({ file, path, line, column, message })),
    })
  }
  // a replayed access log: its paths resolved, its map read (the log itself is read by the engine)
  return resolveTrace(result.scenario, file)
}

/**
 * `parseScenarioDocument`, then each `replay` fault's CSV trace read from disk, relative to
 * `file`. Throws `ScenarioInvalid` or `ScenarioUnreadable`.
 *
 * @example
 * const s = parseScenarioText(text, "scenarios/mm1.yaml", ["services.server.workers=2"])
 * s.services.server.workers // 2
 */
export function parseScenarioText(text: string, file: string, sets: ReadonlyArray<string> = []): Scenario {
  const scenario = parseScenarioDocument(text, file, sets)
  return withTraces(scenario, traceFiles(scenario, file).map((csv) => ({ csv, text: readScenarioTextSync(csv) })))
}

/** The CSV file of each `replay` fault, in order, relative to the scenario file. */
function traceFiles(scenario: Scenario, file: string): ReadonlyArray<string> {
  return scenario.faults.flatMap((f) =>
    f.action !== "replay" || f.file === undefined ? [] : [isAbsolute(f.file) ? f.file : join(dirname(file), f.file)])
}

/** The scenario with each `replay` fault's trace parsed from `traces` (in `traceFiles` order). */
function withTraces(scenario: Scenario, traces: ReadonlyArray<{ readonly csv: string; readonly text: string }>): Scenario {
  if (traces.length === 0) return scenario
  let next = 0
  const faults = scenario.faults.map((f) => {
    if (f.action !== "replay" || f.file === undefined) return f
    const { csv, text } = traces[next++]
    return { ...f, trace: parseTrace(text, csv) }
  })
  return { ...scenario, faults }
}

/**
 * A replay trace: `time,multiplier` per line, time in seconds or with a unit (`90s`, `2m`), in
 * increasing order; a first line that is not numbers is a header; `#` starts a comment.
 */
export function parseTrace(text: string, file: string): Array<{ t: number; factor: number }> {
  const steps: Array<{ t: number; factor: number }> = []
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*/, "").trim()
    if (line === "") return
    const cells = line.split(",").map((c) => c.trim())
    const t = /^\d+(\.\d+)?$/.test(cells[0] ?? "") ? Number(cells[0]) : parseDuration(cells[0] ?? "")
    const factor = Number(cells[1])
    if (t === undefined || cells.length !== 2 || cells[1] === "" || !Number.isFinite(factor) || factor < 0) {
      if (steps.length === 0 && i === 0) return // a header
      throw new ScenarioInvalid({ file, path: "", line: i + 1, column: 1, message: `expected "seconds,multiplier" (e.g. 60,1.5), got ${describeValue(raw)}` })
    }
    if (steps.length > 0 && t < steps[steps.length - 1].t) {
      throw new ScenarioInvalid({ file, path: "", line: i + 1, column: 1, message: `times must not decrease: ${t} after ${steps[steps.length - 1].t}` })
    }
    steps.push({ t, factor })
  })
  if (steps.length === 0) throw new ScenarioInvalid({ file, path: "", message: "the trace has no lines" })
  return steps
}

function unreadableReason(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code
  if (code === "ENOENT") return "no such file"
  if (code === "EACCES" || code === "EPERM") return "permission denied"
  if (code === "EISDIR") return "it is a directory"
  return e instanceof Error ? e.message : String(e)
}

function readScenarioTextSync(file: string): string {
  let size: number
  try {
    size = statSync(file).size
  } catch (e) {
    throw new ScenarioUnreadable({ file, reason: unreadableReason(e) })
  }
  if (size > MAX_FILE_BYTES) {
    throw new ScenarioInvalid({ file, path: "", message: `the file has ${size} bytes; a scenario may have at most ${MAX_FILE_BYTES}` })
  }
  try {
    return readFileSync(file, "utf8")
  } catch (e) {
    throw new ScenarioUnreadable({ file, reason: unreadableReason(e) })
  }
}

/**
 * Reads and validates a scenario file (`.yaml`, `.yml` or `.json`). Throws `ScenarioUnreadable`
 * or `ScenarioInvalid`.
 *
 * @example
 * const s = loadScenarioFile("scenarios/mm1.yaml", ["duration=1m"])
 */
export function loadScenarioFile(path: string, sets: ReadonlyArray<string> = []): Scenario {
  return parseScenarioText(readScenarioTextSync(path), path, sets)
}

const unreadable = (file: string) => (e: PlatformError): ScenarioUnreadable =>
  new ScenarioUnreadable({ file, reason: fileErrorText(e) })

/**
 * The text of a scenario (or trace) file, through the `FileSystem` service; a file over the size
 * limit is refused before it is read, so a wrong path cannot exhaust memory.
 *
 * @example
 * const text = yield* readScenarioText("scenarios/mm1.yaml")
 */
export const readScenarioText = (file: string): Effect.Effect<string, ScenarioInvalid | ScenarioUnreadable, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const info = yield* fs.stat(file).pipe(Effect.mapError(unreadable(file)))
    if (info.type === "Directory") return yield* new ScenarioUnreadable({ file, reason: "it is a directory" })
    if (Number(info.size) > MAX_FILE_BYTES) {
      return yield* new ScenarioInvalid({ file, path: "", message: `the file has ${Number(info.size)} bytes; a scenario may have at most ${MAX_FILE_BYTES}` })
    }
    return yield* fs.readFileString(file).pipe(Effect.mapError(unreadable(file)))
  })

/** Runs one of the throwing parsers: its `ScenarioInvalid` is the result's error, anything else a defect (a bug, exit 3). */
const parsing = <A>(parse: () => A): Effect.Effect<A, ScenarioInvalid> =>
  Effect.try({
    try: parse,
    catch: (e) => {
      if (e instanceof ScenarioInvalid) return e
      throw e // Effect.try turns an error thrown here into a defect
    },
  })

/**
 * Reads (through `FileSystem`) and validates a scenario file with its `--set` overrides and its
 * replay traces.
 *
 * @example
 * const scenario = yield* loadScenario("scenarios/mm8-example.yaml", ["seed=3"])
 */
export const loadScenario = (
  path: string,
  sets: ReadonlyArray<string> = [],
): Effect.Effect<Scenario, ScenarioInvalid | ScenarioUnreadable, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const text = yield* readScenarioText(path)
    const scenario = yield* parsing(() => parseScenarioDocument(text, path, sets))
    const traces = yield* Effect.forEach(traceFiles(scenario, path), (csv) =>
      Effect.map(readScenarioText(csv), (t) => ({ csv, text: t })))
    return yield* parsing(() => withTraces(scenario, traces))
  })

/**
 * Scenario overlays: a YAML mapping of dotted paths to values, each applied as `--set path=value`
 * is (same validation, same error messages, but naming the overlay file and its line). `calibrate`
 * writes them with a comment on every entry saying where the number came from; `run --overlay`
 * and `size --overlay` apply them over a base scenario, before any `--set`.
 */
import { readFileSync } from "node:fs"
import { Effect } from "effect"
import { Document, LineCounter, Pair, Scalar, YAMLMap, isMap, isScalar, parse as parseYaml, parseDocument, stringify } from "yaml"
import { ScenarioInvalid, ScenarioUnreadable } from "../scenario/errors.ts"
import { loadScenarioFile } from "../scenario/load.ts"
import type { Scenario } from "../scenario/Scenario.ts"
import type { OverlayEntry } from "./model.ts"

/**
 * The overlay's text: a header comment, then `path: value` per entry with its comment above it.
 *
 * @example
 * renderOverlay(["from access.log"], [{ path: "services.nginx.cpu", value: { exp: "60us" }, comment: "…" }])
 */
export function renderOverlay(header: ReadonlyArray<string>, entries: ReadonlyArray<OverlayEntry>): string {
  const doc = new Document(new YAMLMap())
  const map = doc.contents as YAMLMap
  for (const e of entries) {
    const key = new Scalar(e.path)
    key.commentBefore = ` ${e.comment}`
    const value = doc.createNode(e.value)
    if (value instanceof YAMLMap || (value as { items?: unknown }).items !== undefined) (value as { flow?: boolean }).flow = true
    map.items.push(new Pair(key, value))
  }
  doc.commentBefore = header.map((l) => ` ${l}`).join("\n")
  return doc.toString({ lineWidth: 0 })
}

export interface Overlay {
  readonly file: string
  readonly entries: ReadonlyArray<{ readonly path: string; readonly value: unknown; readonly line: number }>
}

/** Reads an overlay file. Throws `ScenarioUnreadable` / `ScenarioInvalid`. */
export function readOverlay(file: string): Overlay {
  let text: string
  try {
    text = readFileSync(file, "utf8")
  } catch (e) {
    const code = (e as { code?: string }).code
    throw new ScenarioUnreadable({ file, reason: code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (e as Error).message })
  }
  const lines = new LineCounter()
  const doc = parseDocument(text, { version: "1.2", uniqueKeys: true, lineCounter: lines })
  if (doc.errors.length > 0) {
    const e = doc.errors[0]
    throw new ScenarioInvalid({ file, path: "", line: e.linePos?.[0].line, column: e.linePos?.[0].col, message: e.message.split("\n")[0] })
  }
  if (doc.contents === null) return { file, entries: [] }
  if (!isMap(doc.contents)) throw new ScenarioInvalid({ file, path: "", line: 1, message: "an overlay is a mapping of dotted paths to values, like `services.wwllogic.cpu: { exp: 2ms }`" })
  return {
    file,
    entries: doc.contents.items.map((pair) => {
      const path = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
      const line = lines.linePos((pair.key as { range?: number[] })?.range?.[0] ?? 0).line
      return { path, value: (pair.value as { toJSON?: () => unknown })?.toJSON?.() ?? null, line }
    }),
  }
}

/** `path=value` assignments, in the syntax of `--set`. */
export const overlaySets = (o: Overlay): string[] => o.entries.map((e) => `${e.path}=${stringify(e.value, { flow: true }).trim()}`)

/** An error from an overlay's assignment names the overlay file and line instead of `--set`. */
function attribute(e: ScenarioInvalid, overlays: ReadonlyArray<Overlay>, userSets: ReadonlyArray<string>): ScenarioInvalid {
  if (e.file !== "--set") return e
  const fromUser = userSets.some((s) => { const p = s.slice(0, s.indexOf("=")).trim(); return p === e.path || e.path.startsWith(`${p}.`) || p.startsWith(`${e.path}.`) })
  if (fromUser) return e
  for (const o of [...overlays].reverse()) {
    const hit = o.entries.find((x) => x.path === e.path || e.path.startsWith(`${x.path}.`) || x.path.startsWith(`${e.path}.`) || e.path === "")
    if (hit !== undefined) return new ScenarioInvalid({ file: o.file, path: e.path === "" ? hit.path : e.path, line: hit.line, column: 1, message: e.message })
  }
  return e
}

/**
 * Loads `file` with the overlays applied in order, then `sets`. Throws like `loadScenarioFile`.
 *
 * @example
 * loadWithOverlaysSync("scenarios/calibration/base.yaml", ["overlay.yaml"], ["users=40000"])
 */
export function loadWithOverlaysSync(file: string, overlayFiles: ReadonlyArray<string>, sets: ReadonlyArray<string> = []): Scenario {
  const overlays = overlayFiles.map(readOverlay)
  try {
    return loadScenarioFile(file, [...overlays.flatMap(overlaySets), ...sets])
  } catch (e) {
    if (e instanceof ScenarioInvalid) throw attribute(e, overlays, sets)
    throw e
  }
}

/** `loadWithOverlaysSync` as an Effect with the loader's two errors. */
export const loadWithOverlays = (file: string, overlayFiles: ReadonlyArray<string>, sets: ReadonlyArray<string> = []): Effect.Effect<Scenario, ScenarioInvalid | ScenarioUnreadable> =>
  Effect.try({
    try: () => loadWithOverlaysSync(file, overlayFiles, sets),
    catch: (e) => {
      if (e instanceof ScenarioInvalid || e instanceof ScenarioUnreadable) return e
      throw e
    },
  })

type Data = Record<string, unknown>
const isObject = (v: unknown): v is Data => typeof v === "object" && v !== null && !Array.isArray(v)

/**
 * A base scenario's text with overlays merged in (for `size --base … --overlay …`, which edits
 * the base's data before loading it): each dotted path is set into the data, creating mappings.
 */
export function overlayText(baseText: string, overlayFiles: ReadonlyArray<string>): string {
  if (overlayFiles.length === 0) return baseText
  const data: unknown = parseYaml(baseText, { version: "1.2" }) ?? {}
  if (!isObject(data)) return baseText
  for (const o of overlayFiles.map(readOverlay)) {
    for (const e of o.entries) {
      const segs = e.path.split(".")
      let node: Data = data
      segs.forEach((seg, i) => {
        if (seg === "__proto__") throw new ScenarioInvalid({ file: o.file, path: e.path, line: e.line, message: 'a key may not be "__proto__"' })
        if (i === segs.length - 1) { node[seg] = e.value; return }
        if (!isObject(node[seg])) node[seg] = {}
        node = node[seg] as Data
      })
    }
  }
  return stringify(data)
}

/**
 * The whole of `wwsim calibrate`: read the inputs, estimate, write the overlay (or, without a
 * base, a whole scenario), simulate it at the measured load and compare. Files are written to a
 * temporary name and renamed.
 */
import { makeDirectoriesSync } from "../report/directories.ts"
import { readFileSync, renameSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { parse as parseYaml, stringify } from "yaml"
import { ReportWriteFailed } from "../report/ReportSink.ts"
import { ScenarioInvalid } from "../scenario/errors.ts"
import { loadScenarioFile, parseScenarioText } from "../scenario/load.ts"
import type { Scenario } from "../scenario/Scenario.ts"
import { type Calibration, estimate } from "./estimate.ts"
import { calibrationJson, renderCalibration } from "./format.ts"
import { calibrationPage } from "./html.ts"
import { loadMap } from "./map.ts"
import { type OverlayEntry, buildOverlay, scenarioFromCalibration } from "./model.ts"
import { renderOverlay } from "./overlay.ts"
import { type InputReport, readInputs } from "./read.ts"
import { type Validation, validate } from "./validate.ts"
import { fileSize } from "./lines.ts"
import { classify } from "./read.ts"

export interface CalibrateOptions {
  readonly inputs: ReadonlyArray<string>
  readonly map: string
  readonly base?: string
  /** The overlay (with a base) or the calibrated scenario (without); default results/calibration/overlay.yaml. */
  readonly out?: string
  /** The page; default calibration.html beside `out`. */
  readonly html?: string
  readonly json: boolean
  /** Simulated validation window. */
  readonly warmupS: number
  readonly durationS: number
  readonly seed?: number
  /** Progress: total raw bytes, then bytes read so far. */
  readonly progress?: { readonly start: (total: number) => void; readonly update: (read: number) => void; readonly stop: () => void }
}

export interface CalibrateResult {
  readonly calibration: Calibration
  readonly inputs: ReadonlyArray<InputReport>
  readonly entries: ReadonlyArray<OverlayEntry>
  readonly validation: Validation
  readonly outFile: string
  readonly htmlFile: string
  /** What the command prints. */
  readonly text: string
}

function writeAtomic(file: string, text: string): void {
  try {
    makeDirectoriesSync(dirname(file))
    const tmp = `${file}.tmp-${process.pid}`
    writeFileSync(tmp, text)
    renameSync(tmp, file)
  } catch (e) {
    throw new ReportWriteFailed({ path: file, reason: (e as { code?: string }).code ?? (e as Error).message })
  }
}

const setText = (e: OverlayEntry) => `${e.path}=${stringify(e.value, { flow: true }).trim()}`

/**
 * Runs a calibration. Throws `ScenarioInvalid` / `ScenarioUnreadable` (exit 2) on bad input and
 * `ReportWriteFailed` when an output cannot be written.
 */
export async function calibrate(o: CalibrateOptions): Promise<CalibrateResult> {
  const map = loadMap(o.map)
  let base: Scenario | undefined
  let preset = false
  if (o.base !== undefined) {
    base = loadScenarioFile(o.base)
    const raw: unknown = parseYaml(readFileSync(o.base, "utf8"), { version: "1.2" })
    preset = typeof raw === "object" && raw !== null && (raw as { preset?: unknown }).preset === "wecom"
  }
  const total = o.inputs.reduce((a, i) => a + fileSize(classify(i).file), 0)
  let read = 0
  o.progress?.start(total)
  let measurements
  try {
    measurements = await readInputs(o.inputs, map, {
      onBytes: (n) => { read += n; o.progress?.update(read) },
      cores: (host) => {
        const cls = map.hosts.find((h) => h.match.some((r) => r.test(host)))
        return cls?.cores ?? (cls === undefined ? undefined : base?.hosts[cls.name]?.cores)
      },
    })
  } finally {
    o.progress?.stop()
  }
  let cal = estimate(measurements, map, {
    baseCores: (cls) => base?.hosts[cls]?.cores,
    serviceClass: (svc) => base?.services[svc]?.host,
  })
  if (Object.keys(cal.classes).length === 0) {
    throw new ScenarioInvalid({ file: o.inputs[0], path: "", message: "no CPU series of a host class in the map overlaps the access logs: give sar -u, Prometheus or CSV CPU series of the hosts" })
  }
  const out = o.out ?? join("results", "calibration", "overlay.yaml")
  const htmlFile = o.html ?? join(dirname(out), "calibration.html")
  const window = `${new Date(cal.window.from * 1000).toISOString()} to ${new Date(cal.window.to * 1000).toISOString()}`
  let entries: OverlayEntry[]
  let scenario: Scenario
  let outText: string
  const sources = `from ${o.inputs.join(", ")} with ${o.map}, ${cal.window.intervals} intervals of ${cal.intervalS}s (${window})`
  if (base !== undefined && o.base !== undefined) {
    const built = buildOverlay(cal, base, preset)
    entries = built.entries
    cal = { ...cal, notes: [...cal.notes, ...built.notes] }
    outText = renderOverlay([
      `wwsim calibrate overlay ${sources}.`,
      "Each entry is a dotted path set as by --set; the comment says where its number came from and its 95% interval.",
      `Apply: wwsim run ${o.base} --overlay ${out}    or    wwsim size --base ${o.base} --overlay ${out} --users N`,
    ], entries)
    scenario = loadScenarioFile(o.base, entries.map(setText))
  } else {
    const name = "calibrated"
    const built = scenarioFromCalibration(cal, name)
    entries = []
    outText = renderScenario(built.data, built.comments, [
      `wwsim calibrate: a scenario built from the map ${sources}: one service per host class, each kind's fitted CPU per class.`,
      `Run it: wwsim run ${out}`,
    ])
    scenario = parseScenarioText(outText, out)
  }
  if (o.seed !== undefined) scenario = { ...scenario, seed: o.seed }
  const validation = validate(cal, scenario, { warmupS: o.warmupS, durationS: o.durationS })
  writeAtomic(out, outText)
  writeAtomic(htmlFile, calibrationPage(cal, validation, o.inputs.join(", ")))
  const text = o.json
    ? JSON.stringify(calibrationJson(cal, measurements.inputs, validation, entries), null, 2)
    : renderCalibration(cal, measurements.inputs, validation, { overlay: out, html: htmlFile })
  return { calibration: cal, inputs: measurements.inputs, entries, validation, outFile: out, htmlFile, text }
}

/** A scenario's YAML with a comment above the entries `comments` names (dotted paths). */
function renderScenario(data: Record<string, unknown>, comments: Map<string, string>, header: ReadonlyArray<string>): string {
  const lines = stringify(data, { lineWidth: 0 }).split("\n")
  const out: string[] = header.map((h) => `# ${h}`)
  const stack: Array<{ indent: number; key: string }> = []
  for (const line of lines) {
    const m = /^(\s*)([\w.-]+):/.exec(line)
    if (m !== null) {
      const indent = m[1].length
      while (stack.length > 0 && stack[stack.length - 1].indent >= indent) stack.pop()
      stack.push({ indent, key: m[2] })
      const c = comments.get(stack.map((s) => s.key).join("."))
      if (c !== undefined) out.push(`${m[1]}# ${c}`)
    }
    out.push(line)
  }
  return out.join("\n")
}

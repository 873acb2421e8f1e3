/**
 * SLO verdicts as JUnit XML, the format CI systems show as test results: one `<testsuite>` per
 * scenario, one `<testcase>` per SLO with the measured value in its output, a `<failure>` for each
 * unexpected verdict (a breach nobody declared, a hold where a breach was expected, a value outside
 * the expected range), and an `<error>` for a scenario the simulator failed on.
 */
import { writingTemp } from "../report/tempFiles.ts"
import { Effect, FileSystem, Path } from "effect"
import type { PlatformError } from "effect/PlatformError"
import { ReportWriteFailed } from "../report/ReportSink.ts"
import { describeExpect, describeMeasured, describeSlo, describeVerdict, formatThreshold } from "./format.ts"
import { type SloResult, verdictOf } from "./Slo.ts"

/** One scenario's part of the JUnit file. */
export interface JUnitSuite {
  /** The scenario's name. */
  readonly name: string
  /** The scenario file. */
  readonly file: string
  /** Wall-clock seconds the run took. */
  readonly timeS: number
  readonly results: ReadonlyArray<SloResult>
  /** The simulator failed on this scenario (exit 3), or its file is invalid: the suite has one errored test case instead. */
  readonly error?: string
  /** What `error` is: the simulator failed (the default), or the file did not validate (`check` ran nothing). */
  readonly errorKind?: "simulator" | "invalid"
  /** Not run, and why: the suite has one skipped test case. */
  readonly skipped?: string
}

/**
 * Escapes text for XML element content; characters XML 1.0 cannot carry at all (control
 * characters other than tab, newline and carriage return; lone surrogates) become U+FFFD.
 *
 * @example
 * xmlEscape(`a < b & "c"`) // "a &lt; b &amp; &quot;c&quot;"
 */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
}

/**
 * Escapes text for an attribute value: as `xmlEscape`, and newlines and tabs as character
 * references (a parser turns raw ones into spaces).
 *
 * @example
 * xmlAttrEscape("a\nb") // "a&#10;b"
 */
export const xmlAttrEscape = (text: string): string =>
  xmlEscape(text).replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;")

const attrs = (a: Readonly<Record<string, string | number>>): string =>
  Object.entries(a).map(([k, v]) => ` ${k}="${xmlAttrEscape(String(v))}"`).join("")

const seconds = (s: number): string => (Number.isFinite(s) ? s.toFixed(3) : "0")

const unexpected = (r: SloResult) => verdictOf(r) === "unexpected"

/**
 * One SLO as a test case. Only an unexpected verdict fails; a breach the scenario declares
 * (`expect: breach`) passes, and its output says so. The scenario's wall time is shared evenly
 * by its test cases (so their sum is the suite's, as CI systems add them up) and named in the
 * output whole.
 */
function testcase(suite: JUnitSuite, r: SloResult): string {
  const share = suite.results.length === 0 ? 0 : suite.timeS / suite.results.length
  const head = `    <testcase${attrs({ name: describeSlo(r), classname: `wwsim.${suite.name}`, time: seconds(share) })}>`
  const expectation = describeExpect(r)
  const measured = `measured ${describeMeasured(r)}; required ${r.op} ${formatThreshold(r.threshold, r.unit)}${expectation === "" ? "" : `; ${expectation}`}`
  const out = `${describeVerdict(r)}: ${measured}\nscenario: ${suite.name} (${suite.file}), ran in ${suite.timeS.toFixed(2)} s wall`
  if (!unexpected(r)) return `${head}\n      <system-out>${xmlEscape(out)}</system-out>\n    </testcase>`
  const message = `${describeVerdict(r)}: ${measured}`
  const body = `${describeSlo(r)}\n${describeVerdict(r)}\nmeasured: ${describeMeasured(r)}${expectation === "" ? "" : `\n${expectation}`}\nscenario file: ${suite.file}`
  return `${head}\n      <failure${attrs({ message, type: "SloUnexpected" })}>${xmlEscape(body)}</failure>\n    </testcase>`
}

function testsuite(suite: JUnitSuite): string {
  const failures = suite.results.filter(unexpected).length
  const tests = suite.error !== undefined || suite.skipped !== undefined ? 1 : suite.results.length
  const head = `  <testsuite${attrs({
    name: suite.name, tests, failures: suite.error !== undefined ? 0 : failures, errors: suite.error !== undefined ? 1 : 0,
    skipped: suite.skipped !== undefined && suite.error === undefined ? 1 : 0, time: seconds(suite.timeS), file: suite.file,
  })}`
  if (suite.error !== undefined) {
    const invalid = suite.errorKind === "invalid"
    return `${head}>\n    <testcase${attrs({ name: invalid ? "validate" : "run", classname: `wwsim.${suite.name}`, time: seconds(suite.timeS) })}>\n` +
      `      <error${attrs({ message: suite.error.split("\n")[0], type: invalid ? "ScenarioInvalid" : "SimulatorFailed" })}>${xmlEscape(suite.error)}</error>\n    </testcase>\n  </testsuite>`
  }
  if (suite.skipped !== undefined) {
    return `${head}>\n    <testcase${attrs({ name: "run", classname: `wwsim.${suite.name}`, time: "0" })}>\n` +
      `      <skipped${attrs({ message: suite.skipped })}/>\n    </testcase>\n  </testsuite>`
  }
  if (suite.results.length === 0) return `${head}/>`
  return `${head}>\n${suite.results.map((r) => testcase(suite, r)).join("\n")}\n  </testsuite>`
}

/**
 * The whole JUnit document.
 *
 * @example
 * renderJUnit([{ name: "mm1", file: "scenarios/mm1.yaml", timeS: 0.4, results }])
 */
export function renderJUnit(suites: ReadonlyArray<JUnitSuite>): string {
  const errored = suites.filter((s) => s.error !== undefined)
  const tests = suites.reduce((n, s) => n + (s.error !== undefined || s.skipped !== undefined ? 1 : s.results.length), 0)
  const failures = suites.reduce((n, s) => n + (s.error !== undefined ? 0 : s.results.filter(unexpected).length), 0)
  const time = suites.reduce((t, s) => t + s.timeS, 0)
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites${attrs({ name: "wwsim", tests, failures, errors: errored.length, skipped: suites.filter((s) => s.error === undefined && s.skipped !== undefined).length, time: seconds(time) })}>`,
    ...suites.map(testsuite),
    `</testsuites>`,
    "",
  ].join("\n")
}

/**
 * Creates the JUnit file's directory and checks it is writable, so a bad `--junit` fails before
 * a long run rather than after it.
 *
 * @example
 * yield* prepareJUnit("results/junit.xml")
 */
export const prepareJUnit = Effect.fn("prepareJUnit")(function* (file: string) {
  const fs = yield* FileSystem.FileSystem
  const path = yield* Path.Path
  const dir = path.dirname(file)
  yield* fs.makeDirectory(dir, { recursive: true }).pipe(
    Effect.flatMap(() => fs.access(dir, { writable: true })),
    Effect.mapError(failed(file)),
  )
  // an existing directory or read-only file there would fail the write after the run
  const existing = yield* fs.stat(file).pipe(Effect.option)
  if (existing._tag === "Some" && existing.value.type === "Directory") {
    return yield* new ReportWriteFailed({ path: file, reason: "it is a directory" })
  }
  if (existing._tag === "Some") yield* fs.access(file, { writable: true }).pipe(Effect.mapError(failed(file)))
})

const failed = (file: string) => (e: PlatformError) =>
  new ReportWriteFailed({ path: file, reason: e.reason.description ?? e.message })

/**
 * Writes `xml` to `file` atomically (a temporary file in the same directory, then a rename), so
 * CI never reads half a file. A failure is `ReportWriteFailed` (exit 2, like an unwritable report).
 *
 * @example
 * yield* writeJUnit("results/junit.xml", renderJUnit(suites))
 */
export const writeJUnit = Effect.fn("writeJUnit")(function* (file: string, xml: string) {
  const fs = yield* FileSystem.FileSystem
  yield* prepareJUnit(file)
  const tmp = `${file}.tmp-${process.pid}`
  yield* writingTemp(tmp, fs.writeFileString(tmp, xml).pipe(
    Effect.flatMap(() => fs.rename(tmp, file)),
    Effect.tapError(() => Effect.ignore(fs.remove(tmp, { force: true }))),
  )).pipe(Effect.mapError(failed(file)))
})

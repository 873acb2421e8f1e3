import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { Effect, Exit } from "effect"
import { afterAll, describe, expect, test } from "vitest"
import { NodeEnvironment } from "../../sim/cli/NodeEnvironment.ts"
import { ReportWriteFailed } from "../../sim/report/ReportSink.ts"
import { renderJUnit, writeJUnit, xmlAttrEscape, xmlEscape, type JUnitSuite } from "../../sim/slo/junit.ts"
import type { SloResult } from "../../sim/slo/Slo.ts"
import { fixture, removeTempDirs, tempDir } from "../cli/wwsim.ts"
import { findAll, parseXml } from "./xml.ts"

afterAll(removeTempDirs)

const held: SloResult = { metric: "ping.latency.p99", op: "below", threshold: 200, value: 71, unit: "ms", ok: true }
const breached: SloResult = {
  metric: "app.cpu", op: "below", threshold: 0.7, value: 0.9, unit: "ratio", ok: false,
  everyS: 10, worstAt: { fromS: 20, toS: 30 }, instance: "app-2",
}
const noData: SloResult = { metric: "idle.latency.p99", op: "below", threshold: 1000, value: null, unit: "ms", ok: false, note: "no ok requests" }

const suites: ReadonlyArray<JUnitSuite> = [
  { name: "alpha", file: "scenarios/alpha.yaml", timeS: 1.5, results: [held, breached] },
  { name: "beta", file: "scenarios/beta.yaml", timeS: 0.25, results: [noData] },
  { name: "gamma", file: "scenarios/gamma.yaml", timeS: 0, results: [], error: "heap underflow" },
  { name: "quiet", file: "scenarios/quiet.yaml", timeS: 0.1, results: [] },
]

describe("JUnit XML", () => {
  const doc = parseXml(renderJUnit(suites))

  test("is well-formed, with a testsuite per scenario and totals on testsuites", () => {
    expect(doc.name).toBe("testsuites")
    expect(doc.attrs).toMatchObject({ name: "wwsim", tests: "4", failures: "2", errors: "1", time: "1.850" })
    expect(findAll(doc, "testsuite").map((s) => [s.attrs.name, s.attrs.tests, s.attrs.failures, s.attrs.errors])).toEqual([
      ["alpha", "2", "1", "0"], ["beta", "1", "1", "0"], ["gamma", "1", "0", "1"], ["quiet", "0", "0", "0"],
    ])
  })

  test("one testcase per SLO; a breach has a failure with the measured value", () => {
    const [alpha] = findAll(doc, "testsuite")
    const cases = findAll(alpha, "testcase")
    expect(cases.map((c) => c.attrs.name)).toEqual(["ping.latency.p99 below 200ms", "app.cpu below 70% every 10s"])
    expect(findAll(cases[0], "failure")).toEqual([])
    const [failure] = findAll(cases[1], "failure")
    expect(failure.attrs.message).toBe("unexpected: breached: measured 90% (app-2, 20s–30s); required below 70%")
    expect(failure.text).toContain("scenarios/alpha.yaml")
    expect(findAll(findAll(doc, "testsuite")[1], "failure")[0].attrs.message).toBe("unexpected: breached: measured no data (no ok requests); required below 1s")
  })

  test("a passing case carries the measured value and the scenario's wall time; the cases' times add up to the suite's", () => {
    const [alpha] = findAll(doc, "testsuite")
    const cases = findAll(alpha, "testcase")
    expect(findAll(cases[0], "system-out")[0].text).toBe(
      "held: measured 71ms; required below 200ms\nscenario: alpha (scenarios/alpha.yaml), ran in 1.50 s wall")
    expect(cases.map((c) => c.attrs.time)).toEqual(["0.750", "0.750"])
  })

  test("a breach the scenario expects passes and says so; a breach it expected that did not come fails as unexpected", () => {
    const story: SloResult = { ...breached, verdict: "expected", expect: { breach: true, within: [0.8, 0.95] } }
    const absent: SloResult = { ...held, verdict: "unexpected", expect: { breach: true }, why: "held; expected a breach" }
    const parsed = parseXml(renderJUnit([{ name: "drill", file: "drill.yaml", timeS: 2, results: [story, absent] }]))
    expect(parsed.attrs).toMatchObject({ tests: "2", failures: "1" })
    const [expected, unexpected] = findAll(parsed, "testcase")
    expect(findAll(expected, "failure")).toEqual([])
    expect(findAll(expected, "system-out")[0].text).toMatch(
      /^breached as expected: measured 90% \(app-2, 20s–30s\); required below 70%; expect breach within 80%–95%\n/)
    expect(findAll(unexpected, "failure")[0].attrs.message).toBe(
      "unexpected: held; expected a breach: measured 71ms; required below 200ms; expect breach")
  })

  test("a scenario the simulator failed on is an error", () => {
    const gamma = findAll(doc, "testsuite")[2]
    expect(findAll(gamma, "error")[0].attrs.message).toBe("heap underflow")
  })

  test("escapes markup, quotes and characters XML cannot carry, in names, messages and text", () => {
    const nasty = `<b>&"quoted"&apos;\u0001\u0000\ud800 — ok`
    const xml = renderJUnit([{
      name: nasty, file: `dir/${nasty}.yaml`, timeS: 1,
      results: [{ ...breached, metric: `x.${nasty}` }],
    }])
    const parsed = parseXml(xml) // throws on anything not well-formed
    const suite = findAll(parsed, "testsuite")[0]
    expect(suite.attrs.name).toBe(`<b>&"quoted"&apos;\ufffd\ufffd\ufffd — ok`)
    expect(findAll(suite, "failure")[0].text).toContain(`dir/<b>&"quoted"`)
    expect(xmlEscape(`a < b & "c"`)).toBe("a &lt; b &amp; &quot;c&quot;")
    expect(parseXml(`<a x="${xmlAttrEscape("line\nbreak\ttab")}"/>`).attrs.x).toBe("line\nbreak\ttab")
  })

  test("the checker itself refuses malformed XML", () => {
    expect(() => parseXml("<a><b></a></b>")).toThrow(/closed by/)
    expect(() => parseXml('<a x="1" x="2"/>')).toThrow(/duplicate/)
    expect(() => parseXml("<a>1 & 2</a>")).toThrow(/reference/)
    expect(() => parseXml("<a>1 < 2</a>")).toThrow()
    expect(() => parseXml('<a x="<"/>')).toThrow(/raw "</)
    expect(() => parseXml("<a/><b/>")).toThrow(/after the root/)
    expect(() => parseXml("<a>\u0001</a>")).toThrow(/cannot carry/)
  })
})

describe("writeJUnit", () => {
  const write = (file: string, xml: string) => Effect.runPromiseExit(writeJUnit(file, xml).pipe(Effect.provide(NodeEnvironment)))

  test("writes the whole file, creating its folder, and leaves no temporary file", async () => {
    const dir = join(tempDir(), "ci", "reports")
    const file = join(dir, "junit.xml")
    const xml = renderJUnit(suites)
    expect(Exit.isSuccess(await write(file, xml))).toBe(true)
    expect(readFileSync(file, "utf8")).toBe(xml)
    expect(readdirSync(dir)).toEqual(["junit.xml"])
  })

  test("an unwritable location fails with ReportWriteFailed naming the file", async () => {
    const blocker = fixture("not-a-dir", "")
    const exit = await write(join(blocker, "junit.xml"), "<a/>")
    expect(Exit.isFailure(exit)).toBe(true)
    if (Exit.isFailure(exit)) {
      const error = exit.cause.reasons.find((r) => r._tag === "Fail")
      expect(error && "error" in error ? error.error : undefined).toBeInstanceOf(ReportWriteFailed)
    }
    expect(existsSync(join(blocker, "junit.xml"))).toBe(false)
  })
})

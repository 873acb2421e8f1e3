import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Effect, Layer, Option } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { AppLayer, cli } from "../../sim/cli/app.ts"
import { checkScenarios } from "../../sim/cli/checkCommand.ts"
import { ExitCode, outcomeOf, writeCrashLog } from "../../sim/cli/outcome.ts"
import { SimulationPool } from "../../sim/check/SimulationPool.ts"
import { SimulationCrashed } from "../../sim/check/WorkerPool.ts"
import { simulate } from "../../sim/simulate.ts"
import { fixture, removeTempDirs, stderrLines, tempDir, wwsim } from "../cli/wwsim.ts"
import { findAll, parseXml } from "./xml.ts"

afterAll(removeTempDirs)

/** M/M/1 at ρ = 0.5 (λ = 50/s, mean service 10 ms): mean latency 20 ms, far from both thresholds below. */
const mm1 = (name: string, slo: string) => `
name: ${name}
seed: 5
duration: 20s
hosts:
  app: { count: 1, cores: 1 }
services:
  server: { host: app, workers: 1, cpu: { exp: 10ms } }
workload:
  ping: { rate: 50/s, to: server }
slo:
${slo}
`
const breaching = (name = "mm1-breach") => mm1(name, "  - { metric: ping.latency.mean, below: 1ms }\n  - { metric: ping.successRate, above: 99.9% }")
const holding = (name = "mm1-hold") => mm1(name, "  - { metric: ping.latency.mean, below: 1s }\n  - { metric: app.cpu, below: 90%, every: 5s }")

const readReport = (dir: string) => JSON.parse(readFileSync(join(dir, "report.json"), "utf8"))

/** A folder of scenario files: `{ "a.yaml": text, "sub/b.yaml": text }`. */
function folder(files: Readonly<Record<string, string>>): string {
  const dir = tempDir()
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true })
    writeFileSync(join(dir, name), text)
  }
  return dir
}

describe.concurrent("wwsim run with SLOs", { timeout: 60_000 }, () => {
  it("exits 1 when an SLO is breached: ✗ in the summary, one stderr line, verdicts in report.json", async () => {
    const out = tempDir()
    const r = await wwsim(["run", fixture("b.yaml", breaching()), "--out", out])
    expect(r.code).toBe(ExitCode.sloBreached)
    expect(r.stdout).toMatch(/✗ │ ping\.latency\.mean below 1ms\s+│\s+\d+(\.\d+)?ms │ unexpected: breached/)
    expect(r.stdout).toMatch(/✓ │ ping\.successRate above 99\.9%/)
    expect(r.stdout).toContain("SLOs: 1 held, 0 breached as expected, 1 unexpected")
    const lines = stderrLines(r)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^error: mm1-breach: 1 of 2 SLOs unexpected: ping\.latency\.mean below 1ms: breached \(measured \d+(\.\d+)?ms\)$/)
    const report = readReport(out)
    expect(report.slo).toHaveLength(2)
    expect(report.slo[0]).toMatchObject({ metric: "ping.latency.mean", op: "below", threshold: 1, unit: "ms", ok: false })
    expect(report.slo[0].value).toBe(report.requests.ping.latencyMs.mean)
    expect(report.slo[0].value).toBeGreaterThan(10)
  })

  it("exits 0 when every SLO holds", async () => {
    const out = tempDir()
    const r = await wwsim(["run", fixture("h.yaml", holding()), "--out", out])
    expect(stderrLines(r)).toEqual([])
    expect(r.code).toBe(ExitCode.ok)
    expect(r.stdout).toContain("SLOs: all 2 hold")
    expect(readReport(out).slo.map((s: { ok: boolean }) => s.ok)).toEqual([true, true])
  })

  it("--quiet still says which SLO was breached, on stderr", async () => {
    const r = await wwsim(["run", fixture("b.yaml", breaching()), "--out", tempDir(), "--quiet"])
    expect(r.code).toBe(1)
    expect(r.stdout).not.toContain("SLO")
    expect(stderrLines(r)).toEqual([expect.stringContaining("ping.latency.mean below 1ms: breached (measured")])
  })

  it("--junit writes parseable JUnit XML with a failure for the breach", async () => {
    const dir = tempDir()
    const junit = join(dir, "ci", "junit.xml")
    const r = await wwsim(["run", fixture("b.yaml", breaching()), "--out", join(dir, "out"), "--junit", junit])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(`junit: ${junit}`)
    const doc = parseXml(readFileSync(junit, "utf8"))
    const [suite] = findAll(doc, "testsuite")
    expect(suite.attrs).toMatchObject({ name: "mm1-breach", tests: "2", failures: "1" })
    expect(findAll(suite, "testcase").map((c) => findAll(c, "failure").length)).toEqual([1, 0])
    expect(findAll(suite, "failure")[0].attrs.message).toMatch(/^unexpected: breached: measured \d+(\.\d+)?ms; required below 1ms$/)
  })

  it("a breach the scenario expects exits 0 and says so; the same scenario expecting a breach that does not come exits 1", async () => {
    const story = (name: string, expect: string) => mm1(name, `  - { metric: ping.latency.mean, below: 1ms, expect: ${expect} }`)
    const dir = tempDir()
    const junit = join(dir, "junit.xml")
    const ok = await wwsim(["run", fixture("e.yaml", story("mm1-story", "{ breach: true, within: [10ms, 40ms] }")), "--out", join(dir, "a"), "--junit", junit])
    expect(stderrLines(ok)).toEqual([])
    expect(ok.code).toBe(ExitCode.ok)
    expect(ok.stdout).toMatch(/✓ │ ping\.latency\.mean below 1ms\s+│\s+\d+(\.\d+)?ms │ breached as expected │ breach within 10ms–40ms/)
    expect(readReport(join(dir, "a")).slo[0]).toMatchObject({ ok: false, verdict: "expected", expect: { breach: true, within: [10, 40] } })
    const [testcase] = findAll(parseXml(readFileSync(junit, "utf8")), "testcase")
    expect(findAll(testcase, "failure")).toEqual([])
    expect(findAll(testcase, "system-out")[0].text).toMatch(/^breached as expected: measured \d+(\.\d+)?ms; required below 1ms; expect breach within 10ms–40ms/)

    // M/M/1 at ρ = 0.5 has a 20 ms mean: a story of "5 to 8 ms" has changed
    const narrow = await wwsim(["run", fixture("n.yaml", story("mm1-narrow", "{ breach: true, within: [5ms, 8ms] }")), "--out", join(dir, "b")])
    expect(narrow.code).toBe(ExitCode.sloBreached)
    expect(stderrLines(narrow)).toEqual([expect.stringMatching(/^error: mm1-narrow: 1 of 1 SLO unexpected: ping\.latency\.mean below 1ms: breached at \d+(\.\d+)?ms; expected within 5ms–8ms/)])
  })

  it("--junit on an invalid scenario still writes a JUnit file with an error case saying why", async () => {
    const dir = tempDir()
    const junit = join(dir, "junit.xml")
    const r = await wwsim(["run", fixture("bad.yaml", mm1("bad", "  - { metric: pong.latency.p99, below: 1s }")), "--out", join(dir, "out"), "--junit", junit])
    expect(r.code).toBe(ExitCode.badInput)
    const [error] = findAll(parseXml(readFileSync(junit, "utf8")), "error")
    expect(error.attrs).toMatchObject({ type: "ScenarioInvalid", message: expect.stringMatching(/slo\.0\.metric: unknown request kind "pong"/) })
  })

  it("an SLO naming an unknown kind exits 2 with one line at slo.<i>.metric, before simulating", async () => {
    const out = tempDir()
    const text = mm1("bad", "  - { metric: ping.latency.p99, below: 1s }\n  - { metric: pong.latency.p99, below: 1s }")
    const r = await wwsim(["run", fixture("bad.yaml", text), "--out", out])
    expect(r.code).toBe(ExitCode.badInput)
    expect(stderrLines(r)).toEqual([
      expect.stringMatching(/^error: .*bad\.yaml:13:7 slo\.1\.metric: unknown request kind "pong" in pong\.latency\.p99; request kinds: ping$/),
    ])
    expect(existsSync(join(out, "report.json"))).toBe(false)
  })
})

describe.concurrent("wwsim check", { timeout: 60_000 }, () => {
  it("exits 1 when one of several scenarios breaches; writes every report, one table, one JUnit file", async () => {
    const dir = folder({ "a.yaml": holding("alpha"), "sub/b.yml": breaching("beta"), "sub/deeper/c.json": JSON.stringify({
      name: "gamma", duration: "10s", hosts: { app: { count: 1, cores: 1 } },
      services: { server: { host: "app", workers: 1, cpu: { exp: "10ms" } } },
      workload: { ping: { rate: "20/s", to: "server" } },
      slo: [{ metric: "ping.successRate", above: "99%" }],
    }), "notes.txt": "not a scenario" })
    const out = join(dir, "results")
    const junit = join(dir, "junit.xml")
    const r = await wwsim(["check", dir, "--out", out, "--junit", junit, "--threads", "2"])
    expect(r.code).toBe(ExitCode.sloBreached)
    expect(stderrLines(r)).toEqual(["error: 1 of 3 scenarios had unexpected SLO verdicts: beta"])
    for (const name of ["alpha", "beta", "gamma"]) expect(readReport(join(out, name)).scenario).toBe(name)
    const row = (name: string) => r.stdout.split("\n").find((l) => l.startsWith(`│ ${name} `))?.split("│").map((c) => c.trim())
    expect(row("alpha")?.slice(3, 7)).toEqual(["2", "0", "0", "pass"])
    expect(row("beta")?.slice(3, 7)).toEqual(["1", "0", "1", "FAIL"])
    expect(row("gamma")?.slice(3, 7)).toEqual(["1", "0", "0", "pass"])
    expect(r.stdout).toMatch(/✗ beta: ping\.latency\.mean below 1ms: unexpected: breached \(measured/)
    expect(r.stdout).toMatch(/check: 3 scenarios · 5 SLOs: 4 held, 0 breached as expected, 1 unexpected · FAIL \(1 scenario\)/)
    const suites = findAll(parseXml(readFileSync(junit, "utf8")), "testsuite")
    expect(suites.map((s) => [s.attrs.name, s.attrs.tests, s.attrs.failures])).toEqual([["alpha", "2", "0"], ["beta", "2", "1"], ["gamma", "1", "0"]])
  })

  it("exits 0 when every scenario holds; files and folders can be mixed, --set applies to all", async () => {
    const dir = folder({ "x/a.yaml": holding("alpha"), "b.yaml": holding("beta") })
    const out = join(dir, "out")
    const r = await wwsim(["check", join(dir, "x"), join(dir, "b.yaml"), "--out", out, "--set", "duration=10s"])
    expect(stderrLines(r)).toEqual([])
    expect(r.code).toBe(ExitCode.ok)
    expect(readReport(join(out, "alpha")).window.durationS).toBe(10)
    expect(r.stdout).toMatch(/check: 2 scenarios · 4 SLOs: 4 held, 0 breached as expected, 0 unexpected · PASS/)
  })

  it("reports every invalid file, one line each, and runs nothing", async () => {
    const dir = folder({
      "a.yaml": holding("alpha"),
      "b.yaml": holding("beta").replace("workers: 1", "workers: four"),
      "c.yaml": mm1("gamma", "  - { metric: web-1.cpu, below: 50% }"),
      "d.yaml": holding("alpha"),
    })
    const out = join(dir, "out")
    const r = await wwsim(["check", dir, join(dir, "missing.yaml"), "--out", out])
    expect(r.code).toBe(ExitCode.badInput)
    expect(stderrLines(r)).toEqual([
      expect.stringMatching(/^error: cannot read .*missing\.yaml: no such file/),
      expect.stringMatching(/^error: .*b\.yaml:8:\d+ services\.server\.workers: /),
      expect.stringMatching(/^error: .*c\.yaml:12:7 slo\.0\.metric: unknown host "web-1"/),
      expect.stringMatching(/^error: .*d\.yaml: scenario name "alpha" is also the name of .*a\.yaml/),
    ])
    expect(existsSync(out)).toBe(false)
  })

  it("with --junit, invalid files still give CI a JUnit file: an error case per invalid file, each of its mistakes, the rest skipped", async () => {
    const dir = folder({
      "a.yaml": holding("alpha"),
      "b.yaml": holding("beta").replace("workers: 1", "workers: four").replace("duration: 20s", "duration: 20"),
    })
    const junit = join(dir, "junit.xml")
    const r = await wwsim(["check", dir, "--out", join(dir, "out"), "--junit", junit])
    expect(r.code).toBe(ExitCode.badInput)
    expect(stderrLines(r)).toEqual([
      expect.stringMatching(/^error: .*b\.yaml:4:\d+ duration: /),
      expect.stringMatching(/^error: .*b\.yaml:8:\d+ services\.server\.workers: /),
    ])
    const doc = parseXml(readFileSync(junit, "utf8"))
    expect(doc.attrs).toMatchObject({ tests: "2", errors: "1", failures: "0", skipped: "1" })
    const [bad, good] = findAll(doc, "testsuite")
    expect(bad.attrs.file).toMatch(/b\.yaml$/)
    const [error] = findAll(bad, "error")
    expect(error.attrs).toMatchObject({ type: "ScenarioInvalid", message: expect.stringMatching(/duration: /) })
    expect(error.text.split("\n")).toHaveLength(2)
    expect(good.attrs).toMatchObject({ name: "alpha", skipped: "1" })
    expect(existsSync(join(dir, "out"))).toBe(false)
  })

  it("--html DIR writes each scenario's self-contained page", async () => {
    const dir = folder({ "a.yaml": holding("alpha"), "b.yaml": breaching("beta") })
    const r = await wwsim(["check", dir, "--out", join(dir, "out"), "--html", join(dir, "pages")])
    expect(r.code).toBe(ExitCode.sloBreached)
    expect(r.stdout).toContain(`html: ${join(dir, "pages", "<scenario>.html")} (2 pages)`)
    for (const name of ["alpha", "beta"]) {
      const page = readFileSync(join(dir, "pages", `${name}.html`), "utf8")
      // the report itself is inlined: the page needs no other file
      expect(page).toContain(`"scenario":"${name}"`)
      expect(page).not.toMatch(/<script\b[^>]*\bsrc=/)
    }
  })

  it("an empty folder is an input error", async () => {
    const r = await wwsim(["check", tempDir()])
    expect(r.code).toBe(ExitCode.badInput)
    expect(stderrLines(r)).toEqual([expect.stringMatching(/no scenario files/)])
  })

  it("without paths it exits 2", async () => {
    const r = await wwsim(["check"])
    expect(r.code).toBe(ExitCode.badInput)
  })
})

describe("wwsim check, in process", () => {
  const args = (paths: ReadonlyArray<string>, out: string, junit?: string) => ({
    paths, out: Option.some(out), junit: Option.fromNullishOr(junit), set: [], threads: Option.some(2),
  })

  it("runs on the in-process pool too, with the same verdict", async () => {
    const dir = folder({ "a.yaml": holding("alpha"), "b.yaml": breaching("beta") })
    const exit = await Effect.runPromiseExit(checkScenarios(args([dir], join(dir, "out"))).pipe(
      Effect.provide(SimulationPool.inProcess), Effect.provide(AppLayer)))
    expect(outcomeOf(exit)).toEqual({ code: ExitCode.sloBreached, line: "error: 1 of 2 scenarios had unexpected SLO verdicts: beta" })
  })

  it("a simulator failure on one scenario exits 3 after the others ran, and the JUnit file has the error", async () => {
    const dir = folder({ "a.yaml": holding("alpha"), "b.yaml": holding("beta") })
    const crashing = Layer.succeed(SimulationPool, {
      start: () => Effect.succeed((scenario) =>
        scenario.name === "beta"
          ? Effect.die(new SimulationCrashed("heap underflow", "RangeError: heap underflow\n    at Heap.pop"))
          : Effect.sync(() => ({ ...simulate(scenario), wallS: 0.1 }))),
    })
    const junit = join(dir, "junit.xml")
    const exit = await Effect.runPromiseExit(checkScenarios(args([dir], join(dir, "out"), junit)).pipe(
      Effect.provide(crashing), Effect.provide(AppLayer)))
    const logs = tempDir()
    const { code, line } = outcomeOf(exit, (details) => writeCrashLog(details, new Date(0), [logs]))
    expect(code).toBe(ExitCode.internal)
    expect(line).toMatch(/^error: internal error in the simulator: 1 of 2 scenarios failed in the simulator, first .*b\.yaml: heap underflow; details written to /)
    expect(readFileSync(join(logs, "wwsim-crash-1970-01-01T00-00-00-000Z.log"), "utf8")).toContain("at Heap.pop")
    expect(readReport(join(dir, "out", "alpha")).scenario).toBe("alpha")
    const suites = findAll(parseXml(readFileSync(junit, "utf8")), "testsuite")
    expect(suites.map((s) => [s.attrs.name, s.attrs.errors])).toEqual([["alpha", "0"], ["beta", "1"]])
  })

  it("is a subcommand of wwsim", async () => {
    const dir = folder({ "a.yaml": holding("alpha") })
    const exit = await Effect.runPromiseExit(cli(["check", dir, "--out", join(dir, "out")]).pipe(
      Effect.provide(SimulationPool.inProcess), Effect.provide(AppLayer)))
    expect(outcomeOf(exit)).toEqual({ code: ExitCode.ok })
  })
})

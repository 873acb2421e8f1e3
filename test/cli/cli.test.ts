import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { fixture, removeTempDirs, stderrLines, tempDir, tinyScenario, wwsim } from "./wwsim.ts"

afterAll(removeTempDirs)

// each test spawns node + tsx (~1–2 s of start-up); the runs are independent
describe.concurrent("wwsim CLI", { timeout: 60_000 }, () => {
  const readReport = (dir: string) => JSON.parse(readFileSync(join(dir, "report.json"), "utf8"))
  const withoutRun = ({ run: _run, ...rest }: Record<string, unknown>) => JSON.stringify(rest)

  it("several scenarios run one after another, each report under DIR/<name>/", async () => {
    const a = fixture("a.yaml", tinyScenario.replace(/^name: .*$/m, "name: first"))
    const b = fixture("b.yaml", tinyScenario.replace(/^name: .*$/m, "name: second"))
    const out = tempDir()
    const r = await wwsim(["run", a, b, "--out", out, "--quiet"])
    expect(r.code).toBe(0)
    expect(readReport(join(out, "first")).scenario).toBe("first")
    expect(readReport(join(out, "second")).scenario).toBe("second")
  })

  it("--version prints the package version", async () => {
    const r = await wwsim(["--version"])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain("0.1.0")
  })

  it("--help lists the run and schema commands", async () => {
    const r = await wwsim(["--help"])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/\brun\b/)
    expect(r.stdout).toMatch(/\bschema\b/)
  })

  it("schema prints the scenario JSON Schema", async () => {
    const r = await wwsim(["schema"])
    expect(r.code).toBe(0)
    const schema = JSON.parse(r.stdout)
    expect(schema.properties.services).toBeDefined()
  })

  it("a schema violation in the file exits 2 with one line naming file and field, and writes nothing", async () => {
    const file = fixture("bad.yaml", tinyScenario.replace("workers: 2", "workers: four"))
    const out = tempDir()
    const r = await wwsim(["run", file, "--out", out])
    expect(r.code).toBe(2)
    const lines = stderrLines(r)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^error: /)
    expect(lines[0]).toContain("bad.yaml")
    expect(lines[0]).toContain("services.server.workers")
    expect(existsSync(join(out, "report.json"))).toBe(false)
  })

  it("invalid YAML exits 2 with one error line", async () => {
    const r = await wwsim(["run", fixture("broken.yaml", "name: [unclosed\n")])
    expect(r.code).toBe(2)
    expect(stderrLines(r)).toHaveLength(1)
    expect(stderrLines(r)[0]).toMatch(/^error: .*broken\.yaml/)
  })

  it("a missing scenario file exits 2 with one error line", async () => {
    const r = await wwsim(["run", join(tempDir(), "nope.yaml")])
    expect(r.code).toBe(2)
    expect(stderrLines(r)).toEqual([expect.stringMatching(/^error: .*nope\.yaml/)])
  })

  it("an unknown flag exits 2 with one error line", async () => {
    const r = await wwsim(["run", fixture("tiny.yaml", tinyScenario), "--bogus"])
    expect(r.code).toBe(2)
    expect(stderrLines(r)).toEqual([expect.stringMatching(/^error: .*--bogus/)])
  })

  it("a missing scenario argument exits 2", async () => {
    const r = await wwsim(["run"])
    expect(r.code).toBe(2)
    expect(stderrLines(r)).toEqual([expect.stringMatching(/^error: .*scenario/)])
  })

  it("a negative --seed exits 2", async () => {
    const r = await wwsim(["run", fixture("tiny.yaml", tinyScenario), "--seed=-3"])
    expect(r.code).toBe(2)
    expect(stderrLines(r)).toEqual([expect.stringMatching(/^error: .*--seed/)])
  })

  it("an unknown command exits 2", async () => {
    const r = await wwsim(["frobnicate"])
    expect(r.code).toBe(2)
    expect(stderrLines(r)).toEqual([expect.stringMatching(/^error: .*frobnicate/)])
  })

  it("a --set with a bad value exits 2 naming the path", async () => {
    const out = tempDir()
    const r = await wwsim(["run", fixture("tiny.yaml", tinyScenario), "--out", out, "--set", "services.server.workers=four"])
    expect(r.code).toBe(2)
    expect(stderrLines(r)).toEqual([expect.stringMatching(/^error: .*services\.server\.workers/)])
    expect(existsSync(join(out, "report.json"))).toBe(false)
  })

  it("an output directory that cannot be created exits 2 before simulating", async () => {
    const blocker = fixture("not-a-dir", "")
    const r = await wwsim(["run", fixture("tiny.yaml", tinyScenario), "--out", join(blocker, "sub")])
    expect(r.code).toBe(2)
    expect(stderrLines(r)).toEqual([expect.stringMatching(/^error: cannot write .*report\.json/)])
  })

  it("a valid scenario exits 0 and writes a whole report.json", async () => {
    const out = tempDir()
    const r = await wwsim(["run", fixture("tiny.yaml", tinyScenario), "--out", out])
    expect(stderrLines(r)).toEqual([])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain("ping")
    expect(r.stdout).toContain("server")
    expect(r.stdout).toContain(`report: ${join(out, "report.json")}`)
    const report = readReport(out)
    expect(report.scenario).toBe("tiny")
    expect(report.seed).toBe(3)
    expect(report.run.events).toBeGreaterThan(0)
    expect(report.run.version).toBe("0.1.0")
    expect(report.run.node).toBe(process.version)
    expect(readdirSync(out)).toEqual(["report.json"])
  })

  it("writes to results/<scenario name>/ by default and --quiet prints only the path", async () => {
    const cwd = tempDir()
    const r = await wwsim(["run", fixture("tiny.yaml", tinyScenario), "--quiet"], cwd)
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`report: ${join("results", "tiny", "report.json")}\n`)
    expect(readReport(join(cwd, "results", "tiny")).scenario).toBe("tiny")
  })

  it("two runs with the same seed give identical reports outside run", async () => {
    const file = fixture("tiny.yaml", tinyScenario)
    const [a, b] = [tempDir(), tempDir()]
    const [ra, rb] = await Promise.all([wwsim(["run", file, "--out", a, "--quiet"]), wwsim(["run", file, "--out", b, "--quiet"])])
    expect([ra.code, rb.code]).toEqual([0, 0])
    expect(withoutRun(readReport(a))).toBe(withoutRun(readReport(b)))
  })

  it("--seed overrides the scenario's seed", async () => {
    const file = fixture("tiny.yaml", tinyScenario)
    const [a, b] = [tempDir(), tempDir()]
    const [ra, rb] = await Promise.all([
      wwsim(["run", file, "--out", a, "--quiet"]),
      wwsim(["run", file, "--out", b, "--quiet", "--seed", "99"]),
    ])
    expect([ra.code, rb.code]).toEqual([0, 0])
    expect(readReport(b).seed).toBe(99)
    expect(withoutRun(readReport(a))).not.toBe(withoutRun(readReport(b)))
  })
})

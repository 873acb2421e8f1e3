// The drill and system library as a user's CI gate: every drill and system scenario declares its
// story in its SLOs (`expect: breach`, with the range the value is expected in), so the README's CI
// recipe — `wwsim check scenarios/drills scenarios/systems`, run here as the README writes it —
// exits 0 on a correct build, and exits 1, saying "unexpected", when a drill's scenario changes so
// that its story no longer holds.
import { readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, describe, expect, test } from "vitest"
import YAML from "yaml"
import { ExitCode } from "../../sim/cli/outcome.ts"
import type { Report } from "../../sim/report/Report.ts"
import { loadScenarioFile } from "../../sim/scenario/load.ts"
import { findAll, parseXml } from "../slo/xml.ts"
import { removeTempDirs, stderrLines, tempDir, wwsim } from "../cli/wwsim.ts"

afterAll(removeTempDirs)

const root = join(import.meta.dirname, "..", "..")
const drills = readdirSync(join(root, "scenarios/drills")).filter((f) => f.endsWith(".yaml")).map((f) => join(root, "scenarios/drills", f))

interface Step { readonly run?: unknown; readonly uses?: unknown; readonly with?: Record<string, unknown> }

/** The steps of the README's CI recipe: the first YAML block of its "## CI" section. */
function ciRecipe(): ReadonlyArray<Step> {
  const readme = readFileSync(join(root, "README.md"), "utf8")
  const section = readme.slice(readme.indexOf("\n## CI\n"))
  const block = /```yaml\n([\s\S]*?)```/.exec(section)
  expect(block, "the README's CI section has a yaml block").not.toBeNull()
  const doc = YAML.parse(block![1]) as { jobs: Record<string, { steps: ReadonlyArray<Step> }> }
  const [job] = Object.values(doc.jobs)
  return job.steps
}

/**
 * Drills whose header says "Recovers within N s" (issue 17: users come back): from which fault edge
 * the time counts. Recovered at the first step from which every later step has sendmsg success ≥
 * 99.9% and push p99 < 100 ms, read from the report's per-step series.
 */
const RECOVERY: Readonly<Record<string, "start" | "end">> = {
  "access-host-down": "end",
}

/** Seconds from `from` to the first step after which sendmsg and push stay healthy; Infinity if never. */
function recoveryS(r: Report, from: number): number {
  const s = r.series, send = s.kinds.sendmsg, push = s.kinds.push
  let recovered = Infinity
  for (let i = s.t.length - 1; i >= 0 && s.t[i] >= from; i--) {
    const done = send.throughput[i] + send.failed[i] + send.rejected[i]
    const healthy = (done === 0 || send.throughput[i] / done >= 0.999) && (push.p99Ms[i] ?? 0) < 100
    if (!healthy) break
    recovered = s.t[i] - from
  }
  return recovered
}

/** sendmsg's success over the last `seconds` of the run, from the per-step series. */
function lastSuccess(r: Report, seconds: number): number {
  const s = r.series, send = s.kinds.sendmsg
  let ok = 0, done = 0
  for (let i = 0; i < s.t.length; i++) {
    if (s.t[i] < r.window.warmupS + r.window.durationS - seconds) continue
    ok += send.throughput[i]
    done += send.throughput[i] + send.failed[i] + send.rejected[i]
  }
  return ok / done
}

/** The drill recovers within the time its header states, and its last 30 s are healthy. */
function expectRecovery(outDir: string, drill: string, edge: "start" | "end"): void {
  const file = join(root, "scenarios/drills", `${drill}.yaml`)
  const scenario = loadScenarioFile(file)
  const stated = /Recovers within (\d+) s/.exec(readFileSync(file, "utf8"))
  expect(stated, `${drill}: its header states the recovery time`).not.toBeNull()
  const report = JSON.parse(readFileSync(join(outDir, scenario.name, "report.json"), "utf8")) as Report
  const fault = scenario.faults[0]
  const from = edge === "start" ? fault.at : fault.at + (fault.for ?? 0)
  expect(recoveryS(report, from), drill).toBeLessThanOrEqual(Number(stated![1]))
  expect(lastSuccess(report, 30), drill).toBeGreaterThanOrEqual(0.999)
}

describe("the drill and system library", () => {
  test("every drill has SLOs and says which of them it exists to breach", () => {
    for (const file of drills) {
      const slo = loadScenarioFile(file).slo ?? []
      expect(slo.length, file).toBeGreaterThan(0)
      // a breach declared without a range would not notice a story twice as deep
      for (const s of slo) if (s.expect?.breach === true) expect(s.expect.within, `${file}: ${s.metric}`).not.toBeNull()
    }
  })

  test("the README's CI recipe, run as written, passes: exit 0, a JUnit file without failures, a page per scenario", { timeout: 600_000 }, async () => {
    const steps = ciRecipe()
    const runs = steps.filter((x) => typeof x.run === "string").map((x) => String(x.run))
    // installing is the CI machine's business (node_modules is here); every other command runs
    expect(runs[0]).toBe("npm ci")
    const commands = runs.slice(1)
    expect(commands.length).toBeGreaterThan(0)
    const dir = tempDir()
    symlinkSync(join(root, "scenarios"), join(dir, "scenarios"))
    for (const command of commands) {
      expect(command).toMatch(/^npm run sim -- /)
      const r = await wwsim(command.slice("npm run sim -- ".length).split(/\s+/), dir)
      expect(stderrLines(r)).toEqual([])
      expect(r.code).toBe(ExitCode.ok)
      expect(r.stdout).toMatch(/ 0 unexpected · PASS · /)
      // the drills that exist to show a breach still show it, as passing test cases that say so
      expect(r.stdout).toMatch(/ [1-9]\d* breached as expected, 0 unexpected/)
    }
    // what the artifact steps keep is what the commands wrote
    const artifact = steps.find((x) => String(x.uses ?? "").startsWith("actions/upload-artifact"))
    const junitReport = steps.find((x) => String(x.uses ?? "").startsWith("mikepenz/action-junit-report"))
    const kept = String(artifact?.with?.path)
    const junit = String(junitReport?.with?.report_paths)
    expect(junit.startsWith(kept)).toBe(true)
    const doc = parseXml(readFileSync(join(dir, junit), "utf8"))
    expect(doc.attrs).toMatchObject({ failures: "0", errors: "0" })
    expect(findAll(doc, "system-out").some((o) => o.text.startsWith("breached as expected: "))).toBe(true)
    const pages = readdirSync(join(dir, kept, "html")).filter((f) => f.endsWith(".html"))
    expect(pages.length).toBe(findAll(doc, "testsuite").length)
    for (const [drill, edge] of Object.entries(RECOVERY)) expectRecovery(join(dir, "results"), drill, edge)
  })

  test("a drill changed so that its story no longer holds exits 1 with an `unexpected` line", { timeout: 120_000 }, async () => {
    const original = readFileSync(join(root, "scenarios/drills/storage-group-down.yaml"), "utf8")
    expect(original).toContain("target: [storage-1, storage-2]")
    const dir = tempDir()
    // one host of the group down, not two: quorum holds and nothing fails — no breach at all
    writeFileSync(join(dir, "one-down.yaml"), original
      .replace("name: drill-storage-group-down", "name: drill-one-down")
      .replace("target: [storage-1, storage-2]", "target: [storage-1]"))
    // the group down for a quarter of the time: still a breach, but far shallower than the story's
    writeFileSync(join(dir, "short.yaml"), original
      .replace("name: drill-storage-group-down", "name: drill-short")
      .replace("at: 30s, for: 20s", "at: 45s, for: 5s"))
    const r = await wwsim(["check", dir, "--out", join(dir, "out")], root)
    expect(r.code).toBe(ExitCode.sloBreached)
    expect(stderrLines(r)).toEqual(["error: 2 of 2 scenarios had unexpected SLO verdicts: drill-one-down, drill-short"])
    expect(r.stdout).toContain("✗ drill-one-down: sendmsg.successRate above 99.9%: unexpected: held; expected a breach")
    expect(r.stdout).toMatch(/✗ drill-short: sendmsg\.successRate above 99\.9%: unexpected: breached at \d+(\.\d+)?%; expected within \d+%–\d+%/)
  })
})

// The drill and system library as a user's CI gate: every drill and system scenario declares its
// story in its SLOs (`expect: breach`, with the range the value is expected in), so
// `wwsim check scenarios/drills scenarios/systems` exits 0 on a correct build — and exits 1, saying
// "unexpected", when a drill's scenario changes so that its story no longer holds.
import { readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, describe, expect, test } from "vitest"
import { ExitCode } from "../../sim/cli/outcome.ts"
import { loadScenarioFile } from "../../sim/scenario/load.ts"
import { findAll, parseXml } from "../slo/xml.ts"
import { removeTempDirs, stderrLines, tempDir, wwsim } from "../cli/wwsim.ts"

afterAll(removeTempDirs)

const root = join(import.meta.dirname, "..", "..")
const drills = readdirSync(join(root, "scenarios/drills")).filter((f) => f.endsWith(".yaml")).map((f) => join(root, "scenarios/drills", f))

describe("the drill and system library", () => {
  test("every drill has SLOs and says which of them it exists to breach", () => {
    for (const file of drills) {
      const slo = loadScenarioFile(file).slo ?? []
      expect(slo.length, file).toBeGreaterThan(0)
      // a breach declared without a range would not notice a story twice as deep
      for (const s of slo) if (s.expect?.breach === true) expect(s.expect.within, `${file}: ${s.metric}`).not.toBeNull()
    }
  })

  test("`check scenarios/drills scenarios/systems` exits 0: every verdict is the one its story declares", { timeout: 600_000 }, async () => {
    const dir = tempDir()
    const junit = join(dir, "junit.xml")
    const r = await wwsim(["check", join(root, "scenarios/drills"), join(root, "scenarios/systems"), "--out", join(dir, "out"), "--junit", junit], root)
    expect(stderrLines(r)).toEqual([])
    expect(r.code).toBe(ExitCode.ok)
    expect(r.stdout).toMatch(/ 0 unexpected · PASS · /)
    // the drills that exist to show a breach still show it, as passing test cases that say so
    expect(r.stdout).toMatch(/ [1-9]\d* breached as expected, 0 unexpected/)
    const doc = parseXml(readFileSync(junit, "utf8"))
    expect(doc.attrs).toMatchObject({ failures: "0", errors: "0" })
    const outs = findAll(doc, "system-out").map((o) => o.text)
    expect(outs.some((t) => t.startsWith("breached as expected: "))).toBe(true)
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

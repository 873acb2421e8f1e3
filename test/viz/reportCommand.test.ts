// `wwsim report`: writes one self-contained HTML file; bad input is one line and exit 2.
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { defaultHtmlPath } from "../../sim/cli/reportCommand.ts"
import { fixture as reportFixture, removeTempDirs, stderrLines, tempDir, wwsim } from "../cli/wwsim.ts"
import { fixture, withChanges } from "./fixture.ts"

afterAll(removeTempDirs)

const hostile = "</script><img src=x onerror=alert(1)>"

describe.concurrent("wwsim report", { timeout: 60_000 }, () => {
  it("writes the HTML beside the report by default, with code, style and data inlined", async () => {
    const file = reportFixture("report.json", JSON.stringify(withChanges((r) => {
      r.services[hostile] = r.services.front
      delete r.services.front
    })))
    const r = await wwsim(["report", file])
    expect(stderrLines(r)).toEqual([])
    expect(r.code).toBe(0)
    const out = join(file, "..", "report.html")
    expect(r.stdout.trim()).toBe(`html: ${out}`)
    const html = readFileSync(out, "utf8")
    expect(html).not.toMatch(/<script[^>]*\ssrc=/)
    expect(html).not.toMatch(/<link[^>]*stylesheet/)
    expect(html).toContain("<style>")
    expect(html).not.toContain("<img")
    const data = html.match(/<script type="application\/json" id="wwsim-report">([^<]*)<\/script>/)![1]
    expect(Object.keys(JSON.parse(data).services)).toContain(hostile)
  })

  it("writes --out, embedding --baseline", async () => {
    const file = reportFixture("r.json", JSON.stringify(fixture))
    const out = join(tempDir(), "nested", "compare.html")
    const r = await wwsim(["report", file, "--baseline", file, "--out", out])
    expect(r.code).toBe(0)
    expect(readFileSync(out, "utf8")).toContain('id="wwsim-baseline"')
  })

  it("a missing report exits 2 with one line and writes nothing", async () => {
    const dir = tempDir()
    const r = await wwsim(["report", join(dir, "nope.json")])
    expect(r.code).toBe(2)
    expect(stderrLines(r)).toEqual([expect.stringMatching(/^error: .*nope\.json: cannot read it: no such file$/)])
    expect(existsSync(join(dir, "nope.html"))).toBe(false)
  })

  it("invalid JSON exits 2 with one line", async () => {
    const r = await wwsim(["report", reportFixture("broken.json", "{ nope")])
    expect(r.code).toBe(2)
    expect(stderrLines(r)).toEqual([expect.stringMatching(/^error: .*broken\.json: invalid JSON/)])
  })

  it("JSON that is not a report exits 2 naming what is wrong", async () => {
    const file = reportFixture("other.json", JSON.stringify({ scenario: "x", window: { warmupS: 0, durationS: 1 } }))
    const r = await wwsim(["report", file])
    expect(r.code).toBe(2)
    expect(stderrLines(r)).toEqual([expect.stringMatching(/^error: .*other\.json: not a wwsim report: requests: expected an object$/)])
  })

  it("a bad baseline exits 2 too", async () => {
    const file = reportFixture("r.json", JSON.stringify(fixture))
    const r = await wwsim(["report", file, "--baseline", reportFixture("b.json", "[]")])
    expect(r.code).toBe(2)
    expect(stderrLines(r)).toEqual([expect.stringMatching(/^error: .*b\.json: not a wwsim report/)])
  })

  it("an unwritable --out exits 2 with one line", async () => {
    const file = reportFixture("r.json", JSON.stringify(fixture))
    writeFileSync(join(file, "..", "blocker"), "")
    const r = await wwsim(["report", file, "--out", join(file, "..", "blocker", "x.html")])
    expect(r.code).toBe(2)
    expect(stderrLines(r)).toEqual([expect.stringMatching(/^error: cannot write .*x\.html/)])
  })
})

describe("defaultHtmlPath", () => {
  it("swaps .json for .html, or appends .html", () => {
    expect(defaultHtmlPath("results/x/report.json")).toBe("results/x/report.html")
    expect(defaultHtmlPath("report")).toBe("report.html")
  })
})

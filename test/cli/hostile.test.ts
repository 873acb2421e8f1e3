/**
 * Issue 14: ten defects an attack on the CLI found, each reproduction as a test. Every run is
 * under a wall-clock guard (`wwsimWithin` kills it), so a regression to a hang fails here
 * instead of hanging CI; and every failure must be the documented exit code with one line.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { type MergeInvalid, mergeShards } from "../../sim/replications/merge.ts"
import { sealed } from "../../sim/replications/shardIdentity.ts"
import { fixture, removeTempDirs, stderrLines, tempDir, tinyScenario, wwsimWithin } from "./wwsim.ts"

afterAll(removeTempDirs)

const WECOM = join(process.cwd(), "scenarios/wecom-20k.yaml")
const readReport = (dir: string) => JSON.parse(readFileSync(join(dir, "report.json"), "utf8"))

/** The failure every hostile input must give: `code`, one line starting "error:", in time. */
const expectOneLine = (r: Awaited<ReturnType<typeof wwsimWithin>>, code: number, pattern: RegExp) => {
  expect(r.timedOut).toBe(false)
  expect(r.code).toBe(code)
  const lines = stderrLines(r)
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(pattern)
}

describe.concurrent("issue 14 reproductions", { timeout: 90_000 }, () => {
  it.each([
    ["access-1", "19%"],
    ["logic-1", "1%"],
  ])("1. long-conn-blocked for ever + nic-degrade on %s with loss %s finishes and conserves requests", async (target, loss) => {
    const out = tempDir()
    const r = await wwsimWithin(60_000, ["run", WECOM, "--quiet", "--out", out, "--set", "warmup=1s", "--set", "duration=3s",
      "--set", `faults=[{at: 0s, action: long-conn-blocked}, {at: 1s, action: nic-degrade, target: [${target}], loss: ${loss}}]`])
    expect(r.timedOut).toBe(false)
    expect(r.code).toBe(0)
    const report = readReport(out)
    for (const k of Object.values(report.requests) as Array<Record<string, number>>) {
      expect(k.ok + k.failed + k.rejected + k.inFlight).toBe(k.issued)
      expect(k.inFlight).toBeGreaterThanOrEqual(0)
    }
  })

  it.each([
    ["run --out", (dir: string) => ["run", fixture("t.yaml", tinyScenario), "--quiet", "--out", dir]],
    ["run --junit", (dir: string) => ["run", fixture("t.yaml", tinyScenario), "--quiet", "--out", tempDir(), "--junit", join(dir, "j.xml")]],
    ["check --junit", (dir: string) => ["check", fixture("t.yaml", tinyScenario), "--out", tempDir(), "--junit", join(dir, "j.xml")]],
    ["merge --out", (dir: string) => ["merge", fixture("a.json", "{}"), "--out", dir]],
  ])("4. %s under /proc exits 2 with one line, at once", async (_, args) => {
    for (const dir of ["/proc/x", "/proc/self/x/y", "/proc/sys/x"]) {
      const r = await wwsimWithin(30_000, args(dir))
      expectOneLine(r, 2, /^error: /)
    }
  })

  it("4. report --out under /proc exits 2 with one line", async () => {
    const out = tempDir()
    expect((await wwsimWithin(30_000, ["run", fixture("t.yaml", tinyScenario), "--quiet", "--out", out])).code).toBe(0)
    const r = await wwsimWithin(30_000, ["report", join(out, "report.json"), "--out", "/proc/x/r.html"])
    expectOneLine(r, 2, /^error: cannot write \/proc\/x\/r\.html/)
  })

  it("10. an explicit series.step is honoured beyond 2,000 points (up to the 100,000-point limit)", async () => {
    const out = tempDir()
    // 300 s at 10 ms: 30,000 steps (the default step would keep 300)
    const r = await wwsimWithin(60_000, ["run", fixture("t.yaml", tinyScenario), "--quiet", "--out", out,
      "--set", "duration=300s", "--set", "series.step=10ms"])
    expect(r.timedOut).toBe(false)
    expect(r.code).toBe(0)
    const report = readReport(out)
    expect(report.series.stepS).toBe(0.01)
    expect(report.series.t.length).toBeGreaterThanOrEqual(30_000)
    // past the limit: refused up front, one line
    const over = await wwsimWithin(30_000, ["run", fixture("t.yaml", tinyScenario), "--quiet", "--out", tempDir(),
      "--set", "duration=2000s", "--set", "series.step=10ms"])
    expectOneLine(over, 2, /series\.step: .*200000 points per series; at most 100000/)
  })

  describe("6. merge refuses shards of different scenarios, versions or edited values", () => {
    const shard = async (index: number, sets: ReadonlyArray<string>) => {
      const out = tempDir()
      const r = await wwsimWithin(60_000, ["run", fixture("t.yaml", tinyScenario), "--quiet", "--out", out,
        "--set", "duration=2s", "--replications", "2", "--shard", `${index}/2`, ...sets.flatMap((x) => ["--set", x])])
      expect(r.code).toBe(0)
      return join(out, "report.json")
    }
    const merge = (files: ReadonlyArray<string>) => wwsimWithin(30_000, ["merge", ...files, "--out", tempDir()])

    it("the same run's shards merge", async () => {
      const r = await merge([await shard(0, []), await shard(1, [])])
      expect(r.code).toBe(0)
    })

    it.each([
      ["another duration", ["duration=3s"]],
      ["other workers", ["services.server.workers=3"]],
    ])("%s (same name and seed): exit 2, one line", async (_, sets) => {
      const r = await merge([await shard(0, []), await shard(1, sets)])
      expectOneLine(r, 2, /^error: merge: .* simulated another scenario than /)
    })

    it("another wwsim version (resealed, as that version would write it): refused", async () => {
      const a = JSON.parse(readFileSync(await shard(0, []), "utf8"))
      const b = JSON.parse(readFileSync(await shard(1, []), "utf8"))
      const other = sealed({ ...b, run: { ...b.run, version: "9.9.9" } })
      const line = (() => {
        try {
          mergeShards([{ file: "a", report: a }, { file: "b", report: other }])
          return "merged"
        } catch (e) {
          return (e as MergeInvalid).line
        }
      })()
      expect(line).toMatch(/^error: merge: b was written by wwsim 9\.9\.9, a by /)
    })

    it("a hand-edited value: exit 2, one line", async () => {
      const b = await shard(1, [])
      const text = readFileSync(b, "utf8")
      writeFileSync(b, text.replace(/"issued": (\d+)/, (_, n) => `"issued": ${Number(n) + 1}`))
      const r = await merge([await shard(0, []), b])
      expectOneLine(r, 2, /^error: merge: .*was changed after it was written/)
    })

    it("a file shaped like a shard but holding nonsense: exit 2, one line, no raw TypeError", async () => {
      const junk = fixture("junk.json", JSON.stringify({ replications: { shard: { index: 0 }, scenarioHash: "x", digest: "y" } }))
      const r = await merge([junk])
      expectOneLine(r, 2, /^error: merge: /)
      expect(r.stderr).not.toMatch(/TypeError|undefined/)
    })
  })

  it("2. an unbounded InQueue under 10,000× overload ends at the queue budget: exit 3, one line, bounded time", async () => {
    const r = await wwsimWithin(60_000, ["run", fixture("t.yaml", tinyScenario.replace("queue: 10, ", "")), "--quiet", "--out", tempDir(),
      "--set", "workload.ping.rate=1000000/s", "--set", "duration=1h"])
    expectOneLine(r, 3, /^error: the InQueues hold [\d,]+ calls at simulated time [\d.]+s, over the 2,000,000 a run may hold \(app-1's: [\d,]+, unbounded\): give the service a `queue:` bound, or lower the load; details written to /)
  })
})

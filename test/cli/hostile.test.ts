/**
 * Issue 14: ten defects an attack on the CLI found, each reproduction as a test. Every run is
 * under a wall-clock guard (`wwsimWithin` kills it), so a regression to a hang fails here
 * instead of hanging CI; and every failure must be the documented exit code with one line.
 */
import { existsSync, readFileSync, truncateSync, writeFileSync } from "node:fs"
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

describe.concurrent("issue 14 reproductions", { timeout: 200_000 }, () => {
  it.each([
    ["access-1", "19%"],
    ["logic-1", "1%"],
  ])("1. long-conn-blocked for ever + nic-degrade on %s with loss %s finishes and conserves requests", async (target, loss) => {
    const out = tempDir()
    const r = await wwsimWithin(150_000, ["run", WECOM, "--quiet", "--out", out, "--set", "warmup=1s", "--set", "duration=3s",
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
    const r = await wwsimWithin(150_000, ["run", fixture("t.yaml", tinyScenario.replace("queue: 10, ", "")), "--quiet", "--out", tempDir(),
      "--set", "workload.ping.rate=1000000/s", "--set", "duration=1h"])
    expectOneLine(r, 3, /^error: the InQueues hold [\d,]+ calls at simulated time [\d.]+s, over the 2,000,000 a run may hold \(app-1's: [\d,]+, unbounded\): give the service a `queue:` bound, or lower the load; details written to /)
  })

  it("3. 200,000 keys with a duplicate are refused in seconds, at the duplicate's line", async () => {
    const lines = ["name: big", "x:", ...Array.from({ length: 200_000 }, (_, i) => `  k${i}: 1`), "  k5: 2"]
    const file = fixture("dup.yaml", lines.join("\n") + "\n")
    const r = await wwsimWithin(60_000, ["run", file, "--quiet", "--out", tempDir()])
    expectOneLine(r, 2, /dup\.yaml:200003:3: duplicate key: .*\("k5"\)$/)
  })

  it("5. 10,000 hosts over 2000 s is refused before running, saying how to fit the report", async () => {
    const r = await wwsimWithin(30_000, ["run", fixture("t.yaml", tinyScenario), "--quiet", "--out", tempDir(),
      "--set", "hosts.app.count=10000", "--set", "duration=2000s"])
    expectOneLine(r, 2, /its report would have about [\d.]+ GB, over the 200 MB a report may have: set `series.step` to \d+s or more/)
  })

  it.each([
    ["spawn-free rate 1e8/s × 720h", ["workload.ping.rate=100000000/s", "duration=720h"], /about \de\d+ events, over the budget of 1e11/],
    ["fault at 1000000h", ["faults=[{at: 1000000h, action: load, factor: 2}]"], /faults\.0\.at: expected at most 720h/],
    ["load factor 1e12", ["faults=[{at: 1s, action: load, factor: 1000000000000}]"], /factor: expected a rate multiplier of at most 1000/],
    ["cpu 0.001us at 1e8/s", ["services.server.cpu={const: 0.001us}", "workload.ping.rate=100000000/s", "duration=10m"], /events, over the budget/],
  ])("7. %s is refused up front: exit 2, one line", async (_, sets, pattern) => {
    const r = await wwsimWithin(30_000, ["run", fixture("t.yaml", tinyScenario), "--quiet", "--out", tempDir(), ...sets.flatMap((x) => ["--set", x])])
    expectOneLine(r, 2, pattern)
  })

  it("smaller: a bad --junit is found before a long run, not after it", async () => {
    const out = tempDir()
    const r = await wwsimWithin(30_000, ["run", fixture("t.yaml", tinyScenario), "--quiet", "--out", out, "--set", "duration=10h", "--junit", "/proc/x/j.xml"])
    expectOneLine(r, 2, /^error: cannot write \/proc\/x\/j\.xml/)
  })

  it.each([
    ["a JSON trailing comma", "t.json", JSON.stringify({ name: "j" }).replace("}", ",}"), /t\.json:1:\d+: invalid JSON: /],
    ["absurd nesting", "deep.yaml", `name: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`, /nested too deeply to read/],
    ["a seed past 2^53, quoted as written", "seed.yaml", "name: s\nseed: 1152921504606846977\n", /seed\.yaml:2:7 seed: 1152921504606846977 is beyond the integers wwsim reads exactly/],
  ])("smaller: %s gets our own wording", async (_, name, text, pattern) => {
    const r = await wwsimWithin(30_000, ["run", fixture(name, text), "--quiet", "--out", tempDir()])
    expectOneLine(r, 2, pattern)
    expect(r.stderr).not.toMatch(/call stack|parseAllDocuments|1152921504606846976/i)
  })

  it("smaller: --seed past 2^53 is quoted as typed", async () => {
    const r = await wwsimWithin(30_000, ["run", fixture("t.yaml", tinyScenario), "--quiet", "--out", tempDir(), "--seed", "1152921504606846977"])
    expectOneLine(r, 2, /seed must be an integer from 0 to 9007199254740991 \(2\^53 − 1\), got 1152921504606846977/)
  })

  it("smaller: a second run into a busy --out exits 2 at once", async () => {
    const out = tempDir()
    // the first runs for minutes; the guard ends it once the second has been refused
    const first = wwsimWithin(20_000, ["run", fixture("t.yaml", tinyScenario), "--quiet", "--out", out, "--set", "duration=300h"])
    for (let i = 0; i < 400 && !existsSync(join(out, ".wwsim-lock")); i++) await new Promise((res) => setTimeout(res, 50))
    const second = await wwsimWithin(30_000, ["run", fixture("t.yaml", tinyScenario), "--quiet", "--out", out])
    expectOneLine(second, 2, /is in use by another wwsim run \(pid \d+\)/)
    await first
  })

  it("2. what can be bounded up front is: --replications 1e9, and `report` on a 300 MB file", async () => {
    const reps = await wwsimWithin(30_000, ["run", fixture("t.yaml", tinyScenario), "--quiet", "--out", tempDir(), "--replications", "1000000000"])
    expectOneLine(reps, 2, /replications must be from 1 to 10000, got 1000000000/)
    const big = join(tempDir(), "report.json")
    writeFileSync(big, "")
    truncateSync(big, 300_000_000) // sparse: no 300 MB written
    const r = await wwsimWithin(30_000, ["report", big])
    expectOneLine(r, 2, /^error: .*report\.json/)
  })

  it.each([
    ["an unmakeable directory", () => "/proc/wwsim-nope/size.html", /^error: cannot write \/proc\/wwsim-nope\/size\.html: .*mkdir/],
    ["a directory in the way", () => tempDir(), /^error: cannot write .*: is a directory$/],
  ])("smaller: size --html to %s exits 2 before the search starts", async (_, target, message) => {
    // the search prints "  … " progress lines to stderr: none may come before the error
    const r = await wwsimWithin(60_000, ["size", "--users", "20000", "--html", target()])
    expectOneLine(r, 2, message)
  })
})

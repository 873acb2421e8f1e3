// The README's path on the example data set: calibrate scenarios/calibration/ (generated from
// the ground truth in truth.json by scripts/calibration-data.ts) → the overlay recovers the truth
// within its stated intervals, the validation errors are within what the README states → `size
// --base … --overlay …` gives a recommendation. And the bad-input rules of the calibrate command.
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, describe, expect, it } from "vitest"
import { removeTempDirs, tempDir, wwsim } from "../cli/wwsim.ts"

const root = fileURLToPath(new URL("../../", import.meta.url))
const data = join(root, "scenarios", "calibration")
const truth = JSON.parse(readFileSync(join(data, "truth.json"), "utf8"))
const inputs = ["access.log.gz", "cpu.csv", "wwl-logic-1-2026113010.log.gz"].map((f) => join(data, f))

afterAll(removeTempDirs)

describe("calibrate on the example data set", () => {
  const dir = tempDir()
  const overlay = join(dir, "overlay.yaml")

  it("recovers the ground truth within its intervals, and validates within the README's bounds", async () => {
    const r = await wwsim(["calibrate", ...inputs, "--map", join(data, "map.yaml"), "--base", join(data, "base.yaml"), "--out", overlay, "--json"])
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
    const j = JSON.parse(r.stdout)
    for (const [cls, demands] of Object.entries(truth.demands as Record<string, Record<string, number>>)) {
      const fit = j.classes[cls].fit
      for (const d of fit.demands) {
        expect(d.lo, `${cls} ${d.name}`).toBeLessThanOrEqual(demands[d.name])
        expect(d.hi, `${cls} ${d.name}`).toBeGreaterThanOrEqual(demands[d.name])
      }
      const background = truth.hosts[cls].background * truth.hosts[cls].count
      expect(fit.background.lo).toBeLessThanOrEqual(background)
      expect(fit.background.hi).toBeGreaterThanOrEqual(background)
    }
    for (const m of ["wwlchatlogicsvr", "wwlidallocsvr", "wwlxkv"]) {
      expect(j.modules[m].cpu.mean.lo, m).toBeLessThanOrEqual(truth.cpu[m])
      expect(j.modules[m].cpu.mean.hi, m).toBeGreaterThanOrEqual(truth.cpu[m])
    }
    // the garbage lines the generator cut short are counted, not fatal
    expect(j.inputs[0].garbage).toBeGreaterThan(0)
    // README "Calibration": CPU and throughput within 5%, latency mean and p50 within 10%, p99 within 20%
    const bound: Record<string, number> = { cpu: 0.05, throughput: 0.05, "latency.mean": 0.1, "latency.p50": 0.1, "latency.p99": 0.2 }
    expect(j.validation.rows.length).toBe(2 + 3 * 4)
    for (const row of j.validation.rows) expect(Math.abs(row.relError), `${row.metric} ${row.subject}`).toBeLessThanOrEqual(bound[row.metric])
    const text = readFileSync(overlay, "utf8")
    expect(text).toMatch(/# wwlxkv RUN lines: \d+ calls; .*95%/)
    expect(text).toMatch(/^messageInterval: /m)
    const page = readFileSync(join(dir, "calibration.html"), "utf8")
    expect(page).toContain("<svg")
    expect(page).not.toMatch(/<script/)
  }, 120_000)

  it("sizes from the overlay: `size --base … --overlay …` recommends a deployment", async () => {
    const r = await wwsim(["size", "--base", join(data, "base.yaml"), "--overlay", overlay, "--users", "5000", "--threads", "1", "--window", "20s", "--no-n-1"])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^recommendation: \d+ access \+ \d+ logic/m)
  }, 300_000)
})

describe("calibrate's bad input", () => {
  it("a log_format lacking a needed variable: one error line naming it, exit 2", async () => {
    const dir = tempDir()
    const map = readFileSync(join(data, "map.yaml"), "utf8").replace(" $request_time", "")
    writeFileSync(join(dir, "map.yaml"), map)
    const r = await wwsim(["calibrate", ...inputs, "--map", join(dir, "map.yaml"), "--out", join(dir, "o.yaml")])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(`error: ${join(dir, "map.yaml")} logFormat: lacks $request_time (needed for the latency to validate against)\n`)
  })

  it("CPU series whose clock does not overlap the logs: exit 2", async () => {
    const dir = tempDir()
    const shifted = readFileSync(join(data, "cpu.csv"), "utf8").split("\n").map((l, i) => {
      const c = l.split(",")
      return i === 0 || l === "" ? l : [Number(c[0]) + 8 * 3600, c[1], c[2]].join(",")
    })
    writeFileSync(join(dir, "cpu.csv"), shifted.join("\n"))
    const r = await wwsim(["calibrate", inputs[0], join(dir, "cpu.csv"), "--map", join(data, "map.yaml"), "--base", join(data, "base.yaml"), "--out", join(dir, "o.yaml")])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^error: .*cpu\.csv: the CPU series \(2026-11-30T18:00:30Z to .*\) do not overlap the access logs \(2026-11-30T10:00:00.*\): check the clocks and the map's timezone\n$/)
  }, 60_000)

  it("an overlay entry that fails validation names the overlay file and line", async () => {
    const dir = tempDir()
    writeFileSync(join(dir, "o.yaml"), "# calibrated\nusers: 100\nservices.wwllogic.cpu: { exp: fast }\n")
    const r = await wwsim(["run", join(data, "base.yaml"), "--overlay", join(dir, "o.yaml"), "--quiet", "--out", dir])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(`error: ${join(dir, "o.yaml")}:3:1 services.wwllogic.cpu.exp: expected a duration like 250us, 10ms, 2s, 5m or 1h, got "fast"\n`)
  })
})

// `wwsim size` end to end at 20,000 and 250,000 users, with short windows (each run a few seconds
// of model time) on two worker threads. The answers are checked against the rules they come from
// (the port arithmetic, the headroom target, the lower bounds), not against a pasted recommendation,
// so a change to the model's costs moves them without breaking the tests.
import { afterAll, describe, expect, test } from "vitest"
import { WorkerPool } from "../../sim/check/WorkerPool.ts"
import { simulate } from "../../sim/simulate.ts"
import { evaluateSlos } from "../../sim/slo/evaluate.ts"
import { accessPortBound } from "../../sim/size/candidates.ts"
import { type SizeOptions, candidateScenario, sizeDeployment } from "../../sim/size/search.ts"
import { removeTempDirs, wwsim } from "../cli/wwsim.ts"

const pool = new WorkerPool(2)
afterAll(async () => {
  await pool.close()
  removeTempDirs()
})
const run = async (s: Parameters<typeof pool.run>[0]) => (await pool.run(s)).report

const PORTS = 28_232

describe("size --users 20000", () => {
  const options: SizeOptions = { users: 20_000, slos: [], nMinus1: true, warmup: "3s", duration: "10s", maxMachines: 60 }
  const result = sizeDeployment(options, run)

  test("recommends the seed's row, 2 access + 3 mixed: one survivor holds 20,000 of 28,232 ports (71% < 85%)", async () => {
    const r = await result
    expect(r.recommendation?.candidate).toEqual({ access: 2, logic: 3, storage: 0 })
    expect(r.recommendation?.runs.map((x) => x.down)).toEqual([null, "access-1", "logic-1"])
    expect(r.seed.verdict).toMatch(/^agrees/)
    const ports = r.headroom.worst.find((h) => h.tier === "access")
    expect(ports?.resource).toBe("ports")
    expect(ports?.use).toBeGreaterThanOrEqual(20_000 / PORTS)
    expect(ports?.use).toBeLessThan(20_000 / PORTS + 0.01)
  })

  test("the default SLOs include CPU below 80% per tier and push timed on online recipients", async () => {
    const r = await result
    expect(r.slos).toContain("logic.cpu<80%")
    expect(r.slos).toContain("access.cpu<80%")
    const scenario = candidateScenario(options, { access: 2, logic: 3, storage: 0 })
    expect(Object.keys(scenario.workload)).toContain("push-offline")
  })

  test("the recommendation passes in a fresh run (another seed), N-1 included", async () => {
    const fresh = { ...options, base: { text: "preset: wecom\nseed: 11\n", file: "fresh.yaml" } }
    for (const down of [null, "access-1", "logic-1"]) {
      const scenario = candidateScenario(fresh, { access: 2, logic: 3, storage: 0 }, down)
      expect(scenario.seed).toBe(11)
      const results = evaluateSlos(simulate(scenario).report, scenario.slo ?? [])
      expect(results.filter((x) => !x.ok)).toEqual([])
    }
  })

  test("1 access + 3 mixed is below the port lower bound and not recommended", async () => {
    const r = await result
    expect(r.bounds.accessPorts).toBe(2)
    expect(r.belowBound).toEqual([{ access: 1, logic: 3, storage: 0 }])
  })
})

describe("size --users 250000", () => {
  const options: SizeOptions = { users: 250_000, slos: [], nMinus1: true, warmup: "2s", duration: "4s", maxMachines: 60 }
  const result = sizeDeployment(options, run)

  // ~10 simulations of 250,000 users: minutes on a busy two-core machine
  test("never below its own lower bound: ⌈250,000 / (85% of 28,232)⌉ + 1 = 12 access hosts", { timeout: 600_000 }, async () => {
    const r = await result
    expect(r.bounds.accessPorts).toBe(Math.ceil(250_000 / Math.floor(PORTS * 0.85)) + 1)
    expect(r.bounds.accessPorts).toBe(accessPortBound(250_000, 1, PORTS, true, 0.15))
    const c = r.recommendation?.candidate
    expect(c).toBeDefined()
    expect(c!.access).toBeGreaterThanOrEqual(Math.max(r.bounds.accessPorts, r.bounds.accessMva))
    expect(c!.logic).toBeGreaterThanOrEqual(r.bounds.logicMva)
    for (const m of r.minimality) expect(m.candidate.access).toBeGreaterThanOrEqual(r.bounds.accessPorts)
  })

  test("its worst run keeps the 15% headroom target in every tier", async () => {
    const r = await result
    expect(r.headroom.worst.length).toBeGreaterThan(0)
    for (const h of r.headroom.worst) expect(h.headroom).toBeGreaterThanOrEqual(0.15)
  })

  test("every failing candidate names a failed SLO with its value and limit, or the headroom it lacks", async () => {
    const r = await result
    for (const e of [...r.steps, ...r.minimality].filter((x) => !x.ok)) {
      expect(e.reason).toMatch(/\(SLO [<>] [^)]+\)|headroom target/)
    }
  })
})

describe("the CLI", () => {
  test("a bad --slo is bad input (exit 2), before anything runs", async () => {
    const r = await wwsim(["size", "--users", "1000", "--slo", "sendmsg.latency.p99"])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("--slo")
  })

  test("nonsense growth, retention or headroom: one error line, exit 2", async () => {
    for (const args of [["--growth", "500%/m"], ["--retention", "-2d"], ["--headroom", "150%"], ["--horizon", "0m"]]) {
      const r = await wwsim(["size", "--users", "1000", ...args])
      expect(r.code).toBe(2)
      expect(r.stderr.trim().split("\n")).toHaveLength(1)
      expect(r.stderr).toMatch(new RegExp(`^error: .*${args[0]}`))
    }
  })

  test("a search that hits its cap says so and names the flag that raises it (exit 1)", async () => {
    const r = await wwsim(["size", "--users", "10000000", "--max-machines", "20", "--sensitivity", "off"])
    expect(r.code).toBe(1)
    expect(r.stdout + r.stderr).toContain("--max-machines")
  })

  test("--sensitivity off and quick give the same recommendation; the seed's 1 + 1 test host compared", async () => {
    const args = ["size", "--users", "200", "--no-n-1", "--json", "--warmup", "1s", "--window", "4s"]
    const [off, quick] = await Promise.all([wwsim([...args, "--sensitivity", "off"]), wwsim([...args, "--sensitivity", "quick"])])
    expect(off.code).toBe(0)
    expect(quick.code).toBe(0)
    const a = JSON.parse(off.stdout)
    const b = JSON.parse(quick.stdout)
    expect(a.sensitivity).toBeNull()
    expect(b.sensitivity.assumptions.length).toBeGreaterThan(5)
    expect(b.recommendation.candidate).toEqual(a.recommendation.candidate)
    expect(a.recommendation.candidate).toEqual({ access: 1, logic: 3, storage: 0 })
    expect(a.seed.row).toEqual({ access: 1, logic: 1, storage: 0 })
    expect(a.mva.hosts.logic.cpuUtil).toBeGreaterThan(0)
  })

  test("a horizon in which the recommendation runs out: exit 1 naming the month and the resource", async () => {
    // 10,000 messages per user per day fill 1 TB within months
    const r = await wwsim(["size", "--users", "200", "--no-n-1", "--warmup", "1s", "--window", "4s", "--sensitivity", "off",
      "--horizon", "24m", "--messages-per-day", "10000", "--disk-space", "100GB"])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^error: .* runs out of disk space on the logic tier in month \d+ of the 24-month horizon/m)
    expect(r.stdout).toContain("planning horizon")
  })
})

// `wwsim size` end to end at 20,000 and 100,000 users: the recommendation, a fresh run of it, and
// the next smaller candidate failing N-1. Short windows (5 s warm-up + 20 s, 15 s at 100,000) on two
// worker threads keep each under a minute.
import { afterAll, describe, expect, test } from "vitest"
import { WorkerPool } from "../../sim/check/WorkerPool.ts"
import { simulate } from "../../sim/simulate.ts"
import { evaluateSlos } from "../../sim/slo/evaluate.ts"
import { type SizeOptions, candidateScenario, sizeDeployment } from "../../sim/size/search.ts"
import { removeTempDirs, wwsim } from "../cli/wwsim.ts"

const pool = new WorkerPool(2)
afterAll(async () => {
  await pool.close()
  removeTempDirs()
})

const options: SizeOptions = { users: 20_000, slos: [], nMinus1: true, warmup: "5s", duration: "20s", maxMachines: 60 }

describe("size --users 20000", () => {
  const result = sizeDeployment(options, async (s) => (await pool.run(s)).report)

  test("recommends the seed's row, 2 access + 3 mixed, and agrees with the seed", async () => {
    const r = await result
    expect(r.recommendation?.candidate).toEqual({ access: 2, logic: 3, storage: 0 })
    expect(r.recommendation?.runs.map((x) => x.down)).toEqual([null, "access-1", "logic-1"])
    expect(r.seed.verdict).toMatch(/^agrees/)
    expect(r.headroom.worst.find((h) => h.tier === "access")?.resource).toBe("ports")
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

  test("the next smaller candidate, 1 access + 3 mixed, fails with its access host down", async () => {
    const r = await result
    expect(r.minimality.map((e) => e.candidate)).toEqual([{ access: 1, logic: 3, storage: 0 }])
    const smaller = r.minimality[0]
    expect(smaller.ok).toBe(false)
    expect(smaller.runs.find((x) => x.down === "access-1")?.ok).toBe(false)
    expect(smaller.failingTier).toBe("access")
  })
})

describe("size --users 100000", () => {
  const big: SizeOptions = { ...options, users: 100_000, duration: "15s" }
  const result = sizeDeployment(big, async (s) => (await pool.run(s)).report)

  test("recommends 5 access + 3 mixed: ports, not cores, size it; the seed's 4 + 6 + 6 fails N-1", async () => {
    const r = await result
    expect(r.recommendation?.candidate).toEqual({ access: 5, logic: 3, storage: 0 })
    expect(r.headroom.worst.find((h) => h.tier === "access")?.resource).toBe("ports")
    expect(r.seed.verdict).not.toMatch(/^agrees/)
  })

  test("the recommendation passes in a fresh run (another seed), N-1 included", async () => {
    const fresh = { ...big, base: { text: "preset: wecom\nseed: 11\n", file: "fresh.yaml" } }
    for (const down of [null, "access-1", "logic-1"]) {
      const scenario = candidateScenario(fresh, { access: 5, logic: 3, storage: 0 }, down)
      const results = evaluateSlos(simulate(scenario).report, scenario.slo ?? [])
      expect(results.filter((x) => !x.ok)).toEqual([])
    }
  })

  test("the next smaller candidate, 4 access + 3 mixed, fails with an access host down", async () => {
    const r = await result
    const smaller = r.minimality.find((e) => e.candidate.access === 4 && e.candidate.logic === 3)
    expect(smaller?.ok).toBe(false)
    expect(smaller?.runs.find((x) => x.down === "access-1")?.ok).toBe(false)
  })
})

describe("the CLI", () => {
  test("a bad --slo is bad input (exit 2), before anything runs", async () => {
    const r = await wwsim(["size", "--users", "1000", "--slo", "sendmsg.latency.p99"])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("--slo")
  })

  test("--json at 200 users without N-1: 1 access + 3 mixed; the seed's 1 + 1 test host compared", async () => {
    const r = await wwsim(["size", "--users", "200", "--no-n-1", "--json", "--warmup", "2s", "--window", "10s"])
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.recommendation.candidate).toEqual({ access: 1, logic: 3, storage: 0 })
    expect(out.seed.row).toEqual({ access: 1, logic: 1, storage: 0 })
    expect(typeof out.seed.verdict).toBe("string")
    expect(out.mva.hosts.logic.cpuUtil).toBeGreaterThan(0)
  })
})

import { readFileSync } from "node:fs"
import { join } from "node:path"
import { Effect } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { SimulationPool } from "../../sim/check/SimulationPool.ts"
import { AppLayer, cli } from "../../sim/cli/app.ts"
import { ExitCode, outcomeOf } from "../../sim/cli/outcome.ts"
import { replicationSeed } from "../../sim/replications/seeds.ts"
import { fixture, removeTempDirs, stderrLines, tempDir, tinyScenario, wwsim } from "../cli/wwsim.ts"

afterAll(removeTempDirs)

const readReport = (dir: string) => JSON.parse(readFileSync(join(dir, "report.json"), "utf8"))

/** `wwsim args…` in this process, replications on the in-process pool. */
const runInProcess = async (args: ReadonlyArray<string>) =>
  outcomeOf(await Effect.runPromiseExit(cli(args).pipe(Effect.provide(SimulationPool.inProcess), Effect.provide(AppLayer))))

describe("wwsim run --replications", { timeout: 60_000 }, () => {
  it("--replications 3 on worker threads: report.json is the first replication's plus the replications block, and a table is printed", async () => {
    const file = fixture("tiny.yaml", tinyScenario)
    const out = tempDir()
    const r = await wwsim(["run", file, "--replications", "3", "--out", out])
    expect(r.code).toBe(ExitCode.ok)
    expect(stderrLines(r)).toEqual([])
    expect(r.stdout).toContain("3 replications · 95% confidence intervals (Student t over replication means)")
    expect(r.stdout).toMatch(/ping\.latency\.mean\s+│\s+[\d.]+\s+│\s+[\d.]+\s+│\s+[\d.]+%\s+│ ms/)

    const report = readReport(out)
    const { replications } = report
    expect(replications.count).toBe(3)
    expect(replications.seeds).toEqual([3, replicationSeed(3, 1), replicationSeed(3, 2)])
    expect(Object.keys(replications.metrics)).toEqual([
      "ping.latency.mean", "ping.latency.p50", "ping.latency.p99", "ping.successRate", "ping.throughput",
      "server.utilization", "server.queueWait.mean", "server.queueDepth.mean", "app-1.cpu",
    ])
    const latency = replications.metrics["ping.latency.mean"]
    expect(latency.values).toHaveLength(3)
    // the first value is report.json's own figure: the first replication is the plain run's
    expect(latency.values[0]).toBe(report.requests.ping.latencyMs.mean)
    expect(latency.low).toBeLessThan(latency.mean)
    expect(latency.high).toBeCloseTo(latency.mean + latency.halfWidth, 3)

    // report.json's body is exactly a plain run's with the scenario's seed
    const plain = tempDir()
    expect((await wwsim(["run", file, "--out", plain, "--quiet"])).code).toBe(ExitCode.ok)
    const { run: _a, replications: _b, ...body } = report
    const { run: _c, ...plainBody } = readReport(plain)
    expect(body).toEqual(plainBody)
  })

  it("--precision 20% stops at the first batch once every key metric is within 20%", async () => {
    const out = tempDir()
    expect(await runInProcess(["run", fixture("tiny.yaml", tinyScenario), "--precision", "20%", "--out", out, "--quiet"]))
      .toEqual({ code: ExitCode.ok })
    const { replications } = readReport(out)
    expect(replications.count).toBe(5)
    expect(replications.precision).toEqual({
      target: 0.2, maxReplications: 50, keyMetrics: ["ping.latency.mean", "ping.successRate"],
      converged: true, notConverged: [], batches: [5],
    })
    const latency = replications.metrics["ping.latency.mean"]
    expect(latency.halfWidth).toBeLessThan(0.2 * latency.mean)
  })

  it("--precision adds batches until it converges", async () => {
    const out = tempDir()
    expect(await runInProcess(["run", fixture("tiny.yaml", tinyScenario), "--precision", "2%", "--replications", "2", "--threads", "2", "--out", out, "--quiet"]))
      .toEqual({ code: ExitCode.ok })
    const { replications } = readReport(out)
    expect(replications.precision.converged).toBe(true)
    expect(replications.precision.batches.length).toBeGreaterThan(1)
    expect(replications.count).toBe(replications.precision.batches.reduce((a: number, b: number) => a + b, 0))
    const latency = replications.metrics["ping.latency.mean"]
    expect(latency.halfWidth).toBeLessThan(0.02 * latency.mean)
  })

  it("at the cap it says which key metrics did not converge", async () => {
    const file = fixture("tiny.yaml", tinyScenario)
    const out = tempDir()
    const r = await wwsim(["run", file, "--precision", "0.1%", "--replications", "2", "--max-replications", "3", "--out", out])
    expect(r.code).toBe(ExitCode.ok)
    // the tiny queue (capacity 10) rejects a few requests, so the success rate varies too
    expect(r.stdout).toContain("precision 0.1%: not reached at the cap of 3 replications; did not converge: ping.latency.mean, ping.successRate")
    const { replications } = readReport(out)
    expect(replications.count).toBe(3)
    expect(replications.precision).toMatchObject({ converged: false, notConverged: ["ping.latency.mean", "ping.successRate"], batches: [2, 1] })
  })

  it("bad combinations are input errors (exit 2)", async () => {
    const file = fixture("tiny.yaml", tinyScenario)
    expect(await runInProcess(["run", file, "--max-replications", "10"]))
      .toEqual({ code: ExitCode.badInput, line: "error: --max-replications: applies only with --precision" })
    expect(await runInProcess(["run", file, "--precision", "5%", "--replications", "10", "--max-replications", "8"]))
      .toEqual({ code: ExitCode.badInput, line: "error: --max-replications: expected at least --replications (10), got 8" })
    expect((await runInProcess(["run", file, "--precision", "lots"])).code).toBe(ExitCode.badInput)
    expect((await runInProcess(["run", file, "--replications", "0"])).code).toBe(ExitCode.badInput)
  })

  it("--replications 1 is a plain run", async () => {
    const out = tempDir()
    expect(await runInProcess(["run", fixture("tiny.yaml", tinyScenario), "--replications", "1", "--out", out, "--quiet"]))
      .toEqual({ code: ExitCode.ok })
    expect(readReport(out).replications).toBeUndefined()
  })
})

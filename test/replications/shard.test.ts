import { readFileSync } from "node:fs"
import { join } from "node:path"
import { Effect } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { SimulationPool } from "../../sim/check/SimulationPool.ts"
import { AppLayer, cli } from "../../sim/cli/app.ts"
import { ExitCode, outcomeOf } from "../../sim/cli/outcome.ts"
import { replicationSeed } from "../../sim/replications/seeds.ts"
import { fixture, removeTempDirs, stderrLines, tempDir, wwsim } from "../cli/wwsim.ts"

afterAll(removeTempDirs)

const readReport = (dir: string) => JSON.parse(readFileSync(join(dir, "report.json"), "utf8"))

/** `wwsim args…` in this process, replications on the in-process pool. */
const runInProcess = async (args: ReadonlyArray<string>) =>
  outcomeOf(await Effect.runPromiseExit(cli(args).pipe(Effect.provide(SimulationPool.inProcess), Effect.provide(AppLayer))))

/** M/M/1 at ρ = 0.8 (λ = 80/s, 10 ms service), short. */
const mm1 = `
name: mm1-shard
seed: 11
warmup: 5s
duration: 30s
hosts:
  app: { count: 1, cores: 1 }
services:
  server: { host: app, workers: 1, cpu: { exp: 10ms } }
workload:
  ping: { rate: 80/s, to: server }
`

/** The report without its wall-clock `run` figures. */
const withoutRun = ({ run: _, ...rest }: { run: unknown }) => rest

describe("run --replications R --shard i/N and wwsim merge", { timeout: 120_000 }, () => {
  it("sharded runs merged equal the unsharded run exactly (replications block, pooled percentiles, body)", async () => {
    const file = fixture("mm1.yaml", mm1)
    const whole = tempDir(), s0 = tempDir(), s1 = tempDir(), merged = tempDir()
    // the unsharded run on real worker threads; the shards in process (the engine is the same)
    const r = await wwsim(["run", file, "--replications", "4", "--threads", "2", "--out", whole, "--quiet"])
    expect(r.code).toBe(ExitCode.ok)
    expect(stderrLines(r)).toEqual([])
    expect(await runInProcess(["run", file, "--replications", "4", "--shard", "1/2", "--out", s1, "--quiet"])).toEqual({ code: ExitCode.ok })
    expect(await runInProcess(["run", file, "--replications", "4", "--shard", "0/2", "--out", s0, "--quiet"])).toEqual({ code: ExitCode.ok })

    const p1 = readReport(s1).replications
    expect(p1.shard).toEqual({ index: 1, count: 2 })
    expect(p1.replications.map((x: { index: number; seed: number }) => [x.index, x.seed]))
      .toEqual([[1, replicationSeed(11, 1)], [3, replicationSeed(11, 3)]])
    expect(Object.keys(p1.histograms)).toEqual(["ping"])
    expect(typeof p1.histograms.ping).toBe("string")

    // in any order
    expect(await runInProcess(["merge", join(s1, "report.json"), join(s0, "report.json"), "--out", merged])).toEqual({ code: ExitCode.ok })
    const expected = readReport(whole), actual = readReport(merged)
    expect(expected.replications.count).toBe(4)
    expect(Object.keys(expected.replications.latencyPooled)).toEqual(["ping"])
    expect(expected.replications.latencyPooled.ping.count)
      .toBe(expected.replications.metrics["ping.throughput"].values.reduce((a: number, v: number) => a + v * 30, 0))
    expect(actual.replications).toEqual(expected.replications)
    expect(withoutRun(actual)).toEqual(withoutRun(expected))
    // and byte for byte outside `run`
    expect(JSON.stringify(withoutRun(actual))).toBe(JSON.stringify(withoutRun(expected)))
  })

  it("a missing shard, a duplicate or another run's shard: exit 2 and one line", async () => {
    const file = fixture("mm1.yaml", mm1)
    const s0 = tempDir(), s1 = tempDir(), other = tempDir()
    expect(await runInProcess(["run", file, "--replications", "3", "--shard", "0/2", "--out", s0, "--quiet"])).toEqual({ code: ExitCode.ok })
    expect(await runInProcess(["run", file, "--replications", "3", "--shard", "1/2", "--out", s1, "--quiet"])).toEqual({ code: ExitCode.ok })
    expect(await runInProcess(["run", file, "--replications", "2", "--shard", "1/2", "--out", other, "--quiet", "--seed", "5"])).toEqual({ code: ExitCode.ok })
    expect(await runInProcess(["merge", join(s0, "report.json"), "--out", tempDir()]))
      .toEqual({ code: ExitCode.badInput, line: "error: merge: missing shard 1/2" })
    expect(await runInProcess(["merge", join(s0, "report.json"), join(s0, "report.json"), "--out", tempDir()]))
      .toMatchObject({ code: ExitCode.badInput, line: expect.stringMatching(/^error: merge: shard 0\/2 given twice/) })
    expect(await runInProcess(["merge", join(s0, "report.json"), join(other, "report.json"), "--out", tempDir()]))
      .toMatchObject({ code: ExitCode.badInput, line: expect.stringMatching(/^error: merge: .* is from another run/) })
    // R = 3 in 2 shards merges too (shards of unequal size)
    const merged = tempDir()
    expect(await runInProcess(["merge", join(s0, "report.json"), join(s1, "report.json"), "--out", merged])).toEqual({ code: ExitCode.ok })
    expect(readReport(merged).replications.seeds).toEqual([11, replicationSeed(11, 1), replicationSeed(11, 2)])
  })

  it("--shard needs --replications R ≥ N and no --precision", async () => {
    const file = fixture("mm1.yaml", mm1)
    expect((await runInProcess(["run", file, "--shard", "0/2", "--out", tempDir(), "--quiet"])).code).toBe(ExitCode.badInput)
    expect((await runInProcess(["run", file, "--replications", "1", "--shard", "0/2", "--out", tempDir(), "--quiet"])).code).toBe(ExitCode.badInput)
    expect((await runInProcess(["run", file, "--precision", "5%", "--shard", "0/2", "--out", tempDir(), "--quiet"])).code).toBe(ExitCode.badInput)
    expect((await runInProcess(["run", file, "--replications", "4", "--shard", "2/2", "--out", tempDir(), "--quiet"])).code).toBe(ExitCode.badInput)
  })
})

import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { Effect, Exit, Layer } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { AppLayer, cli } from "../../sim/cli/app.ts"
import { ExitCode, outcomeOf, writeCrashLog } from "../../sim/cli/outcome.ts"
import { ReportWriteFailed } from "../../sim/report/ReportSink.ts"
import { ScenarioInvalid, ScenarioUnreadable } from "../../sim/scenario/errors.ts"
import { Simulator } from "../../sim/Simulator.ts"
import { fixture, removeTempDirs, tempDir, tinyScenario } from "./wwsim.ts"

afterAll(removeTempDirs)

const crashLogIn = (dir: string) => (details: string) => writeCrashLog(details, new Date(0), [dir])

describe("outcomeOf", () => {
  it("a successful run exits 0 silently", () => {
    expect(outcomeOf(Exit.void)).toEqual({ code: ExitCode.ok })
  })

  it("scenario errors exit 2 with their one line", () => {
    const invalid = new ScenarioInvalid({ file: "x.yaml", path: "services.server.workers", line: 3, column: 5, message: "expected a positive integer" })
    expect(outcomeOf(Exit.fail(invalid))).toEqual({
      code: ExitCode.badInput,
      line: "error: x.yaml:3:5 services.server.workers: expected a positive integer",
    })
    expect(outcomeOf(Exit.fail(new ScenarioUnreadable({ file: "x.yaml", reason: "no such file" }))).code).toBe(ExitCode.badInput)
  })

  it("an unwritable report exits 2 naming the file", () => {
    expect(outcomeOf(Exit.fail(new ReportWriteFailed({ path: "out/report.json", reason: "EACCES: permission denied" })))).toEqual({
      code: ExitCode.badInput,
      line: "error: cannot write out/report.json: EACCES: permission denied",
    })
  })

  it("a defect exits 3 with one line and writes the stack to a crash log", () => {
    const dir = tempDir()
    const { code, line } = outcomeOf(Exit.die(new TypeError("x is undefined")), crashLogIn(dir))
    expect(code).toBe(ExitCode.internal)
    const file = join(dir, "wwsim-crash-1970-01-01T00-00-00-000Z.log")
    expect(line).toBe(`error: internal error in the simulator: x is undefined; details written to ${file}`)
    expect(readFileSync(file, "utf8")).toMatch(/TypeError: x is undefined\n\s+at /)
  })

  it("an unexpected typed error counts as a bug too", () => {
    const { code } = outcomeOf(Exit.fail(new Error("surprise")), crashLogIn(tempDir()))
    expect(code).toBe(ExitCode.internal)
  })
})

describe("wwsim run, in process", () => {
  it("a simulator that throws exits 3, and no report is written", async () => {
    const out = tempDir()
    const broken = Layer.succeed(Simulator, { run: () => Effect.sync(() => { throw new RangeError("heap underflow") }) })
    const exit = await Effect.runPromiseExit(
      cli(["run", fixture("tiny.yaml", tinyScenario), "--out", out, "--quiet"]).pipe(
        Effect.provide(broken),
        Effect.provide(AppLayer),
      ))
    const dir = tempDir()
    const { code, line } = outcomeOf(exit, crashLogIn(dir))
    expect(code).toBe(ExitCode.internal)
    expect(line).toMatch(/^error: internal error in the simulator: heap underflow; details written to /)
    expect(line).not.toContain("\n")
    expect(existsSync(join(out, "report.json"))).toBe(false)
  })
})

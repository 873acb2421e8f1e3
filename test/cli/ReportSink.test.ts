import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Effect, Exit, FileSystem, Layer, Path } from "effect"
import * as PlatformError from "effect/PlatformError"
import { afterAll, describe, expect, it } from "vitest"
import { nodeFileSystem, nodePathService } from "../../sim/cli/NodeEnvironment.ts"
import { stableStringify } from "../../sim/report/json.ts"
import { ReportSink } from "../../sim/report/ReportSink.ts"
import { sampleReport } from "./sampleReport.ts"
import { removeTempDirs, tempDir } from "./wwsim.ts"

afterAll(removeTempDirs)

const sinkOn = (fs: FileSystem.FileSystem) =>
  ReportSink.layer.pipe(Layer.provide(Layer.mergeAll(
    Layer.succeed(FileSystem.FileSystem, fs),
    Layer.succeed(Path.Path, nodePathService),
  )))

const write = (fs: FileSystem.FileSystem, dir: string) =>
  Effect.runPromiseExit(ReportSink.use((sink) => sink.write(dir, sampleReport())).pipe(Effect.provide(sinkOn(fs))))

describe("ReportSink", () => {
  it("creates the directory and writes report.json, leaving no temporary file", async () => {
    const dir = join(tempDir(), "results", "mm8-example")
    const exit = await write(nodeFileSystem, dir)
    expect(exit).toEqual(Exit.succeed(join(dir, "report.json")))
    expect(readdirSync(dir)).toEqual(["report.json"])
    expect(readFileSync(join(dir, "report.json"), "utf8")).toBe(stableStringify(sampleReport()))
  })

  it("a failure mid-write leaves no report.json and no temporary file", async () => {
    const dir = tempDir()
    // writes half the bytes, then fails like a full disk
    const failing = FileSystem.makeNoop({
      ...nodeFileSystem,
      writeFileString: (path, data) =>
        Effect.sync(() => writeFileSync(path, data.slice(0, data.length / 2))).pipe(
          Effect.andThen(Effect.fail(PlatformError.systemError({
            _tag: "Unknown", module: "FileSystem", method: "writeFileString", description: "ENOSPC: no space left on device",
          })))),
    })
    const exit = await write(failing, dir)
    expect(Exit.isFailure(exit)).toBe(true)
    expect(JSON.stringify(exit)).toContain("ReportWriteFailed")
    expect(JSON.stringify(exit)).toContain("ENOSPC")
    expect(readdirSync(dir)).toEqual([])
  })

  it("a failed write keeps the previous report.json whole", async () => {
    const dir = tempDir()
    writeFileSync(join(dir, "report.json"), "previous\n")
    const failing = FileSystem.makeNoop({
      ...nodeFileSystem,
      rename: () => Effect.fail(PlatformError.systemError({ _tag: "Busy", module: "FileSystem", method: "rename" })),
    })
    const exit = await write(failing, dir)
    expect(Exit.isFailure(exit)).toBe(true)
    expect(readFileSync(join(dir, "report.json"), "utf8")).toBe("previous\n")
    expect(readdirSync(dir)).toEqual(["report.json"])
  })

  it("prepare fails with ReportWriteFailed when the directory cannot be created", async () => {
    const blocker = join(tempDir(), "file")
    writeFileSync(blocker, "")
    const exit = await Effect.runPromiseExit(
      ReportSink.use((sink) => sink.prepare(join(blocker, "sub"))).pipe(Effect.provide(sinkOn(nodeFileSystem))))
    expect(Exit.isFailure(exit)).toBe(true)
    expect(JSON.stringify(exit)).toContain("ReportWriteFailed")
    expect(existsSync(join(blocker, "sub"))).toBe(false)
  })

  it("a report too large for one JSON string is a write failure with advice, not a crash (issue 14, defect 5)", async () => {
    const dir = tempDir()
    // what JSON.stringify throws past V8's string limit, without building 512 MB
    const huge = { ...sampleReport(), toJSON: () => { throw new RangeError("Invalid string length") } }
    const exit = await Effect.runPromiseExit(ReportSink.use((sink) => sink.write(dir, huge)).pipe(Effect.provide(sinkOn(nodeFileSystem))))
    expect(exit._tag).toBe("Failure")
    expect(JSON.stringify(exit)).toContain("too large for one JSON text")
    expect(readdirSync(dir)).toEqual([])
  })
})

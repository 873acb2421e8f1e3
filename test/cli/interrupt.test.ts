/**
 * Issue 14, defect 8: Ctrl-C printed nothing, left `report.json.tmp-<pid>` when it landed during
 * the write, and on a terminal left the cursor hidden. Now SIGINT/SIGTERM stop the run, remove
 * temporary files and the output lock, print `interrupted` and exit 130 / 143.
 */
import { existsSync, readdirSync, writeFileSync } from "node:fs"
import { spawn, spawnSync } from "node:child_process"
import { join } from "node:path"
import { Effect, Fiber, FileSystem, Layer, Path } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { nodeFileSystem, nodePathService } from "../../sim/cli/NodeEnvironment.ts"
import { ReportSink } from "../../sim/report/ReportSink.ts"
import { tempFiles } from "../../sim/report/tempFiles.ts"
import { sampleReport } from "./sampleReport.ts"
import { bin, removeTempDirs, tempDir } from "./wwsim.ts"

afterAll(removeTempDirs)

/** Starts a long run, waits until it is simulating, sends `signal`; the exit code, stderr, the out dir's files. */
const interrupt = (signal: "SIGINT" | "SIGTERM", args: ReadonlyArray<string>, out: string) =>
  new Promise<{ code: number | null; stderr: string; files: string[]; ms: number }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, CI: "1" }, stdio: ["ignore", "pipe", "pipe"] })
    let stderr = ""
    let sentAt = 0
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s))
    // the lock exists once the run has started simulating
    const poll = setInterval(() => {
      if (sentAt === 0 && existsSync(join(out, ".wwsim-lock"))) {
        sentAt = Date.now()
        setTimeout(() => child.kill(signal), 300)
      }
    }, 50)
    const guard = setTimeout(() => child.kill("SIGKILL"), 60_000)
    child.on("error", reject)
    child.on("close", (code) => {
      clearInterval(poll)
      clearTimeout(guard)
      resolve({ code, stderr, files: existsSync(out) ? readdirSync(out) : [], ms: Date.now() - sentAt })
    })
  })

describe.concurrent("defect 8: interrupts", { timeout: 90_000 }, () => {
  it.each([["SIGINT", 130], ["SIGTERM", 143]] as const)("%s during a run: `interrupted`, exit %i, nothing left in --out", async (signal, code) => {
    const out = tempDir()
    const r = await interrupt(signal, ["run", "scenarios/mm1.yaml", "--quiet", "--set", "duration=10h", "--out", out], out)
    expect(r.code).toBe(code)
    expect(r.stderr).toBe("interrupted\n")
    expect(r.files).toEqual([])
    // a slice of events is a fraction of a second; start-up and a loaded machine add to it
    expect(r.ms).toBeLessThan(15_000)
  })

  // a real Ctrl-C: `script` gives the run a terminal (so the progress bar hides the cursor and
  // turns line wrap off), and ^C typed into it reaches the run as SIGINT from the tty driver
  it.skipIf(spawnSync("script", ["--version"]).status !== 0)("Ctrl-C on a terminal restores cursor and line wrap", async () => {
    const out = tempDir()
    const r = await new Promise<{ code: number | null; screen: string }>((resolve, reject) => {
      const child = spawn("script", ["-qfec", `${process.execPath} ${bin} run scenarios/mm1.yaml --out ${out} --set duration=720h`, join(tempDir(), "typescript")],
        { env: { ...process.env, CI: "" }, stdio: ["pipe", "pipe", "pipe"] })
      let screen = ""
      let sent = false
      const guard = setTimeout(() => child.kill("SIGKILL"), 60_000)
      child.stdout.setEncoding("utf8").on("data", (d: string) => {
        screen += d
        if (!sent && screen.includes("simulating")) {
          sent = true
          setTimeout(() => child.stdin.write("\x03"), 300)
        }
      })
      child.on("error", reject)
      child.on("close", (code) => {
        clearTimeout(guard)
        resolve({ code, screen })
      })
    })
    expect(r.code).toBe(130)
    expect(r.screen).toContain("\x1b[?25l") // the bar did hide the cursor
    expect(r.screen.lastIndexOf("\x1b[?25h")).toBeGreaterThan(r.screen.lastIndexOf("\x1b[?25l"))
    expect(r.screen.lastIndexOf("\x1b[?7h")).toBeGreaterThan(r.screen.lastIndexOf("\x1b[?7l"))
    expect(r.screen.endsWith("interrupted\r\n")).toBe(true)
    expect(readdirSync(out)).toEqual([])
  })

  it("a write cut short by an interrupt stays listed, and the CLI's cleanup removes it", async () => {
    const dir = tempDir()
    // writes part of the file, then never finishes (the interrupt lands meanwhile)
    const slow = FileSystem.makeNoop({
      ...nodeFileSystem,
      writeFileString: (path, data) =>
        Effect.sync(() => writeFileSync(path, data.slice(0, 100))).pipe(Effect.andThen(Effect.never)),
    })
    const layer = ReportSink.layer.pipe(Layer.provide(Layer.mergeAll(
      Layer.succeed(FileSystem.FileSystem, slow),
      Layer.succeed(Path.Path, nodePathService),
    )))
    const fiber = Effect.runFork(ReportSink.use((sink) => sink.write(dir, sampleReport())).pipe(Effect.provide(layer)))
    for (let i = 0; i < 100 && !readdirSync(dir).some((f) => f.startsWith("report.json.tmp-")); i++) await new Promise((r) => setTimeout(r, 10))
    expect(readdirSync(dir)).toEqual([`report.json.tmp-${process.pid}`])
    await Effect.runPromise(Fiber.interrupt(fiber))
    expect(readdirSync(dir)).toHaveLength(1)
    tempFiles.removeAll()
    expect(readdirSync(dir)).toEqual([])
  })
})

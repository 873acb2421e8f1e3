/**
 * Issue 14, defect 4: Node's recursive mkdir retries forever on /proc. Every `mkdir -p` in wwsim
 * (report, JUnit, report HTML, merge, calibrate, size --html, the crash log) goes through
 * `sim/report/directories.ts`, which must fail at once there and still make real directories.
 */
import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { makeDirectories, makeDirectoriesSync } from "../../sim/report/directories.ts"
import { removeTempDirs, tempDir } from "./wwsim.ts"

afterAll(removeTempDirs)

describe("mkdir -p", () => {
  it("makes every missing level", async () => {
    const base = tempDir()
    makeDirectoriesSync(join(base, "a", "b"))
    await makeDirectories(join(base, "c", "d", "e"))
    expect(existsSync(join(base, "a", "b"))).toBe(true)
    expect(existsSync(join(base, "c", "d", "e"))).toBe(true)
    makeDirectoriesSync(join(base, "a", "b")) // already there: fine
  })

  it.skipIf(!existsSync("/proc/self"))("under /proc: the async one rejects at once", async () => {
    const guard = new Promise((resolve) => setTimeout(() => resolve("hung"), 10_000))
    const outcome = await Promise.race([makeDirectories("/proc/x/y").then(() => "made", (e: NodeJS.ErrnoException) => e.code), guard])
    expect(outcome).toBe("ENOENT")
  })

  // synchronous: a regression would block this worker, so it runs in a child with a timeout
  it.skipIf(!existsSync("/proc/self"))("under /proc: the sync one throws at once", () => {
    const code = `import("./sim/report/directories.ts").then((m) => { try { m.makeDirectoriesSync("/proc/x/y"); console.log("made") } catch (e) { console.log(e.code) } })`
    const r = spawnSync(process.execPath, ["--import", "tsx", "-e", code], { encoding: "utf8", timeout: 30_000 })
    expect(r.stdout.trim()).toBe("ENOENT")
  })
})

/**
 * Helpers for CLI tests: run `node bin/wwsim.js` as a child process (with `CI=1`, so no
 * progress bar) and write scenario fixtures into a fresh temp directory, never the repository.
 */
import { spawn } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

export const bin = fileURLToPath(new URL("../../bin/wwsim.js", import.meta.url))

export interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs `wwsim args…` in `cwd` (default: a fresh temp directory) and collects its output. */
export const wwsim = (args: ReadonlyArray<string>, cwd: string = tempDir()): Promise<CliResult> =>
  wwsimWithin(Infinity, args, cwd)

/**
 * `wwsim`, killed (SIGKILL) after `ms` of wall time: a regression to a hang then fails the test
 * with `timedOut` instead of hanging CI.
 */
export const wwsimWithin = (
  ms: number,
  args: ReadonlyArray<string>,
  cwd: string = tempDir(),
  env: Readonly<Record<string, string>> = {},
): Promise<CliResult & { readonly timedOut: boolean; readonly signal: NodeJS.Signals | null }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd,
      env: { ...process.env, CI: "1", NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    })
    let stdout = ""
    let stderr = ""
    let timedOut = false
    const timer = Number.isFinite(ms) ? setTimeout(() => {
      timedOut = true
      child.kill("SIGKILL")
    }, ms) : undefined
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s))
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s))
    child.on("error", reject)
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr, timedOut, signal })
    })
  })

const created: Array<string> = []

/** A new empty directory under the OS temp directory; `removeTempDirs` deletes it. */
export const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "wwsim-cli-test-"))
  created.push(dir)
  return dir
}

/** Deletes every directory `tempDir` made: call it from `afterAll`. */
export const removeTempDirs = (): void => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true })
}

/** Writes `text` to `name` inside a new temp directory and returns the file's path. */
export const fixture = (name: string, text: string): string => {
  const file = join(tempDir(), name)
  writeFileSync(file, text)
  return file
}

/** A scenario that runs in well under a second: 20 s simulated at 200 requests/s. */
export const tinyScenario = `
name: tiny
seed: 3
duration: 20s
hosts:
  app: { count: 1, cores: 2 }
services:
  server: { host: app, workers: 2, queue: 10, cpu: { exp: 5ms } }
workload:
  ping: { rate: 200/s, to: server }
`

/** stderr lines, ignoring npm's own warnings (when run through npx). */
export const stderrLines = (r: CliResult): ReadonlyArray<string> =>
  r.stderr.split("\n").filter((l) => l !== "" && !l.startsWith("npm warn"))

#!/usr/bin/env node
// Regenerates docs/visualiser.png, the README's picture of the visualiser, from a real drill:
// overload-fast-reject (a 3x spike on chat logic), run long enough to show the whole story —
// queues that pass the callers' timeouts, fast reject shedding, goodput collapsing, and the climb
// back (success over 99% again ~100 s after the spike). `npm run screenshot`; takes ~1 min.
//
// Headless Debian chromium via playwright-core (which never downloads a browser); the browser is
// closed on every way out, and killed if closing does not end it.
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { chromium } from "playwright-core"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const out = resolve(root, process.argv[2] ?? "docs/visualiser.png")
const drill = join(root, "scenarios", "drills", "overload-fast-reject.yaml")
/**
 * The drill's own 60 s ends inside the climb back; 170 s shows it finish. Its SLOs describe the
 * 60 s story, so the picture's are for the longer one: the breach it shows, and its recovery.
 */
const sets = [
  "--set", "duration=170s",
  "--set", "slo=[{metric: sendmsg.successRate, above: 99.9%, expect: {breach: true, within: [40%, 60%]}}, " +
    "{metric: sendmsg.recoveryS, below: 2m}, {metric: sendmsg.dip, above: 50%, expect: {breach: true, within: [0%, 10%]}}]",
]

const dir = mkdtempSync(join(tmpdir(), "wwsim-screenshot-"))
let browser

/** Closes the browser (or kills its process) and removes the temporary files; safe to call twice. */
async function cleanUp() {
  const b = browser
  browser = undefined
  if (b !== undefined) {
    const killer = setTimeout(() => b.process()?.kill("SIGKILL"), 5_000)
    await b.close().catch(() => b.process()?.kill("SIGKILL"))
    clearTimeout(killer)
  }
  rmSync(dir, { recursive: true, force: true })
}
process.on("exit", () => browser?.process()?.kill("SIGKILL"))
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => void cleanUp().finally(() => process.exit(signal === "SIGINT" ? 130 : 143)))
}

/** Runs the CLI; stops with its output when it fails (an unexpected SLO verdict too: the picture would show it). */
function wwsim(args, ok = [0]) {
  const r = spawnSync(process.execPath, [join(root, "bin", "wwsim.js"), ...args], { cwd: root, encoding: "utf8", env: { ...process.env, CI: "1" } })
  if (!ok.includes(r.status ?? -1)) {
    process.stderr.write(`wwsim ${args.join(" ")} exited ${r.status}\n${r.stdout}${r.stderr}`)
    process.exitCode = 1
    throw new Error("wwsim failed")
  }
}

try {
  const report = join(dir, "run", "report.json")
  const html = join(dir, "drill.html")
  wwsim(["run", drill, ...sets, "--out", join(dir, "run"), "--quiet"])
  wwsim(["report", report, "--out", html])
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  })
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  const errors = []
  page.on("pageerror", (e) => errors.push(String(e)))
  await page.goto(pathToFileURL(html).href)
  await page.waitForSelector("body[data-state=ready]", { timeout: 30_000 })
  if (errors.length > 0) throw new Error(`the page failed: ${errors.join("; ")}`)
  await page.screenshot({ path: out, fullPage: true })
  console.log(`wrote ${out}`)
} finally {
  await cleanUp()
}

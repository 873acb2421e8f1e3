// Makes sure Debian's chromium is installed for the visualiser's end-to-end test (npm's
// `postinstall`). The test drives /usr/bin/chromium with playwright-core; no browser is ever
// downloaded by playwright. As root, installs it with apt-get; otherwise prints the command to run
// and exits 0 so `npm install` still succeeds. WWSIM_SKIP_CHROMIUM=1 skips this entirely.
import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"

export const CHROMIUM = "/usr/bin/chromium"

const say = (line) => console.log(`[ensure-chromium] ${line}`)

function run(cmd, args) {
  say(`running: ${[cmd, ...args].join(" ")}`)
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } })
  return r.status === 0
}

function main() {
  if (process.env.WWSIM_SKIP_CHROMIUM === "1") return say("WWSIM_SKIP_CHROMIUM=1: skipped")
  if (existsSync(CHROMIUM)) return say(`${CHROMIUM} is installed`)
  const command = "apt-get update && apt-get install -y chromium"
  if (process.platform !== "linux" || typeof process.getuid !== "function" || process.getuid() !== 0) {
    say(`${CHROMIUM} is missing; the visualiser's end-to-end test needs it. Install it with:`)
    say(`  sudo sh -c '${command}'`)
    return
  }
  const hasApt = spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status === 0
  if (!hasApt) {
    say(`${CHROMIUM} is missing and apt-get is not available: install chromium at ${CHROMIUM} by hand`)
    return
  }
  say(`${CHROMIUM} is missing; installing Debian's chromium (for the visualiser's end-to-end test)`)
  if (!(run("apt-get", ["update"]) && run("apt-get", ["install", "-y", "chromium"]))) {
    say(`could not install chromium; run: ${command}`)
    return
  }
  say(existsSync(CHROMIUM) ? `installed ${CHROMIUM}` : `apt-get finished but ${CHROMIUM} is still missing`)
}

main()

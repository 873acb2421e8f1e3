// Makes sure Debian's nginx is installed for the sim-to-real experiment (`npm run real`) and its
// short test (npm's `postinstall`, beside ensure-chromium.mjs). As root on Debian, installs the
// `nginx` package with apt-get (Debian's policy-rc.d or the absence of an init system keeps the
// packaged service from starting; the experiment starts its own nginx with its own config);
// otherwise prints the command to run and exits 0 so `npm install` still succeeds.
// WWSIM_SKIP_NGINX=1 skips this entirely.
import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"

export const NGINX = "/usr/sbin/nginx"

const say = (line) => console.log(`[ensure-nginx] ${line}`)

function run(cmd, args) {
  say(`running: ${[cmd, ...args].join(" ")}`)
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } })
  return r.status === 0
}

function main() {
  if (process.env.WWSIM_SKIP_NGINX === "1") return say("WWSIM_SKIP_NGINX=1: skipped")
  if (existsSync(NGINX)) return say(`${NGINX} is installed`)
  const command = "apt-get update && apt-get install -y nginx"
  if (process.platform !== "linux" || typeof process.getuid !== "function" || process.getuid() !== 0) {
    say(`${NGINX} is missing; the sim-to-real experiment (npm run real) needs it. Install it with:`)
    say(`  sudo sh -c '${command}'`)
    return
  }
  const hasApt = spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status === 0
  if (!hasApt) {
    say(`${NGINX} is missing and apt-get is not available: install nginx at ${NGINX} by hand`)
    return
  }
  say(`${NGINX} is missing; installing Debian's nginx (for the sim-to-real experiment)`)
  if (!(run("apt-get", ["update"]) && run("apt-get", ["install", "-y", "--no-install-recommends", "nginx"]))) {
    say(`could not install nginx; run: ${command}`)
    return
  }
  say(existsSync(NGINX) ? `installed ${NGINX}` : `apt-get finished but ${NGINX} is still missing`)
}

main()

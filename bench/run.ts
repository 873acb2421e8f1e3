// `npm run bench`: prints figures, asserts nothing.
// wwsim runs the way a user runs it (scenario file → CLI → report.json) in its own process, timed
// from spawn to exit; beside it, a minimal raw binary-heap JavaScript loop of the same model.
import { spawn, spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { cpus, tmpdir } from "node:os"
import { join } from "node:path"

interface Timed { readonly wallS: number; readonly stdout: string }

/** Runs a command `repeat` times and keeps the median run: one slow run on a shared machine says little. */
function timed(cmd: string, args: ReadonlyArray<string>, repeat = 1): Timed {
  const runs: Timed[] = []
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now()
    const r = spawnSync(cmd, args, { encoding: "utf8", env: { ...process.env, CI: "1" } })
    const wallS = (performance.now() - t0) / 1000
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr}`)
    runs.push({ wallS, stdout: r.stdout })
  }
  return runs.sort((a, b) => a.wallS - b.wallS)[Math.floor(runs.length / 2)]
}

const REPEAT = 3
/** Alternating wwsim / raw pairs for the M/M/24 ratio. */
const PAIRS = 7

const fmt = (x: number) => Math.round(x).toLocaleString("en-US")

/** One timed run of a command, whole process. */
function once(cmd: string, args: ReadonlyArray<string>): Timed {
  return timed(cmd, args, 1)
}

const median = (xs: ReadonlyArray<number>): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** A speed-up as the README writes it: one decimal below 10× (2.4×), whole above (21×). */
const speedup = (x: number) => (x < 10 ? x.toFixed(1) : String(Math.round(x)))

/** Millions, as the README writes them: `2.3 M`. */
const mega = (x: number) => `${(x / 1e6).toFixed(1)} M`

/**
 * The README's Performance table, row by row: each benchmark adds the row it measured, under the
 * row's name in the README, and the bench prints them last, so updating the README is a paste.
 */
const readmeRows: Array<readonly [row: string, measured: string, target: string]> = []

/**
 * M/M/24 through the CLI beside the raw loop. The two alternate, run by run, and the ratio is the
 * median of the pairs' ratios: on a shared machine whose speed drifts by ±20% over minutes, runs
 * of the two made back to back see the same machine, while "all of one, then all of the other"
 * measures the drift as much as the code.
 */
function benchMm24(): void {
  const out = mkdtempSync(join(tmpdir(), "wwsim-bench-"))
  try {
    const simArgs = ["bin/wwsim.js", "run", "bench/mm24.yaml", "--quiet", "--out", out]
    // The first run of a fresh bundle also writes V8's code cache; users' later runs have it.
    once(process.execPath, simArgs)
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"))
    const customers: number = report.requests.ping.ok
    const events: number = report.run.events
    const rawArgs = ["bench/raw-mmc.mjs", "24", "2160", "0.01", String(customers)]
    const rawEvents: number = JSON.parse(once(process.execPath, rawArgs).stdout).events
    const sims: number[] = [], raws: number[] = [], ratios: number[] = [], engine: number[] = []
    for (let i = 0; i < PAIRS; i++) {
      const sim = once(process.execPath, simArgs).wallS
      engine.push(JSON.parse(readFileSync(join(out, "report.json"), "utf8")).run.wallS)
      const raw = once(process.execPath, rawArgs).wallS
      sims.push(sim)
      raws.push(raw)
      ratios.push(raw / sim)
    }
    const sim = median(sims), raw = median(raws)
    const rows = [
      ["wwsim (whole process)", customers / sim, events / sim, sim],
      ["raw JS heap loop (whole process)", customers / raw, rawEvents / raw, raw],
    ] as const
    console.log(`M/M/24, ρ = 0.9, ${fmt(customers)} customers (${PAIRS} alternating runs of each, medians)`)
    for (const [name, cps, eps, wall] of rows) {
      console.log(`  ${name.padEnd(34)} ${fmt(cps).padStart(11)} customers/s ${fmt(eps).padStart(11)} events/s  ${wall.toFixed(2)} s`)
    }
    const sorted = [...ratios].sort((a, b) => a - b)
    console.log(`  ratio wwsim / raw: ${median(ratios).toFixed(2)}× (target ≥ 0.5×; pairs ${sorted[0].toFixed(2)}–${sorted[sorted.length - 1].toFixed(2)})`)
    console.log(`  engine alone (run.wallS, no start-up): ${fmt(customers / median(engine))} customers/s`)
    readmeRows.push(
      ["M/M/24, wwsim, whole process", `${mega(customers / sim)} customers/s, ${mega(events / sim)} events/s (engine alone ${mega(customers / median(engine))} customers/s)`, "—"],
      ["M/M/24, raw heap loop, whole process", `${mega(customers / raw)} customers/s`, "—"],
      ["ratio wwsim / raw", `${median(ratios).toFixed(2)}× (single pairs ${sorted[0].toFixed(2)}–${sorted[sorted.length - 1].toFixed(2)})`, `≥ 0.5×${median(ratios) >= 0.5 ? "" : ": not met"}`],
    )
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
}

/** Engine events per sendmsg issued in a finished run's report. */
const eventsPerMessage = (report: { run: { events: number }; requests: { sendmsg: { issued: number } } }): number =>
  report.run.events / report.requests.sendmsg.issued

/**
 * The model's options that add most events per message (issue 11's sync pull, and the session and
 * id-allocation hops on the send path), turned off: the "before" of events per message.
 */
const WITHOUT_PULL_AND_HOPS = ["syncPull=false", "sendPathModules=false"]

/** A WeCom preset through the CLI: simulated time over wall time, events/s, peak memory, events per message. */
function benchPreset(file: string, sets: ReadonlyArray<string>, target: string, row: string, met: (speedup: number, peakMB: number) => boolean): void {
  const out = mkdtempSync(join(tmpdir(), "wwsim-bench-"))
  try {
    const args = (extra: ReadonlyArray<string>) => ["bin/wwsim.js", "run", file, "--quiet", "--out", out, ...[...sets, ...extra].flatMap((s) => ["--set", s])]
    // One simulated minute of the same seed without the pull and hops: events per message before.
    once(process.execPath, args(["duration=60s", ...WITHOUT_PULL_AND_HOPS]))
    const before = eventsPerMessage(JSON.parse(readFileSync(join(out, "report.json"), "utf8")))
    const sim = timed(process.execPath, args([]))
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"))
    const simS = report.window.warmupS + report.window.durationS
    const after = eventsPerMessage(report)
    console.log(`${report.scenario} (${simS} s simulated${sets.length ? `, ${sets.join(" ")}` : ""})`)
    console.log(`  ${(simS / sim.wallS).toFixed(1)}× faster than real time (whole process, ${sim.wallS.toFixed(1)} s; target ${target})`)
    console.log(`  ${fmt(report.run.eventsPerS)} events/s, ${fmt(report.run.events)} events, peak memory ${report.run.peakMemoryMB} MB`)
    console.log(`  events per sendmsg: ${after.toFixed(1)}; without the sync pull and send-path hops (${WITHOUT_PULL_AND_HOPS.join(" ")}): ${before.toFixed(1)}`)
    readmeRows.push([row, `${speedup(simS / sim.wallS)}× faster than real time, ${mega(report.run.eventsPerS)} events/s, ${Math.round(report.run.peakMemoryMB)} MB; ${after.toFixed(1)} events per sendmsg (${before.toFixed(1)} without the sync pull and send-path hops)`, `${target}${met(simS / sim.wallS, report.run.peakMemoryMB) ? "" : ": not met"}`])
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
}

/** Wall seconds for `copies` processes of `cmd args` started at once. */
function concurrently(cmd: string, args: ReadonlyArray<string>, copies: number): Promise<number> {
  const t0 = performance.now()
  return Promise.all(Array.from({ length: copies }, () => new Promise<void>((resolve, reject) => {
    spawn(cmd, args, { stdio: "ignore" }).on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}`))))
  }))).then(() => (performance.now() - t0) / 1000)
}

/**
 * Replications scale: the same 8 replications of a shortened M/M/24 on 1 worker thread, then on 2
 * (whole process each, median of `REPEAT`): the speed-up should approach the thread count. Beside
 * it, the machine's own ceiling: the raw heap loop once, then two copies at once (no wwsim code).
 */
async function benchReplicationsScale(): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), "wwsim-bench-"))
  try {
    const run = (threads: number) => timed(process.execPath, [
      "bin/wwsim.js", "run", "bench/mm24.yaml", "--quiet", "--out", out, "--set", "duration=400s",
      "--replications", "8", "--threads", String(threads),
    ], REPEAT)
    const one = run(1)
    const two = run(2)
    const raw = ["bench/raw-mmc.mjs", "24", "2160", "0.01", "1500000"]
    const rawOne = await concurrently(process.execPath, raw, 1)
    const rawTwo = await concurrently(process.execPath, raw, 2)
    console.log(`replications scale: M/M/24 (400 s simulated) × 8 replications, whole process (median of ${REPEAT} runs each)`)
    console.log(`  --threads 1: ${one.wallS.toFixed(2)} s   --threads 2: ${two.wallS.toFixed(2)} s`)
    console.log(`  speed-up on 2 threads: ${(one.wallS / two.wallS).toFixed(2)}× (target ≥ 1.8× on 2 cores)`)
    console.log(`  this machine's ceiling, raw heap loop ×2 at once vs ×1: ${((2 * rawOne) / rawTwo).toFixed(2)}×`)
    readmeRows.push(["replications, 8 on 2 threads vs 1", `${(one.wallS / two.wallS).toFixed(2)}× (two raw loops at once on this machine: ${((2 * rawOne) / rawTwo).toFixed(2)}×)`, `≥ 1.8×${one.wallS / two.wallS >= 1.8 ? "" : ": not met"}`])
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
}

/** `npm run bench -- mm24 wecom-20k`: only the parts named (mm24, replications, wecom-20k, wecom-100k); all by default. */
const only = process.argv.slice(2)
const wanted = (part: string) => only.length === 0 || only.includes(part)

if (wanted("mm24")) benchMm24()
if (wanted("replications")) await benchReplicationsScale()
if (wanted("wecom-20k")) benchPreset("scenarios/wecom-20k.yaml", ["warmup=0s", "duration=10m"], "≥ 20×", "wecom-20k, 10 min simulated", (x) => x >= 20)
if (wanted("wecom-100k")) benchPreset("scenarios/wecom-100k.yaml", ["warmup=0s", "duration=5m"], "≥ 5×, < 2 GB", "wecom-100k, 5 min simulated", (x, mb) => x >= 5 && mb < 2000)

const cpu = cpus()
const day = new Date().toISOString().slice(0, 10)
console.log(`\nREADME figures (the Performance table's rows), Node ${process.versions.node}, ${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown CPU"}:`)
for (const [row, measured, target] of readmeRows) console.log(`| ${row} | ${measured} | ${day} | ${target} |`)

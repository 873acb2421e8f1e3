/**
 * `npm run real -- [options]`: the sim-to-real experiment. Starts a real nginx with K backends on
 * loopback, calibrates wwsim from a low-load run, predicts, measures, prints predicted vs measured.
 * Exit codes: 0 ran (targets are printed, not enforced), 2 bad option or a missing tool, 3 failed.
 */
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { parseArgs } from "node:util"
import { parseDist } from "./dist.mjs"
import { runExperiment, type ExperimentConfig, type ExperimentResult } from "./experiment.ts"
import { renderMarkdown, renderTable } from "./table.ts"
import { NGINX } from "./sut.ts"

const USAGE = `npm run real -- [options]
  --backends K          backend processes behind nginx (default 1)
  --cpu DIST            backend CPU per request: const:4ms | exp:4ms | lognormal:4ms:CV (default const:4ms)
  --workers N           nginx worker_processes (default 1)
  --levels LIST         loads as % of predicted capacity (default 50,70,85,95)
  --level-time S        seconds per level (default 30)
  --calibration-load P  calibration load, % of a first guess of capacity (default 30)
  --calibration-time S  seconds (default 20), after --warmup-time S of the same load (default 10)
  --saturation-time S   seconds of closed-loop load for the saturation throughput (default 10)
  --failure P|off       kill one backend at P% load (default 70 when K >= 2)
  --failure-at S        seconds into the failure phase (default 10)
  --failure-for S       seconds the backend stays down (default 10)
  --max-fails N         nginx max_fails (default 1);  --fail-timeout S  nginx fail_timeout (default 5)
  --sut-core C          core for nginx and the backends (default 1);  --load-core C  (default 0)
  --scheduling ps|fifo  how the model shares the system's core (default ps: processor sharing, as Linux)
  --wakeup on|off       model the wake-up cost of a request finding the core idle (default on)
  --suite readme        the three README configurations, one after another
  --nice N|off          niceness of the processes (default -19 as root: the pinned cores nearly to ourselves)
  --seed N              (default 1);  --json FILE  write the results;  --markdown  also print a Markdown table
  --keep                keep the temp dir (configs, access logs, each phase's requests)`

class BadOption extends Error {}

const num = (v: string | undefined, name: string, def: number, min = 0): number => {
  if (v === undefined) return def
  const x = Number(String(v).replace(/s$/, ""))
  if (!Number.isFinite(x) || x < min) throw new BadOption(`--${name}: expected a number ≥ ${min}, got "${v}"`)
  return x
}

function configs(argv: string[], root: string): ExperimentConfig[] {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      backends: { type: "string" }, cpu: { type: "string" }, workers: { type: "string" },
      levels: { type: "string" }, "level-time": { type: "string" }, "calibration-load": { type: "string" },
      "calibration-time": { type: "string" }, "warmup-time": { type: "string" }, "saturation-time": { type: "string" },
      failure: { type: "string" }, "failure-at": { type: "string" }, "failure-for": { type: "string" },
      "max-fails": { type: "string" }, "fail-timeout": { type: "string" },
      "sut-core": { type: "string" }, "load-core": { type: "string" }, suite: { type: "string" },
      seed: { type: "string" }, scheduling: { type: "string" }, wakeup: { type: "string" }, nice: { type: "string" }, json: { type: "string" }, markdown: { type: "boolean" }, keep: { type: "boolean" }, help: { type: "boolean", short: "h" },
    },
    strict: true,
  })
  const cpu = v.cpu ?? "const:4ms"
  if (v.scheduling !== undefined && v.scheduling !== "fifo" && v.scheduling !== "ps") throw new BadOption(`--scheduling: expected fifo or ps, got "${v.scheduling}"`)
  if (v.wakeup !== undefined && v.wakeup !== "on" && v.wakeup !== "off") throw new BadOption(`--wakeup: expected on or off, got "${v.wakeup}"`)
  if (parseDist(cpu) === undefined) throw new BadOption(`--cpu: expected const:4ms, exp:4ms or lognormal:4ms:CV, got "${cpu}"`)
  const backends = num(v.backends, "backends", 1, 1)
  const levels = (v.levels ?? "50,70,85,95").split(",").map((x) => num(x.replace(/%$/, ""), "levels", 0, 1) / 100)
  const failureLoad = v.failure === "off" ? undefined : num(v.failure, "failure", 70, 1) / 100
  const base: ExperimentConfig = {
    name: `K=${backends} ${cpu}`,
    backends, cpu,
    workerProcesses: num(v.workers, "workers", 1, 1),
    levels,
    levelS: num(v["level-time"], "level-time", 30, 5),
    settleS: 2,
    warmupS: num(v["warmup-time"], "warmup-time", 10, 1),
    calibrationLoad: num(v["calibration-load"], "calibration-load", 30, 1) / 100,
    calibrationS: num(v["calibration-time"], "calibration-time", 20, 3),
    saturationS: num(v["saturation-time"], "saturation-time", 10, 3),
    saturationConcurrency: 32,
    failure: failureLoad === undefined || backends < 2 ? undefined
      : { load: failureLoad, atS: num(v["failure-at"], "failure-at", 10, 1), forS: num(v["failure-for"], "failure-for", 10, 1), afterS: 10 },
    scheduling: v.scheduling === "fifo" ? "fifo" : "ps",
    wakeup: v.wakeup !== "off",
    maxFails: num(v["max-fails"], "max-fails", 1, 0),
    failTimeoutS: num(v["fail-timeout"], "fail-timeout", 5, 1),
    sutCore: num(v["sut-core"], "sut-core", 1, 0),
    loadCore: num(v["load-core"], "load-core", 0, 0),
    timeoutMs: 5000,
    seed: num(v.seed, "seed", 1, 0),
    nice: v.nice === "off" ? undefined : v.nice === undefined ? (process.getuid?.() === 0 ? -19 : undefined) : Number(v.nice),
    dir: root,
  }
  if (v.suite === undefined) return [{ ...base, dir: join(root, "run") }]
  if (v.suite !== "readme") throw new BadOption(`--suite: expected readme, got "${v.suite}"`)
  // The README's table: one constant, one lognormal with cv 2, one with K = 3 and the failure.
  return [
    { ...base, name: "K=1 const:4ms", backends: 1, cpu: "const:4ms", failure: undefined, dir: join(root, "const") },
    { ...base, name: "K=1 lognormal:4ms:2", backends: 1, cpu: "lognormal:4ms:2", failure: undefined, dir: join(root, "lognormal") },
    { ...base, name: "K=3 exp:4ms", backends: 3, cpu: "exp:4ms", failure: { load: 0.7, atS: 10, forS: 10, afterS: 10 }, dir: join(root, "k3") },
  ]
}

function writeJson(file: string, results: ReadonlyArray<ExperimentResult>): void {
  const tmp = join(dirname(file), `.${Date.now()}.${process.pid}.tmp`)
  writeFileSync(tmp, JSON.stringify({ results }, null, 2))
  renameSync(tmp, file)
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2)
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE)
    return 0
  }
  if (process.platform !== "linux") {
    console.error("error: the sim-to-real experiment needs Linux (/proc CPU times, taskset)")
    return 2
  }
  if (!existsSync(NGINX)) {
    console.error(`error: ${NGINX} is missing: run npm install as root on Debian, or apt-get install -y nginx`)
    return 2
  }
  const root = mkdtempSync(join(tmpdir(), "wwsim-real-"))
  let list: ExperimentConfig[]
  try {
    list = configs(argv, root)
  } catch (e) {
    rmSync(root, { recursive: true, force: true })
    console.error(`error: ${(e as Error).message}`)
    return 2
  }
  const jsonFile = argv[argv.indexOf("--json") + 1]
  const keep = argv.includes("--keep")
  const results: ExperimentResult[] = []
  try {
    for (const c of list) {
      const r = await runExperiment(c, (line) => console.log(line))
      results.push(r)
      console.log(renderTable(r))
    }
    if (argv.includes("--markdown")) console.log(`\n${renderMarkdown(results)}`)
    if (argv.includes("--json")) writeJson(jsonFile, results)
    return 0
  } catch (e) {
    console.error(`error: the experiment failed: ${(e as Error).message}`)
    return 3
  } finally {
    if (keep) console.log(`kept ${root}`)
    else rmSync(root, { recursive: true, force: true })
  }
}

main().then((code) => process.exit(code))

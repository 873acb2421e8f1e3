/**
 * The protocol: calibrate at low load, let wwsim predict, then measure each load level and a
 * backend failure on the real system, and compare. Returns every number; printing is run.ts's.
 */
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import { demandsFromCpu, readAccessLog, readCosts, type Demands } from "./calibrate.ts"
import { parseDist } from "./dist.mjs"
import { completionRate, runLoad, summarise, type Summary } from "./load.ts"
import { predict, predictCapacity, type ModelSpec, type Prediction } from "./predict.ts"
import { cpuSeconds, hasTaskset, setNiceness, sleep, stopAll } from "./processes.ts"
import { costLog, killBackend, restartBackend, startSut, type Sut, type SutConfig } from "./sut.ts"

export interface ExperimentConfig {
  readonly name: string
  readonly backends: number
  /** Backend CPU per request, e.g. `const:2ms`, `exp:2ms`, `lognormal:2ms:2`. */
  readonly cpu: string
  readonly workerProcesses: number
  /** Shares of the predicted capacity, e.g. [0.5, 0.7, 0.85, 0.95]. */
  readonly levels: ReadonlyArray<number>
  readonly levelS: number
  /** Seconds at the start of each level left out of its statistics. */
  readonly settleS: number
  /** Seconds of load before calibrating (JIT, connections). */
  readonly warmupS: number
  readonly calibrationLoad: number
  readonly calibrationS: number
  readonly saturationS: number
  readonly saturationConcurrency: number
  /** The failure: one backend killed at `atS` into the phase for `forS`, at `load` of capacity; absent: none. */
  readonly failure: { readonly load: number; readonly atS: number; readonly forS: number; readonly afterS: number } | undefined
  /** The model's scheduling of the system's core (`ps`: processor sharing, as Linux does). */
  readonly scheduling: "fifo" | "ps"
  /** Whether the model has a wake-up cost (CPU per request falls as load rises; calibrate.ts). */
  readonly wakeup: boolean
  readonly maxFails: number
  readonly failTimeoutS: number
  readonly sutCore: number
  readonly loadCore: number
  readonly timeoutMs: number
  readonly seed: number
  /** Niceness of every process started (negative needs root), or undefined to leave it. */
  readonly nice: number | undefined
  readonly dir: string
}

export interface Row {
  readonly label: string
  readonly load: number | undefined
  readonly rate: number
  readonly predicted: Prediction
  readonly measured: Summary
  /** Diagnostic, not used by the prediction: CPU µs per request measured over the level (nginx, backends). */
  readonly cpuPerRequestUs: { readonly nginx: number; readonly backend: number }
}

export interface ExperimentResult {
  readonly config: ExperimentConfig
  readonly conditions: { readonly pinned: boolean; readonly nice: number | undefined; readonly loadavg: number[]; readonly nginx: string }
  readonly calibration: {
    readonly rate: number
    readonly measured: Summary
    readonly demands: Demands
    readonly overheadUs: number
    readonly truthMeanUs: number
  }
  readonly saturation: { readonly predicted: number; readonly measured: number; readonly cpuPerRequestUs: { readonly nginx: number; readonly backend: number } }
  readonly rows: Row[]
}

type Cpu = { readonly nginx: number; readonly backend: number }
const perRequest = (a: Cpu, b: Cpu, n: number): Cpu => ({
  nginx: ((b.nginx - a.nginx) / Math.max(1, n)) * 1e6,
  backend: ((b.backend - a.backend) / Math.max(1, n)) * 1e6,
})

/** Runs the whole protocol; every process it starts is stopped before it returns or throws. */
export async function runExperiment(c: ExperimentConfig, log: (line: string) => void): Promise<ExperimentResult> {
  const dist = parseDist(c.cpu)
  if (dist === undefined) throw new Error(`bad --cpu "${c.cpu}"`)
  mkdirSync(c.dir, { recursive: true })
  setNiceness(c.nice)
  const pinned = process.platform === "linux" && hasTaskset()
  const sutCfg: SutConfig = {
    dir: c.dir, backends: c.backends, cpu: c.cpu, workerProcesses: c.workerProcesses,
    maxFails: c.maxFails, failTimeoutS: c.failTimeoutS, core: pinned ? c.sutCore : undefined, seed: c.seed,
  }
  const loadCore = pinned ? c.loadCore : undefined
  let phase = 0
  const load = (spec: { mode: "open" | "closed"; rate?: number; concurrency?: number; durationS: number }) =>
    runLoad({ url: sut.url, timeoutMs: c.timeoutMs, seed: c.seed * 1000 + phase, ...spec }, loadCore, join(c.dir, `load-${phase++}.json`))

  const sut: Sut = await startSut(sutCfg)
  try {
    const cpuNow = () => ({
      nginx: sut.nginxWorkers.reduce((a, p) => a + cpuSeconds(p), 0),
      backend: sut.backendPids.reduce((a, p) => a + cpuSeconds(p), 0),
    })
    // (a) Calibration at low load, after a short warm-up (JIT, connections).
    const guess = 1e6 / (dist.meanUs + 150)
    const calRate = c.calibrationLoad * guess
    log(`${c.name}: warm-up, then calibration at ${calRate.toFixed(0)}/s for ${c.calibrationS}s`)
    // The backends' per-request CPU falls for several seconds while V8 optimises their code.
    await load({ mode: "open", rate: calRate, durationS: c.warmupS })
    await sleep(1500)
    const cpu0 = cpuNow()
    const t0 = Date.now() / 1000
    const cal = await load({ mode: "open", rate: calRate, durationS: c.calibrationS })
    const t1 = Date.now() / 1000
    const cpu1 = cpuNow()
    await sleep(1500) // the access log and the cost logs flush within a second
    const lines = readAccessLog(sut.accessLog, t0, t1)
    const calMeasured = summarise(cal, 1, c.calibrationS)

    // Saturation (closed loop): its CPU per request is the demand without wake-ups.
    await sleep(1000)
    const satBefore = cpuNow()
    const sat = await load({ mode: "closed", concurrency: c.saturationConcurrency, durationS: c.saturationS })
    const satCpu = perRequest(satBefore, cpuNow(), sat.issued)
    const satMeasured = completionRate(sat, Math.min(2, c.saturationS / 4), c.saturationS)
    log(`${c.name}: saturation measured ${satMeasured.toFixed(0)}/s; CPU/request nginx ${satCpu.nginx.toFixed(0)} us, backend ${satCpu.backend.toFixed(0)} us`)
    await sleep(1000)

    const demands = demandsFromCpu({
      requests: lines.length,
      nginxCpuS: cpu1.nginx - cpu0.nginx,
      backendCpuS: cpu1.backend - cpu0.backend,
      costsUs: readCosts(sut.backendPids.map((_, i) => costLog(sutCfg, i)), t0 * 1000, t1 * 1000),
      calibrationS: t1 - t0,
      saturationCpuUs: c.wakeup ? satCpu : undefined,
    })

    // (b) The model, its fixed overhead from the calibration's mean latency, its capacity.
    const base: ModelSpec = { demands, backends: c.backends, cores: 1, overheadUs: 0, scheduling: c.scheduling, seed: c.seed }
    const bare = predict(base, calRate, c.dir, "calibration-bare")
    const overheadUs = Math.max(0, (calMeasured.meanMs - bare.meanMs) * 1000)
    const model: ModelSpec = { ...base, overheadUs }
    const capacity = predictCapacity(model, c.dir)
    log(`${c.name}: demands nginx ${demands.nginxCpuUs.toFixed(0)}us (wake-up ${demands.wakeupUs.nginx.toFixed(0)}us), backend ${demands.backend.kind} ${demands.backend.meanUs.toFixed(0)}us cv ${demands.backend.cv.toFixed(2)} (wake-up ${demands.wakeupUs.backend.toFixed(0)}us); overhead ${overheadUs.toFixed(0)}us; predicted capacity ${capacity.toFixed(0)}/s`)

    // (c) Measure each level, then the failure.
    const rows: Row[] = []
    for (const level of c.levels) {
      const rate = level * capacity
      const predicted = predict(model, rate, c.dir, `level-${Math.round(level * 100)}`)
      const before = cpuNow()
      const rec = await load({ mode: "open", rate, durationS: c.levelS })
      const after = cpuNow()
      const measured = summarise(rec, c.settleS, c.levelS)
      const cpuPerRequestUs = perRequest(before, after, rec.issued)
      rows.push({ label: `${Math.round(level * 100)}%`, load: level, rate, predicted, measured, cpuPerRequestUs })
      log(`${c.name}: ${Math.round(level * 100)}% (${rate.toFixed(0)}/s) mean ${measured.meanMs.toFixed(2)} ms (predicted ${predicted.meanMs.toFixed(2)}); CPU/request nginx ${cpuPerRequestUs.nginx.toFixed(0)} us, backend ${cpuPerRequestUs.backend.toFixed(0)} us`)
      await sleep(1000)
    }
    if (c.failure !== undefined && c.backends >= 2) {
      const f = c.failure
      const rate = f.load * capacity
      // During the failure the model has one backend fewer; nginx retries the killed one's
      // requests on the next upstream (proxy_next_upstream error), so none is lost in the model.
      const predicted = predict(model, rate, c.dir, "failure", 300, 10, c.backends - 1)
      const durationS = f.atS + f.forS + f.afterS
      const killAt = setTimeout(() => void killBackend(sut, 0), f.atS * 1000)
      const restartAt = setTimeout(() => void restartBackend(sutCfg, sut, 0, 1).catch((e) => log(`restart failed: ${e}`)), (f.atS + f.forS) * 1000)
      const before = cpuNow()
      let rec
      try {
        rec = await load({ mode: "open", rate, durationS })
      } finally {
        clearTimeout(killAt)
        clearTimeout(restartAt)
      }
      const measured = summarise(rec, f.atS, f.atS + f.forS)
      // The killed backend's CPU is lost with it: per request here is a lower bound.
      const cpuPerRequestUs = perRequest(before, cpuNow(), rec.issued)
      rows.push({ label: `failure (${Math.round(f.load * 100)}%)`, load: f.load, rate, predicted, measured, cpuPerRequestUs })
      log(`${c.name}: failure: error share ${(measured.errorShare * 100).toFixed(2)}%, mean ${measured.meanMs.toFixed(2)} ms`)
    }
    const { loadavg } = await import("node:os")
    return {
      config: c,
      conditions: { pinned, nice: c.nice, loadavg: loadavg().map((x) => Math.round(x * 100) / 100), nginx: "Debian nginx (/usr/sbin/nginx)" },
      calibration: { rate: calRate, measured: calMeasured, demands, overheadUs, truthMeanUs: dist.meanUs },
      saturation: { predicted: capacity, measured: satMeasured, cpuPerRequestUs: satCpu },
      rows,
    }
  } finally {
    await stopAll()
  }
}

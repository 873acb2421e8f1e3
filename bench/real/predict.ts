/**
 * wwsim's prediction of the system under test: a scenario built from the calibrated demands
 * (one host with the system's cores; nginx and a backend service with one worker per backend
 * process; the fixed loopback and client overhead as a latency on the nginx hop), simulated by
 * the wwsim CLI, exactly as a user would.
 */
import { spawnSync } from "node:child_process"
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import type { Demands } from "./calibrate.ts"

const WWSIM = fileURLToPath(new URL("../../bin/wwsim.js", import.meta.url))

export interface ModelSpec {
  readonly demands: Demands
  readonly backends: number
  readonly cores: number
  /** Fixed latency outside the modelled CPU (loopback, client, syscalls), µs. */
  readonly overheadUs: number
  /** How the modelled core is shared: `ps` as Linux shares a core among runnable processes. */
  readonly scheduling: "fifo" | "ps"
  readonly seed: number
}

export interface Prediction {
  readonly throughput: number
  readonly meanMs: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly errorShare: number
}

const us = (x: number): string => `${Math.max(0.001, x).toFixed(3)}us`
const wakeup = (x: number): { wakeup?: string } => (x > 0 ? { wakeup: us(x) } : {})

export function scenario(m: ModelSpec, rate: number, durationS: number, warmupS: number, backends = m.backends): object {
  const b = m.demands.backend
  const backendCpu = b.kind === "const" ? { const: us(b.meanUs) } : { lognormal: { mean: us(b.meanUs), cv: b.cv } }
  return {
    name: "real-prediction",
    seed: m.seed,
    warmup: `${warmupS}s`,
    duration: `${durationS}s`,
    hosts: { sut: { count: 1, cores: m.cores, scheduling: m.scheduling } },
    services: {
      // nginx is event-driven: it never makes a request wait for a worker, only for the core.
      nginx: { host: "sut", workers: 100000, cpu: { const: us(m.demands.nginxCpuUs) }, ...wakeup(m.demands.wakeupUs.nginx) },
      // Each backend process serves one request at a time.
      backend: { host: "sut", workers: backends, cpu: backendCpu, ...wakeup(m.demands.wakeupUs.backend) },
    },
    workload: {
      req: {
        rate: `${rate.toFixed(3)}/s`,
        call: {
          to: "nginx",
          ...(m.overheadUs > 0 ? { external: { const: us(m.overheadUs) } } : {}),
          calls: [{ to: "backend" }],
        },
      },
    },
  }
}

/** Simulates the model at `rate` (per second) and reads the report. */
export function predict(m: ModelSpec, rate: number, dir: string, tag: string, durationS = 300, warmupS = 10, backends = m.backends): Prediction {
  const runDir = join(dir, `predict-${tag}`)
  mkdirSync(runDir, { recursive: true })
  const file = join(runDir, "scenario.json")
  writeFileSync(file, JSON.stringify(scenario(m, rate, durationS, warmupS, backends), null, 2))
  const r = spawnSync(process.execPath, [WWSIM, "run", file, "--out", runDir, "--quiet"], { encoding: "utf8", timeout: 300_000 })
  if (r.status !== 0 && r.status !== 1) {
    throw new Error(`wwsim run ${file} failed (exit ${r.status}): ${(r.stderr || r.stdout).trim().split("\n")[0]}`)
  }
  const report = JSON.parse(readFileSync(join(runDir, "report.json"), "utf8"))
  const k = report.requests.req
  return {
    throughput: k.ok / report.window.durationS,
    meanMs: k.latencyMs.mean,
    p50Ms: k.latencyMs.p50,
    p99Ms: k.latencyMs.p99,
    errorShare: k.issued === 0 ? NaN : (k.failed + k.rejected) / k.issued,
  }
}

/** Saturation throughput: the model driven well past its capacity, replies per second. */
export function predictCapacity(m: ModelSpec, dir: string): number {
  const perRequestUs = m.demands.nginxCpuUs + m.demands.backend.meanUs
  const overload = (1.5 * m.cores * 1e6) / perRequestUs
  return predict(m, overload, dir, "saturation", 60, 0).throughput
}

/**
 * Demands from the calibration phase: CPU time per request of nginx and of the backends (from
 * /proc, over all their threads, divided by the requests nginx logged — its access log read with
 * `wwsim calibrate`'s parser) and the backends' service-time variability (from their cost logs).
 */
import { readFileSync } from "node:fs"
import { type AccessRecord, compileFormat } from "../../sim/calibrate/nginx.ts"
import { LOG_FORMAT } from "./sut.ts"

/**
 * The access log's records in [fromS, toS] ($msec), read by `wwsim calibrate`'s own parser for
 * the experiment's LOG_FORMAT: the experiment reads nginx's log the way a user's calibration does.
 * Lines that do not fit are skipped (nginx may be cut off mid-line when it stops).
 */
export function readAccessLog(file: string, fromS: number, toS: number): AccessRecord[] {
  let text = ""
  try {
    text = readFileSync(file, "utf8")
  } catch {
    return []
  }
  const { parse } = compileFormat(LOG_FORMAT)
  const out: AccessRecord[] = []
  for (const line of text.split("\n")) {
    const r = parse(line)
    if (r !== undefined && r.t >= fromS && r.t <= toS) out.push(r)
  }
  return out
}

/** Backends' cost logs (`<epoch ms> <cpu us>` lines): the CPU times logged in [fromMs, toMs]. */
export function readCosts(files: ReadonlyArray<string>, fromMs: number, toMs: number): number[] {
  const out: number[] = []
  for (const f of files) {
    let text = ""
    try {
      text = readFileSync(f, "utf8")
    } catch {
      continue
    }
    for (const line of text.split("\n")) {
      const sp = line.indexOf(" ")
      if (sp < 0) continue
      const t = Number(line.slice(0, sp))
      if (t >= fromMs && t <= toMs) out.push(Number(line.slice(sp + 1)))
    }
  }
  return out
}

export interface CalibrationInput {
  readonly requests: number
  readonly nginxCpuS: number
  readonly backendCpuS: number
  /** The CPU time of each request as the backends logged it, µs; its spread gives the cv. */
  readonly costsUs: ReadonlyArray<number>
  /** Length of the calibration phase, s (its CPU utilisation gives the share of idle arrivals). */
  readonly calibrationS: number
  /** CPU per request at saturation, µs; absent: no wake-up cost in the model. */
  readonly saturationCpuUs?: { readonly nginx: number; readonly backend: number }
}

export interface Demands {
  readonly nginxCpuUs: number
  readonly backend: { readonly kind: "const" | "lognormal"; readonly meanUs: number; readonly cv: number }
  /** Extra CPU of a request that finds the core idle (the service's `wakeup`), µs. */
  readonly wakeupUs: { readonly nginx: number; readonly backend: number }
  readonly requests: number
}

/**
 * Mean CPU per request from /proc (everything the processes spent, HTTP parsing and GC included);
 * the spread from the backends' own per-request CPU log: its standard deviation over that mean.
 * nginx's $upstream_response_time cannot give the spread here: it has millisecond resolution and
 * includes waiting and preemption by other processes. Below cv 0.25 the demand is taken as
 * constant; otherwise lognormal with that mean and cv.
 *
 * CPU per request falls as load rises (measured: ~4.9 ms at 30% load, ~4.2 ms at saturation for
 * 4 ms of backend work): a request that finds the core idle wakes a sleeping process. With the
 * saturation's CPU per request (where no request finds it idle) that part is split off: the
 * demand is the saturation's, and the wake-up w solves cal = sat + w·π0, where π0 = 1 − u is the
 * share of arrivals finding the core idle at the calibration's utilisation u (PASTA). The core is
 * one, as the experiment pins the system to one.
 */
export function demandsFromCpu(x: CalibrationInput): Demands {
  const calNginxUs = (x.nginxCpuS / x.requests) * 1e6
  const calBackendUs = (x.backendCpuS / x.requests) * 1e6
  const t = x.costsUs
  const m = t.reduce((a, b) => a + b, 0) / Math.max(1, t.length)
  const variance = t.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, t.length - 1)
  const sat = x.saturationCpuUs
  const idle = 1 - Math.min(0.95, (x.nginxCpuS + x.backendCpuS) / x.calibrationS)
  const wake = (cal: number, base: number) => Math.max(0, (cal - base) / idle)
  const nginxCpuUs = sat === undefined ? calNginxUs : Math.min(calNginxUs, sat.nginx)
  const meanUs = sat === undefined ? calBackendUs : Math.min(calBackendUs, sat.backend)
  const cv = Math.sqrt(variance) / meanUs
  return {
    nginxCpuUs,
    backend: cv < 0.25 ? { kind: "const", meanUs, cv: 0 } : { kind: "lognormal", meanUs, cv },
    wakeupUs: sat === undefined ? { nginx: 0, backend: 0 } : { nginx: wake(calNginxUs, nginxCpuUs), backend: wake(calBackendUs, meanUs) },
    requests: x.requests,
  }
}

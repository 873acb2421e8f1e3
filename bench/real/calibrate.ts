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
}

export interface Demands {
  readonly nginxCpuUs: number
  readonly backend: { readonly kind: "const" | "lognormal"; readonly meanUs: number; readonly cv: number }
  readonly requests: number
}

/**
 * Mean CPU per request from /proc (everything the processes spent, HTTP parsing and GC included);
 * the spread from the backends' own per-request CPU log: its standard deviation over that mean.
 * nginx's $upstream_response_time cannot give the spread here: it has millisecond resolution and
 * includes waiting and preemption by other processes. Below cv 0.25 the demand is taken as
 * constant; otherwise lognormal with that mean and cv.
 */
export function demandsFromCpu(x: CalibrationInput): Demands {
  const meanUs = (x.backendCpuS / x.requests) * 1e6
  const t = x.costsUs
  const m = t.reduce((a, b) => a + b, 0) / Math.max(1, t.length)
  const variance = t.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, t.length - 1)
  const cv = Math.sqrt(variance) / meanUs
  return {
    nginxCpuUs: (x.nginxCpuS / x.requests) * 1e6,
    backend: cv < 0.25 ? { kind: "const", meanUs, cv: 0 } : { kind: "lognormal", meanUs, cv },
    requests: x.requests,
  }
}

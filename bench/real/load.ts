/**
 * Runs one load phase with loadgen.mjs pinned to the load generator's core and summarises the
 * requests it recorded, over any window of scheduled arrival times, with HDR histograms.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as hdr from "hdr-histogram-js"
import { start } from "./processes.ts"

const HERE = fileURLToPath(new URL(".", import.meta.url))

export interface LoadSpec {
  readonly url: string
  readonly mode: "open" | "closed"
  /** open: requests per second (Poisson). */
  readonly rate?: number
  /** closed: concurrent loops. */
  readonly concurrency?: number
  readonly durationS: number
  readonly timeoutMs: number
  readonly seed: number
}

export interface Recorded {
  readonly issued: number
  readonly sendLagMs: number
  readonly sentAtMs: number[]
  readonly latencyMs: number[]
  readonly status: number[]
}

export interface Summary {
  readonly requests: number
  readonly ok: number
  /** Non-2xx, connection errors and time-outs, as a share of the requests. */
  readonly errorShare: number
  /** ok replies per second of the window. */
  readonly throughput: number
  readonly meanMs: number
  readonly p50Ms: number
  readonly p99Ms: number
}

/** Runs the phase to its end (bounded by the generator itself) and returns what it recorded. */
export async function runLoad(spec: LoadSpec, core: number | undefined, outFile: string): Promise<Recorded> {
  const child = start("loadgen", core, process.execPath, [join(HERE, "loadgen.mjs"), JSON.stringify(spec), outFile])
  const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)))
  if (code !== 0) throw new Error(`the load generator exited with code ${code}`)
  return JSON.parse(readFileSync(outFile, "utf8")) as Recorded
}

/** Requests scheduled in [fromS, toS): latency of ok ones (µs precision), error share, throughput. */
export function summarise(r: Recorded, fromS: number, toS: number): Summary {
  const h = hdr.build({ bitBucketSize: 64, numberOfSignificantValueDigits: 3, useWebAssembly: false })
  let requests = 0
  let ok = 0
  let sum = 0
  for (let i = 0; i < r.issued; i++) {
    const t = r.sentAtMs[i] / 1000
    if (t < fromS || t >= toS) continue
    requests++
    const s = r.status[i]
    if (s >= 200 && s < 300) {
      ok++
      sum += r.latencyMs[i]
      h.recordValue(Math.max(1, Math.round(r.latencyMs[i] * 1000)))
    }
  }
  const p = (q: number): number => (ok === 0 ? NaN : h.getValueAtPercentile(q) / 1000)
  const out: Summary = {
    requests,
    ok,
    errorShare: requests === 0 ? NaN : (requests - ok) / requests,
    throughput: ok / (toS - fromS),
    meanMs: ok === 0 ? NaN : sum / ok,
    p50Ms: p(50),
    p99Ms: p(99),
  }
  h.destroy()
  return out
}

/** Closed loop: replies completed per second between `fromS` and the end of the schedule. */
export function completionRate(r: Recorded, fromS: number, toS: number): number {
  let n = 0
  for (let i = 0; i < r.issued; i++) {
    const done = (r.sentAtMs[i] + r.latencyMs[i]) / 1000
    if (r.status[i] >= 200 && r.status[i] < 300 && done >= fromS && done < toS) n++
  }
  return n / (toS - fromS)
}

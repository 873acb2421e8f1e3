/**
 * A fixed set of worker threads that simulate scenarios in parallel, for `wwsim check`.
 *
 * The worker code is the bundle `dist/wwsim-worker.mjs` (built with the CLI by
 * `scripts/bundle.mjs`): Node 20 cannot load TypeScript in a worker thread, so even when this
 * file runs from source (tsx, vitest) the workers run the bundle next to `dist/wwsim.cjs`.
 */
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { Worker } from "node:worker_threads"
import type { SimReport } from "../report/Report.ts"
import type { Scenario } from "../scenario/Scenario.ts"
import type { EncodedHistograms } from "../measure/histograms.ts"

/** Main thread → worker. */
export interface JobRequest {
  readonly id: number
  readonly scenario: Scenario
  /** Also send back each kind's encoded latency histogram. */
  readonly histograms?: boolean
}

/** Worker → main thread. */
export type JobReply =
  | { readonly id: number; readonly ok: true; readonly report: SimReport; readonly events: number; readonly wallS: number; readonly histograms?: EncodedHistograms }
  | { readonly id: number; readonly ok: false; readonly message: string; readonly details: string }

/** A finished simulation and the wall-clock seconds it took. */
export interface TimedResult {
  readonly report: SimReport
  readonly events: number
  readonly wallS: number
  /** When asked for: each kind's latency histogram, encoded. */
  readonly histograms?: EncodedHistograms
}

/** The simulator failed on a scenario (a bug): `details` has the worker's stack. */
export class SimulationCrashed extends Error {
  constructor(message: string, readonly details: string) {
    super(message)
    this.name = "SimulationCrashed"
  }
}

/**
 * Where the worker bundle is: beside this module when it runs from the bundle, in `dist/` of the
 * repository when it runs from source.
 *
 * @example
 * new Worker(workerUrl())
 */
export const workerUrl = (): URL =>
  import.meta.url.endsWith(".ts")
    ? new URL("../../dist/wwsim-worker.mjs", import.meta.url)
    : new URL("./wwsim-worker.mjs", import.meta.url)

interface Pending {
  readonly id: number
  readonly scenario: Scenario
  readonly histograms: boolean
  readonly resolve: (r: TimedResult) => void
  readonly reject: (e: SimulationCrashed) => void
}

interface Slot {
  readonly worker: Worker
  job: Pending | undefined
}

/**
 * Up to `threads` workers, started on demand; jobs beyond that wait their turn. A worker that
 * dies (an uncaught error, out of memory) fails its job and is replaced for the next one.
 *
 * @example
 * const pool = new WorkerPool(4)
 * const { report } = await pool.run(scenario)
 * await pool.close()
 */
export class WorkerPool {
  private readonly slots: Slot[] = []
  private readonly queue: Pending[] = []
  private nextId = 0
  private closed = false

  constructor(readonly threads: number, private readonly url: URL = workerUrl()) {
    if (!existsSync(fileURLToPath(url))) {
      throw new Error(`the worker bundle ${fileURLToPath(url)} is missing; build it with \`node scripts/bundle.mjs\` (npm install does)`)
    }
  }

  /** Simulates `scenario` on a worker; rejects with `SimulationCrashed` when the simulator fails. */
  run(scenario: Scenario, options: { readonly histograms?: boolean } = {}): Promise<TimedResult> {
    if (this.closed) return Promise.reject(new Error("the worker pool is closed"))
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, scenario, histograms: options.histograms === true, resolve, reject })
      this.dispatch()
    })
  }

  /** Stops every worker; jobs still running or waiting never settle. */
  async close(): Promise<void> {
    this.closed = true
    this.queue.length = 0
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()))
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.job === undefined)
      if (slot === undefined) {
        if (this.slots.length >= this.threads) return
        slot = this.spawn()
      }
      const job = this.queue.shift()!
      slot.job = job
      slot.worker.postMessage({ id: job.id, scenario: job.scenario, histograms: job.histograms } satisfies JobRequest)
    }
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(this.url), job: undefined }
    this.slots.push(slot)
    slot.worker.on("message", (reply: JobReply) => {
      const job = slot.job
      slot.job = undefined
      if (job !== undefined && job.id === reply.id) {
        if (reply.ok) {
          job.resolve({ report: reply.report, events: reply.events, wallS: reply.wallS, ...(reply.histograms ? { histograms: reply.histograms } : {}) })
        } else job.reject(new SimulationCrashed(reply.message, reply.details))
      }
      this.dispatch()
    })
    const lost = (message: string, details: string) => {
      const i = this.slots.indexOf(slot)
      if (i < 0) return // already handled (error, then exit)
      this.slots.splice(i, 1)
      slot.job?.reject(new SimulationCrashed(message, details))
      slot.job = undefined
      if (!this.closed) this.dispatch()
    }
    slot.worker.on("error", (e) => lost(e.message, e.stack ?? e.message))
    slot.worker.on("exit", (code) => lost(`a worker thread exited with code ${code}`, `worker exit code ${code}`))
    return slot
  }
}

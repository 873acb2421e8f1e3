/**
 * Entry point of a `wwsim check` worker thread (bundled as `dist/wwsim-worker.mjs`): simulates
 * each scenario the main thread sends and posts back its report. Scenarios arrive already
 * validated, so the worker needs only the engine.
 */
import { parentPort } from "node:worker_threads"
import { simulate } from "../simulate.ts"
import type { JobReply, JobRequest } from "./WorkerPool.ts"

const port = parentPort
if (port === null) throw new Error("sim/check/worker.ts runs only as a worker thread")

port.on("message", (job: JobRequest) => {
  const started = performance.now()
  let reply: JobReply
  try {
    const { report, events, histograms } = simulate(job.scenario, { histograms: job.histograms === true })
    reply = { id: job.id, ok: true, report, events, wallS: (performance.now() - started) / 1000, ...(histograms ? { histograms } : {}) }
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e))
    reply = { id: job.id, ok: false, message: error.message, details: error.stack ?? error.message }
  }
  port.postMessage(reply)
})

/**
 * The engine's memory check: a valid scenario can still grow without bound while it runs (an
 * unbounded InQueue under 1000× overload filled 4 GB in 47 s) until V8 aborts with a 23-line
 * dump and exit 134. After each slice the engine counts the calls waiting in InQueues against a
 * budget, and compares the heap in use with the heap's limit; past either, the run ends with one
 * line saying what filled it while there is still room to say so (exit 3, with a crash log).
 */
import { getHeapStatistics } from "node:v8"
import type { Model } from "../model/Model.ts"

/** Share of V8's heap limit in use at which the run stops: room left to report and exit. */
export const HEAP_SHARE_LIMIT = 0.85
/**
 * Calls waiting in InQueues, all instances together, at which the run stops: ~0.55 KB each, so
 * about 1.1 GB. A queue that long waits minutes to hours: the scenario is overloaded without a
 * bound, and its statistics would describe the backlog, not the system.
 */
export const MAX_QUEUED_CALLS = 2_000_000

/** The run outgrew the memory it may use; the message names what filled it. */
export class RunOutOfMemory extends Error {
  /** Not a bug in the code: the CLI prints the message as it is (exit 3, crash log). */
  readonly simulatorLimit = true
  constructor(message: string) {
    super(message)
    this.name = "RunOutOfMemory"
  }
}

const megabytes = (bytes: number): string => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${Math.round(bytes / 1e6)} MB`)

/**
 * Why the run must stop for memory, at `now`, or `undefined` while there is room. `used` and
 * `limit` are the heap's bytes (V8's statistics by default).
 *
 * @example
 * const problem = memoryProblem(model, now)
 * if (problem !== undefined) throw new RunOutOfMemory(problem)
 */
export function memoryProblem(model: Model, now: number, heap: { used: number; limit: number } = heapNow()): string | undefined {
  let queued = 0
  for (const service of model.services) for (const inst of service.instances) queued += inst.inQueue.length
  const full = heap.used >= HEAP_SHARE_LIMIT * heap.limit
  if (!full && queued <= MAX_QUEUED_CALLS) return undefined
  let longest: { name: string; length: number; bounded: boolean } | undefined
  for (const service of model.services) {
    for (const inst of service.instances) {
      if (longest === undefined || inst.inQueue.length > longest.length) {
        longest = { name: inst.name, length: inst.inQueue.length, bounded: Number.isFinite(service.queueCapacity) }
      }
    }
  }
  if (!full) {
    return `the InQueues hold ${queued.toLocaleString("en-US")} calls at simulated time ${Number(now.toFixed(3))}s, over the ` +
      `${MAX_QUEUED_CALLS.toLocaleString("en-US")} a run may hold (${longest!.name}'s: ${longest!.length.toLocaleString("en-US")}` +
      `${longest!.bounded ? "" : ", unbounded"}): give the service a \`queue:\` bound, or lower the load`
  }
  const usage = `${megabytes(heap.used)} of the ${megabytes(heap.limit)} heap`
  const what = longest !== undefined && longest.length > 0
    ? `; ${longest.name}'s InQueue holds ${longest.length.toLocaleString("en-US")} calls` +
      (longest.bounded ? "" : " (unbounded: give the service a `queue:` bound, or lower the load)")
    : ""
  return `the run ran out of memory at simulated time ${Number(now.toFixed(3))}s (${usage})${what}`
}

const heapNow = (): { used: number; limit: number } => {
  const h = getHeapStatistics()
  return { used: h.used_heap_size, limit: h.heap_size_limit }
}

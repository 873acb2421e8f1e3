import type { TraceArrivals } from "../calibrate/trace.ts"
import type { Sim } from "./Sim.ts"
import { startRequest } from "./arrive.ts"

/**
 * An arrival replayed from an access log: the logged request's kind and uin start a request now,
 * and the trace's next arrival time is returned for the engine to schedule (Infinity: none).
 */
export function replayArrival(sim: Sim, trace: TraceArrivals, now: number): number {
  const kind = sim.model.kinds[trace.kind]
  startRequest(sim, kind, trace.uin, now, null, now)
  return trace.next()
}

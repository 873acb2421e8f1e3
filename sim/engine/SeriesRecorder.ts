import type { SeriesReport } from "../report/Report.ts"
import type { Model } from "./Model.ts"

/** Most points a series keeps; longer runs get a coarser step. */
const MAX_POINTS = 2000

/**
 * Picks the series step: the requested one (1 s by default), coarsened to whole seconds so a run
 * of any length keeps at most ~2,000 points.
 */
export function seriesStep(totalS: number, requested: number | null): number {
  const step = requested ?? 1
  return totalS / step <= MAX_POINTS ? step : Math.ceil(totalS / MAX_POINTS)
}

const round = (x: number, digits: number): number => {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

/**
 * Collects the per-step time series the visualiser draws: per kind throughput and latency
 * percentiles, per service queue depth and utilization, per host CPU. Memory is O(steps), never
 * O(requests): each step reads the running integrals and the kinds' step histograms, then clears them.
 */
export class SeriesRecorder {
  readonly step: number
  private readonly t: number[] = []
  private readonly kinds: Record<string, { throughput: number[]; p50Ms: Array<number | null>; p99Ms: Array<number | null> }> = {}
  private readonly services: Record<string, { queueDepth: number[]; utilization: number[] }> = {}
  private readonly hosts: Record<string, { cpuUtil: number[] }> = {}
  private last = 0

  constructor(
    private readonly model: Model,
    totalS: number,
    requestedStep: number | null,
  ) {
    this.step = seriesStep(totalS, requestedStep)
    for (const k of model.kinds) this.kinds[k.name] = { throughput: [], p50Ms: [], p99Ms: [] }
    for (const s of model.services) this.services[s.name] = { queueDepth: [], utilization: [] }
    for (const h of model.hosts) this.hosts[h.name] = { cpuUtil: [] }
  }

  /** Closes the step that ends at `now`. */
  takeStep(now: number): void {
    const width = now - this.last
    if (width <= 0) return
    this.t.push(this.last)
    for (const k of this.model.kinds) {
      const s = this.kinds[k.name]
      const rec = k.stepLatency
      s.throughput.push(round(rec.count / width, 3))
      s.p50Ms.push(rec.count === 0 ? null : rec.percentileMs(50))
      s.p99Ms.push(rec.count === 0 ? null : rec.percentileMs(99))
      rec.clear()
    }
    for (const svc of this.model.services) {
      const s = this.services[svc.name]
      let busy = 0
      for (const inst of svc.instances) {
        busy += inst.busyWorkers.takeStep(now)
      }
      const workers = svc.workers * svc.instances.length
      s.queueDepth.push(round(svc.queueLength.takeStep(now) / width, 3))
      s.utilization.push(workers === 0 ? 0 : round(busy / (workers * width), 4))
    }
    for (const h of this.model.hosts) {
      this.hosts[h.name].cpuUtil.push(round(h.busyCores.takeStep(now) / (h.cores * width), 4))
    }
    this.last = now
  }

  /** Closes the last (possibly partial) step at the end of the run. */
  finish(end: number): void {
    this.takeStep(end)
  }

  report(): SeriesReport {
    return { stepS: this.step, t: this.t, kinds: this.kinds, services: this.services, hosts: this.hosts }
  }
}

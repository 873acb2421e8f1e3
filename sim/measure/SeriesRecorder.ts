import type { HostSeries, SeriesReport } from "../report/Report.ts"
import type { Model } from "../model/Model.ts"
import type { Resilience } from "./Window.ts"
import { seriesStep } from "../scenario/seriesStep.ts"

const round = (x: number, digits: number): number => {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

/** The latency percentiles of each step, ascending. */
const STEP_PERCENTILES = [50, 95, 99] as const

interface KindSeries {
  throughput: number[]
  p50Ms: Array<number | null>
  p95Ms: Array<number | null>
  p99Ms: Array<number | null>
  maxMs: Array<number | null>
  timeouts: number[]
  failed: number[]
  rejected: number[]
  backlog?: number[]
}

type MutableHostSeries = { -readonly [K in keyof HostSeries]: number[] }

/**
 * Collects the per-step time series the visualiser draws: per kind throughput, outcomes, latency
 * percentiles and max, and timed-out tries, and the MQ's backlog where a kind has one; per service queue depth and utilization; per host CPU, NIC, ports and
 * disk; retries and fast rejects. Memory is O(steps), never O(requests): each step reads the
 * running integrals and the kinds' step histograms, then clears them.
 */
export class SeriesRecorder {
  readonly step: number
  private readonly t: number[] = []
  private readonly kinds: Record<string, KindSeries> = {}
  private readonly services: Record<string, {
    queueDepth: number[]
    utilization: number[]
    passRate?: number[]
    instances?: Record<string, { queueDepth: number[] }>
  }> = {}
  private readonly hosts: Record<string, MutableHostSeries> = {}
  private readonly resilienceSeries = { retries: [] as number[], fastRejects: [] as number[] }
  private readonly stepValues = [0, 0, 0]
  private last = 0
  private lastRetries = 0
  private lastFastRejects = 0

  constructor(
    private readonly model: Model,
    totalS: number,
    requestedStep: number | null,
    private readonly resilience: Resilience,
  ) {
    this.step = seriesStep(totalS, requestedStep)
    for (const k of model.kinds) {
      this.kinds[k.name] = { throughput: [], p50Ms: [], p95Ms: [], p99Ms: [], maxMs: [], timeouts: [], failed: [], rejected: [] }
      if (k.redelivery !== null) this.kinds[k.name].backlog = []
    }
    for (const s of model.services) {
      const series: (typeof this.services)[string] = { queueDepth: [], utilization: [] }
      if (s.instances.some((i) => i.fastReject !== null)) series.passRate = []
      if (s.instances.length > 1) series.instances = Object.fromEntries(s.instances.map((i) => [i.name, { queueDepth: [] }]))
      this.services[s.name] = series
    }
    for (const h of model.hosts) {
      const series: MutableHostSeries = { cpuUtil: [] }
      if (h.nicIn !== null) series.nicInMbps = []
      if (h.nicOut !== null) series.nicOutMbps = []
      if (h.ports !== null) series.ports = []
      if (h.disk !== null) {
        series.diskWriteMBps = []
        series.diskReadMBps = []
      }
      this.hosts[h.name] = series
    }
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
      if (rec.count === 0) {
        s.p50Ms.push(null)
        s.p95Ms.push(null)
        s.p99Ms.push(null)
        s.maxMs.push(null)
      } else {
        rec.valuesAtPercentiles(STEP_PERCENTILES, this.stepValues)
        s.p50Ms.push(this.stepValues[0] / 1000)
        s.p95Ms.push(this.stepValues[1] / 1000)
        s.p99Ms.push(this.stepValues[2] / 1000)
        // the recorder keeps the exact max in seconds: a 502 ms retry is not rounded to a bucket
        s.maxMs.push(round(rec.max * 1000, 3))
      }
      s.timeouts.push(round(k.stepTimeouts / width, 3))
      s.failed.push(round(k.stepFailed / width, 3))
      s.rejected.push(round(k.stepRejected / width, 3))
      if (k.redelivery !== null) s.backlog!.push(round(k.redelivery.backlog.takeStep(now) / width, 3))
      rec.clear()
      k.stepFailed = 0
      k.stepRejected = 0
      k.stepTimeouts = 0
    }
    for (const svc of this.model.services) {
      const s = this.services[svc.name]
      let busy = 0
      for (const inst of svc.instances) {
        busy += inst.busyWorkers.takeStep(now)
        const depth = inst.queueLength.takeStep(now)
        s.instances?.[inst.name].queueDepth.push(round(depth / width, 3))
      }
      const workers = svc.workers * svc.instances.length
      s.queueDepth.push(round(svc.queueLength.takeStep(now) / width, 3))
      s.utilization.push(workers === 0 ? 0 : round(busy / (workers * width), 4))
      if (s.passRate !== undefined) {
        // The most throttled instance: the one an operator looks at first.
        let pass = 1
        for (const inst of svc.instances) {
          inst.fastReject!.advance(now)
          pass = Math.min(pass, inst.fastReject!.passRate)
        }
        s.passRate.push(round(pass, 4))
      }
    }
    for (const h of this.model.hosts) {
      const s = this.hosts[h.name]
      s.cpuUtil.push(round(h.busyCores.takeStep(now) / (h.cores * width), 4))
      if (h.nicIn !== null) s.nicInMbps!.push(round((h.nicIn.takeStep(now) * 8) / width / 1e6, 3))
      if (h.nicOut !== null) s.nicOutMbps!.push(round((h.nicOut.takeStep(now) * 8) / width / 1e6, 3))
      if (h.ports !== null) s.ports!.push(round(h.ports.takeStep(now), 1))
      if (h.disk !== null) {
        s.diskWriteMBps!.push(round(h.disk.writeChannel.takeStep(now) / width / 1e6, 3))
        s.diskReadMBps!.push(round(h.disk.readChannel.takeStep(now) / width / 1e6, 3))
      }
    }
    this.resilienceSeries.retries.push(round((this.resilience.retries - this.lastRetries) / width, 3))
    this.resilienceSeries.fastRejects.push(round((this.resilience.fastRejects - this.lastFastRejects) / width, 3))
    this.lastRetries = this.resilience.retries
    this.lastFastRejects = this.resilience.fastRejects
    this.last = now
  }

  /** Closes the last (possibly partial) step at the end of the run. */
  finish(end: number): void {
    this.takeStep(end)
  }

  report(): SeriesReport {
    return {
      stepS: this.step, t: this.t, kinds: this.kinds, services: this.services, hosts: this.hosts,
      resilience: this.resilienceSeries,
    }
  }
}

import type { Engine } from "../engine/Engine.ts"
import type { Instance, Service } from "../model/Service.ts"
import { LatencyRecorder } from "../stats/LatencyRecorder.ts"
import type { HostReport, KindReport, ServiceReport, ServiceStats, SimReport } from "./Report.ts"

/** Rounds to a fixed number of decimals, so reports read cleanly and compare byte for byte. */
export const round = (x: number, digits: number): number => {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

const ms = (x: number): number => round(x, 3)

function queueWaitMs(rec: LatencyRecorder) {
  const p = rec.percentiles()
  return { mean: ms(p.mean), p50: ms(p.p50), p99: ms(p.p99), max: ms(p.max) }
}

function instanceStats(inst: Instance, engine: Engine): ServiceStats {
  const span = engine.end - engine.windowStart
  return {
    served: inst.served,
    rejected: inst.rejected,
    queueWaitMs: queueWaitMs(inst.queueWait),
    utilization: round(inst.busyWorkers.windowArea(engine.end) / (inst.service.workers * span), 6),
    queueDepth: { mean: round(inst.queueLength.windowArea(engine.end) / span, 6), max: inst.queueLength.max },
  }
}

function serviceReport(service: Service, engine: Engine): ServiceReport {
  const span = engine.end - engine.windowStart
  const instances: Record<string, ServiceStats> = {}
  let served = 0, rejected = 0, busy = 0
  // The service's waits are its instances' histograms merged, not an average of their percentiles.
  const merged = new LatencyRecorder()
  for (const inst of service.instances) {
    instances[inst.name] = instanceStats(inst, engine)
    served += inst.served
    rejected += inst.rejected
    busy += inst.busyWorkers.windowArea(engine.end)
    inst.queueWait.addTo(merged)
  }
  const workers = service.workers * service.instances.length
  return {
    served,
    rejected,
    queueWaitMs: queueWaitMs(merged),
    utilization: workers === 0 ? 0 : round(busy / (workers * span), 6),
    queueDepth: { mean: round(service.queueLength.windowArea(engine.end) / span, 6), max: service.queueLength.max },
    instances,
  }
}

/**
 * Reads a finished engine into the report's deterministic part (everything but `run`).
 *
 * @example
 * const engine = new Engine(scenario); engine.run()
 * const report = buildReport(engine)
 */
export function buildReport(engine: Engine): SimReport {
  const { scenario, model } = engine
  const span = engine.end - engine.windowStart
  const requests: Record<string, KindReport> = {}
  for (const kind of model.kinds) {
    const inFlight = kind.issued - kind.ok - kind.failed - kind.rejected
    const codes: Record<string, number> = {}
    if (kind.ok > 0) codes["0"] = kind.ok
    for (const code of [...kind.codes.keys()].sort((a, b) => b - a)) codes[String(code)] = kind.codes.get(code)!
    const p = kind.latency.percentiles()
    requests[kind.name] = {
      issued: kind.issued,
      ok: kind.ok,
      failed: kind.failed,
      rejected: kind.rejected,
      inFlight,
      codes,
      latencyMs: {
        mean: ms(p.mean), p50: ms(p.p50), p90: ms(p.p90), p95: ms(p.p95),
        p99: ms(p.p99), p999: ms(p.p999), max: ms(p.max),
      },
    }
  }
  const services: Record<string, ServiceReport> = {}
  for (const service of model.services) services[service.name] = serviceReport(service, engine)
  const hosts: Record<string, HostReport> = {}
  for (const host of model.hosts) {
    hosts[host.name] = {
      class: host.hostClass,
      cores: host.cores,
      cpuUtil: round(host.busyCores.windowArea(engine.end) / (host.cores * span), 6),
    }
  }
  return {
    scenario: scenario.name,
    seed: scenario.seed,
    window: { warmupS: scenario.warmup, durationS: scenario.duration },
    requests,
    services,
    hosts,
    series: engine.series.report(),
  }
}

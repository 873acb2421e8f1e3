import { clientCodes, hasClientCode } from "./clientCodes.ts"
import type { Engine } from "../engine/Engine.ts"
import { shieldActivations } from "../measure/Window.ts"
import type { Instance, Service } from "../model/Service.ts"
import { LatencyRecorder } from "../stats/LatencyRecorder.ts"
import type { Host } from "../model/Host.ts"
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
  const span = engine.window.end - engine.window.start
  const busy = inst.busyWorkers.windowArea(engine.window.end) / span
  const queued = inst.queueLength.windowArea(engine.window.end) / span
  return {
    served: inst.served,
    rejected: inst.rejected,
    queueWaitMs: queueWaitMs(inst.queueWait),
    utilization: round(busy / inst.service.workers, 6),
    queueDepth: { mean: round(queued, 6), max: inst.queueLength.max },
    check: { ready: round(queued, 3), reserve: round(busy, 3), qsize: inst.queueLength.max },
  }
}

const meanMax = (mean: number, max: number) => ({ mean: round(mean, 3), max: round(max, 3) })

function hostReport(host: Host, engine: Engine, span: number): HostReport {
  const end = engine.window.end
  const report: { -readonly [K in keyof HostReport]: HostReport[K] } = {
    class: host.hostClass,
    cores: host.cores,
    cpuUtil: round(host.busyCores.windowArea(end) / (host.cores * span), 6),
  }
  if (host.nicIn !== null && host.nicOut !== null) {
    report.nicMbps = {
      in: meanMax(host.nicIn.meanMbps(end), host.nicIn.maxStepMbps),
      out: meanMax(host.nicOut.meanMbps(end), host.nicOut.maxStepMbps),
      limit: host.nicIn.bitsPerSecond / 1e6,
    }
  }
  if (host.ports !== null) {
    report.portsInUse = { ...meanMax(host.ports.mean(end), host.ports.max), limit: host.ports.capacity, failures: host.ports.failures }
  }
  if (host.disk !== null) {
    report.diskMBps = {
      read: meanMax(host.disk.meanReadMBps(end), host.disk.maxReadMBps),
      write: meanMax(host.disk.meanWriteMBps(end), host.disk.maxWriteMBps),
      limit: { read: host.disk.readChannel.bitsPerSecond / 8e6, write: host.disk.writeChannel.bitsPerSecond / 8e6 },
    }
  }
  const downS = engine.faults.downSeconds(host, engine.window.start, end)
  if (downS > 0) report.downS = round(downS, 3)
  return report
}

function serviceReport(service: Service, engine: Engine): ServiceReport {
  const span = engine.window.end - engine.window.start
  const instances: Record<string, ServiceStats> = {}
  let served = 0, rejected = 0, busy = 0, qsize = 0
  // The service's waits are its instances' histograms merged, not an average of their percentiles.
  const merged = new LatencyRecorder()
  for (const inst of service.instances) {
    instances[inst.name] = instanceStats(inst, engine)
    served += inst.served
    rejected += inst.rejected
    busy += inst.busyWorkers.windowArea(engine.window.end)
    inst.queueWait.addTo(merged)
    qsize = Math.max(qsize, inst.queueLength.max)
  }
  const workers = service.workers * service.instances.length
  return {
    served,
    rejected,
    queueWaitMs: queueWaitMs(merged),
    utilization: workers === 0 ? 0 : round(busy / (workers * span), 6),
    queueDepth: { mean: round(service.queueLength.windowArea(engine.window.end) / span, 6), max: service.queueLength.max },
    check: {
      ready: round(service.queueLength.windowArea(engine.window.end) / span, 3),
      reserve: round(busy / span, 3),
      qsize,
    },
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
  const span = engine.window.end - engine.window.start
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
      ...(hasClientCode(codes) ? { clientCodes: clientCodes(codes) } : {}),
      latencyMs: {
        mean: ms(p.mean), p50: ms(p.p50), p90: ms(p.p90), p95: ms(p.p95),
        p99: ms(p.p99), p999: ms(p.p999), max: ms(p.max),
      },
    }
    const mq = kind.redelivery
    if (mq !== null) {
      const end = engine.window.end
      requests[kind.name] = {
        ...requests[kind.name],
        redelivery: {
          redelivered: mq.redelivered - mq.redeliveredAtStart,
          backlogMean: round(mq.backlog.windowArea(end) / span, 3),
          backlogMax: mq.backlog.max,
          backlogEnd: mq.backlog.value,
        },
      }
    }
    if (kind.edgeUpBytes + kind.edgeDownBytes > 0) {
      requests[kind.name] = {
        ...requests[kind.name],
        edgeMbps: { up: round((kind.edgeUpBytes * 8) / span / 1e6, 3), down: round((kind.edgeDownBytes * 8) / span / 1e6, 3) },
      }
    }
  }
  const services: Record<string, ServiceReport> = {}
  for (const service of model.services) services[service.name] = serviceReport(service, engine)
  const hosts: Record<string, HostReport> = {}
  for (const host of model.hosts) hosts[host.name] = hostReport(host, engine, span)
  const r = engine.window.resilience, w = engine.window.atStart
  return {
    scenario: scenario.name,
    seed: scenario.seed,
    window: { warmupS: scenario.warmup, durationS: scenario.duration },
    requests,
    services,
    hosts,
    resilience: {
      retries: r.retries - w.retries,
      shieldActivations: shieldActivations(model) - engine.window.shieldActivationsAtStart,
      fastRejects: r.fastRejects - w.fastRejects,
      clientRejects: r.clientRejects - w.clientRejects,
      reconnects: r.reconnects - w.reconnects,
    },
    faults: engine.faults.windows,
    // which access log and which window of it were replayed
    ...(engine.trace === null ? {} : { trace: engine.trace.summary() }),
    series: engine.series.report(),
  }
}

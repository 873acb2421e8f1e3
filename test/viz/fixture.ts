/**
 * A small fixed report for the visualiser's unit tests: 10 one-second steps, two kinds, two
 * services, three hosts in two classes, and a host-down fault from 4 s to 6 s.
 */
import type { Report } from "../../sim/report/Report.ts"

const t = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
const stats = (served: number) => ({
  served, rejected: 0, utilization: 0.5,
  queueWaitMs: { mean: 1, p50: 1, p99: 4, max: 9 },
  queueDepth: { mean: 0.5, max: 3 },
  check: { ready: 0.5, reserve: 2, qsize: 3 },
})

export const fixture: Report = {
  scenario: "tiny-drill",
  seed: 1,
  window: { warmupS: 2, durationS: 8 },
  requests: {
    ping: {
      issued: 100, ok: 90, failed: 6, rejected: 4, inFlight: 0, codes: { "0": 90, "-201": 6, "-206": 4 },
      latencyMs: { mean: 5, p50: 4, p90: 8, p95: 9, p99: 20, p999: 30, max: 31 },
      edgeMbps: { up: 1.5, down: 2.5 },
    },
    pong: {
      issued: 10, ok: 10, failed: 0, rejected: 0, inFlight: 0, codes: { "0": 10 },
      latencyMs: { mean: 2, p50: 2, p90: 3, p95: 3, p99: 3, p999: 3, max: 3 },
    },
  },
  services: {
    front: { ...stats(100), instances: { "edge-1": stats(100) } },
    back: { ...stats(90), instances: { "app-1": stats(50), "app-2": stats(40) } },
  },
  hosts: {
    "edge-1": {
      class: "edge", cores: 4, cpuUtil: 0.1,
      nicMbps: { in: { mean: 100, max: 150 }, out: { mean: 200, max: 250 }, limit: 1000 },
      portsInUse: { mean: 14000, max: 15000, limit: 28000, failures: 0 },
    },
    "app-1": {
      class: "app", cores: 8, cpuUtil: 0.6, downS: 2,
      nicMbps: { in: { mean: 40, max: 50 }, out: { mean: 30, max: 35 }, limit: 1000 },
      diskMBps: { read: { mean: 10, max: 20 }, write: { mean: 50, max: 90 }, limit: { read: 500, write: 100 } } as never,
    },
    "app-2": { class: "app", cores: 8, cpuUtil: 0.7, nicMbps: { in: { mean: 60, max: 70 }, out: { mean: 50, max: 55 }, limit: 1000 } },
  },
  resilience: { retries: 3, shieldActivations: 1, fastRejects: 0, clientRejects: 0 },
  faults: [{ action: "host-down", target: ["app-1"], fromS: 4, toS: 6 }],
  series: {
    stepS: 1,
    t,
    kinds: {
      ping: {
        throughput: [10, 10, 10, 10, 5, 5, 10, 10, 10, 10],
        p50Ms: [4, 4, 4, 4, 9, 9, 4, 4, 4, 4],
        p95Ms: [8, 8, 8, 8, 30, 30, 8, 8, 8, 8],
        p99Ms: [9, 9, 9, 9, 40, 40, 9, 9, 9, 9],
        failed: [0, 0, 0, 0, 3, 3, 0, 0, 0, 0],
        rejected: [0, 0, 0, 0, 2, 2, 0, 0, 0, 0],
      },
      pong: {
        throughput: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
        p50Ms: [2, null, 2, null, null, 2, 2, 2, 2, 2],
        p95Ms: [3, null, 3, null, null, 3, 3, 3, 3, 3],
        p99Ms: [3, null, 3, null, null, 3, 3, 3, 3, 3],
        failed: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        rejected: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      },
    },
    services: {
      front: { queueDepth: [0, 0, 0, 1, 4, 6, 2, 0, 0, 0], utilization: [0.5, 0.5, 0.5, 0.6, 0.9, 1, 0.7, 0.5, 0.5, 0.5] },
      back: {
        queueDepth: [0, 0, 0, 0, 2, 3, 1, 0, 0, 0], utilization: [0.4, 0.4, 0.4, 0.4, 0.8, 0.8, 0.5, 0.4, 0.4, 0.4],
        passRate: [1, 1, 1, 1, 0.5, 0.4, 0.8, 1, 1, 1],
      },
    },
    hosts: {
      "edge-1": {
        cpuUtil: [0.1, 0.1, 0.1, 0.1, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1],
        nicInMbps: [100, 100, 100, 100, 100, 100, 100, 100, 100, 100],
        nicOutMbps: [200, 200, 200, 200, 500, 200, 200, 200, 200, 200],
        ports: [14000, 14000, 14000, 14000, 21000, 14000, 14000, 14000, 14000, 14000],
      },
      "app-1": {
        cpuUtil: [0.6, 0.6, 0.6, 0.6, 0, 0, 0.6, 0.6, 0.6, 0.6],
        nicInMbps: [40, 40, 40, 40, 0, 0, 40, 40, 40, 40],
        nicOutMbps: [30, 30, 30, 30, 0, 0, 30, 30, 30, 30],
        diskWriteMBps: [50, 50, 50, 50, 0, 0, 50, 50, 50, 50],
        diskReadMBps: [10, 10, 10, 10, 0, 0, 10, 10, 10, 10],
      },
      "app-2": {
        cpuUtil: [0.7, 0.7, 0.7, 0.7, 1, 1, 0.7, 0.7, 0.7, 0.7],
        nicInMbps: [60, 60, 60, 60, 60, 60, 60, 60, 60, 60],
        nicOutMbps: [50, 50, 50, 50, 50, 50, 50, 50, 50, 50],
      },
    },
    resilience: { retries: [0, 0, 0, 0, 1, 2, 0, 0, 0, 0], fastRejects: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
  },
  run: { wallS: 1, events: 1000, eventsPerS: 1000, simSpeedup: 10, peakMemoryMB: 100, version: "0.1.0", node: "v20" },
}

/** The fixture with changes, for one test. */
export const withChanges = (change: (r: Record<string, any>) => void): Report => {
  const copy = structuredClone(fixture) as Record<string, any>
  change(copy)
  return copy as unknown as Report
}

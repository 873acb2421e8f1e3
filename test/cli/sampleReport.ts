import type { Report } from "../../sim/report/Report.ts"

const stats = {
  served: 1297247, rejected: 3,
  queueWaitMs: { mean: 8.824, p50: 4.407, p99: 51.263, max: 108.614 },
  utilization: 0.901389,
  queueDepth: { mean: 6.359818, max: 86 },
}

/**
 * A small report (one kind, one service, one host) with the fields the CLI reads; the cast
 * leaves out what the engine adds for other readers (the visualiser, checks).
 */
export const sampleReport = (): Report => ({
  scenario: "mm8-example", seed: 7,
  window: { warmupS: 60, durationS: 1800 },
  requests: {
    ping: {
      issued: 1297264, ok: 1297235, failed: 0, rejected: 3, inFlight: 26, codes: { "0": 1297235, "-206": 3 },
      latencyMs: { mean: 18.83, p50: 15.063, p90: 39.519, p95: 48.831, p99: 69.887, p999: 99.391, max: 176.814 },
    },
  },
  services: { server: { ...stats, instances: { "app-1": stats } } },
  hosts: { "app-1": { class: "app", cores: 8, cpuUtil: 0.901389 } },
  series: {
    stepS: 1, t: [0, 1],
    kinds: { ping: { throughput: [701, 758], p50Ms: [14.631, null], p99Ms: [60.383, null] } },
    services: { server: { queueDepth: [4.862, 15.499], utilization: [0.9331, 0.8973] } },
    hosts: { "app-1": { cpuUtil: [0.9331, 0.8973] } },
  },
  run: { wallS: 0.99, events: 2683163, eventsPerS: 2710265.7, simSpeedup: 1879, peakMemoryMB: 120, version: "0.1.0", node: "v20.20.2" },
}) as unknown as Report

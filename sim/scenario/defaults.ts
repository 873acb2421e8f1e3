/**
 * Defaults that more than one place applies, each defined once: the schema's descriptions quote
 * them, the schema fills them in, and the fault actions fall back on them for hand-built specs.
 */
import type { FastRejectSpec } from "./Scenario.ts"

/** Fast reject's parameters (Svrkit's defaults as docs/model.md §2 reads them). */
export const FAST_REJECT = {
  windowS: 1, waitThresholdS: 0.02, cpuLimit: 0.95, downStep: 0.05, upStep: 0.01, minPass: 0, clientCacheS: 1,
} as const

/** Fault parameters an action may omit. */
export const FAULT = {
  /** host-down / host-up: a returning host's CPU is `coldFactor` times slower, back to normal over `coldRampS`. */
  coldFactor: 2, coldRampS: 30,
  /** nic-degrade: capacity factor, added latency (s), loss ratio. */
  nicBandwidth: 1, nicLatencyS: 0, nicLoss: 0,
  /** push-outage: how long ss5 tries before answering -203. */
  pushOutageIntervalS: 2,
  /** long-conn-blocked: how often clients poll instead. */
  pollIntervalS: 30,
  /** load: the ramp (0: a spike). */
  loadRampS: 0,
} as const

/** Fast-reject settings as a scenario or a `config` fault writes them (any may be absent). */
export interface FastRejectInput {
  readonly window?: number
  readonly waitThreshold?: number
  readonly cpuLimit?: number
  readonly down?: number
  readonly up?: number
  readonly minPass?: number
  readonly clientCache?: number
  readonly priority?: "random" | "uin"
}

/**
 * Fast reject with every absent setting at its default.
 *
 * @example
 * resolveFastReject({ cpuLimit: 0.9 }).windowS // 1
 */
export function resolveFastReject(o: FastRejectInput): FastRejectSpec {
  return {
    windowS: o.window ?? FAST_REJECT.windowS,
    waitThresholdS: o.waitThreshold ?? FAST_REJECT.waitThresholdS,
    cpuLimit: o.cpuLimit ?? FAST_REJECT.cpuLimit,
    downStep: o.down ?? FAST_REJECT.downStep,
    upStep: o.up ?? FAST_REJECT.upStep,
    minPass: o.minPass ?? FAST_REJECT.minPass,
    ...(o.priority === undefined ? {} : { priority: o.priority }),
    clientCacheS: o.clientCache ?? FAST_REJECT.clientCacheS,
  }
}

/**
 * A persistent MQ's redelivery policy (`workload.<k>.redeliver`; assumed: the seeds give none). The
 * backlog holds a million messages per instance, ~1 GB of 1 KB hand-offs on the host's disk: a
 * queue on disk is sized to outlast an outage, and at 100,000 one instance overflowed in a 30 s
 * vendor outage at 20,000 users (the ss5-outage drill, seed 4: 1.1% of pushes dropped), where
 * the age limit, not the count, is what an operator sets.
 */
export const REDELIVERY = { backlog: 1_000_000, intervalS: 1, backoff: 2, maxIntervalS: 30, maxAgeS: 3600 } as const

/** Recovery from faults: a series step with less than 99% success is "impacted" (`sim/report/recovery.ts`). */
export const DEFAULT_HEALTHY = 0.99

/**
 * The shape of `report.json` (the README, "The report: report.json").
 *
 * Everything outside `run` is a pure function of (scenario, seed, version): the engine fills it,
 * the CLI adds `run` and writes it. Times in the report are milliseconds where the field name says
 * `Ms`, seconds where it says `S`.
 */
import type { TraceSummary } from "../calibrate/trace.ts"
import type { SloResult } from "../slo/Slo.ts"
import type { RecoveryReport } from "./recovery.ts"

export interface LatencySummary {
  readonly mean: number
  readonly p50: number
  readonly p90: number
  readonly p95: number
  readonly p99: number
  readonly p999: number
  readonly max: number
}

export interface KindReport {
  /** Arrivals inside the measured window. */
  readonly issued: number
  readonly ok: number
  readonly failed: number
  readonly rejected: number
  readonly inFlight: number
  /** Final return code of each issued request that finished ("0" is success). */
  readonly codes: Readonly<Record<string, number>>
  /** The same codes as the client sees them, when an overload code is renamed (-206/-217/-216 → -1233/-1234/-1235; `clientCodes.ts`). */
  readonly clientCodes?: Readonly<Record<string, number>>
  /** Ok requests, arrival to reply. */
  readonly latencyMs: LatencySummary
  /** Traffic between users and the first tier, Mbps over the window (present when non-zero). */
  readonly edgeMbps?: { readonly up: number; readonly down: number }
  /** The MQ's redelivery (kinds with `redeliver`): messages waiting over the window and redeliveries made in it. */
  readonly redelivery?: RedeliveryReport
}

/** A persistent MQ's backlog over the measured window (`sim/request/redeliver.ts`). */
export interface RedeliveryReport {
  /** Requests sent again after waiting in the backlog. */
  readonly redelivered: number
  /** Messages waiting in the backlog, all instances together: time-averaged, largest, at the end. */
  readonly backlogMean: number
  readonly backlogMax: number
  readonly backlogEnd: number
}

export interface QueueWaitSummary {
  readonly mean: number
  readonly p50: number
  readonly p99: number
  readonly max: number
}

/**
 * The operator's `CHECK queue` view, time-averaged over the window: `ready` tasks waiting in the
 * InQueue, `reserve` workers busy (below the instance's concurrency), `qsize` the largest backlog.
 * Svrkit's `delay` and per-uin `wait` are not modelled.
 */
export interface CheckQueue {
  readonly ready: number
  readonly reserve: number
  readonly qsize: number
}

export interface ServiceStats {
  /** Requests that finished service inside the window. */
  readonly served: number
  /** Requests refused at a full InQueue inside the window. */
  readonly rejected: number
  readonly queueWaitMs: QueueWaitSummary
  /** Time-average busy workers / workers. */
  readonly utilization: number
  readonly queueDepth: { readonly mean: number; readonly max: number }
  readonly check: CheckQueue
}

export interface ServiceReport extends ServiceStats {
  readonly instances: Readonly<Record<string, ServiceStats>>
}

export interface MeanMax {
  readonly mean: number
  readonly max: number
}

export interface HostReport {
  readonly class: string
  readonly cores: number
  /** Time-average busy cores / cores. */
  readonly cpuUtil: number
  /** Hosts with a modelled NIC: Mbps per direction, mean over the window and largest step. */
  readonly nicMbps?: { readonly in: MeanMax; readonly out: MeanMax; readonly limit: number }
  /** Access hosts: ephemeral ports in use (open + TIME_WAIT), and connects refused for lack of one. */
  readonly portsInUse?: MeanMax & { readonly limit: number; readonly failures: number }
  /** Hosts with a modelled disk: MB/s. */
  readonly diskMBps?: { readonly read: MeanMax; readonly write: MeanMax; readonly limit: { readonly read: number; readonly write: number } }
  /** Seconds of the window the host was down. */
  readonly downS?: number
}

/** Counts of protective actions inside the window. */
export interface ResilienceReport {
  /** Tries after the first, each on another machine. */
  readonly retries: number
  /** Endpoints shielded by callers' leaky buckets. */
  readonly shieldActivations: number
  /** Requests refused by a server's fast reject. */
  readonly fastRejects: number
  /** Requests refused locally from a cached reject reply. */
  readonly clientRejects: number
  /** Long connections re-established by clients (after a host down, churn, or a failed connect). */
  readonly reconnects?: number
}

/** A fault of the timeline, for shading charts. */
export interface FaultReport {
  readonly action: string
  readonly target: ReadonlyArray<string>
  readonly fromS: number
  readonly toS: number
}

/**
 * Time series for the visualiser: `t` holds the start of each step in seconds from the start of
 * the run (warm-up included); every other array is aligned with it.
 */
export interface SeriesReport {
  readonly stepS: number
  readonly t: ReadonlyArray<number>
  readonly kinds: Readonly<
    Record<
      string,
      {
        /** Ok replies per second in the step. */
        readonly throughput: ReadonlyArray<number>
        readonly p50Ms: ReadonlyArray<number | null>
        readonly p95Ms: ReadonlyArray<number | null>
        readonly p99Ms: ReadonlyArray<number | null>
        /** The slowest ok request of the step (exact, not bucketed); null when none. */
        readonly maxMs?: ReadonlyArray<number | null>
        /** Tries of this kind's requests whose caller timed out, per second (retried or not): hidden by retries in the outcome. */
        readonly timeouts?: ReadonlyArray<number>
        /** Failed and rejected requests per second in the step (by the time they ended). */
        readonly failed: ReadonlyArray<number>
        readonly rejected: ReadonlyArray<number>
        /** Messages waiting in the MQ's backlog for redelivery, time-averaged over the step (kinds with `redeliver`). */
        readonly backlog?: ReadonlyArray<number>
      }
    >
  >
  readonly services: Readonly<
    Record<
      string,
      {
        /** Time-average InQueue depth over the step, summed over instances. */
        readonly queueDepth: ReadonlyArray<number>
        /** Time-average busy workers / workers over the step. */
        readonly utilization: ReadonlyArray<number>
        /** Fast reject's pass rate at the end of the step, lowest over instances (services with fast reject). */
        readonly passRate?: ReadonlyArray<number>
        /** Services with several instances: each instance's time-average InQueue depth over the step. */
        readonly instances?: Readonly<Record<string, { readonly queueDepth: ReadonlyArray<number> }>>
      }
    >
  >
  /** Per host instance: CPU (busy cores / cores), NIC Mbps, ports in use, disk MB/s, over the step. */
  readonly hosts: Readonly<Record<string, HostSeries>>
  /** Protective actions per second in the step. */
  readonly resilience: { readonly retries: ReadonlyArray<number>; readonly fastRejects: ReadonlyArray<number> }
}

export interface HostSeries {
  readonly cpuUtil: ReadonlyArray<number>
  readonly nicInMbps?: ReadonlyArray<number>
  readonly nicOutMbps?: ReadonlyArray<number>
  readonly ports?: ReadonlyArray<number>
  readonly diskWriteMBps?: ReadonlyArray<number>
  readonly diskReadMBps?: ReadonlyArray<number>
}

export interface RunInfo {
  readonly wallS: number
  readonly events: number
  readonly eventsPerS: number
  /** Simulated seconds per wall-clock second. */
  readonly simSpeedup: number
  /** Peak resident memory of the process, MB. */
  readonly peakMemoryMB: number
  readonly version: string
  readonly node: string
}

/** `warmup: auto`: where MSER-5 cut the start of the run (`sim/warmupAuto.ts`). */
export interface WarmupAutoReport {
  readonly method: "MSER-5"
  /** Seconds cut from the start: the window's `warmupS`. */
  readonly truncatedS: number
  /** The kind whose per-step mean latency the cut was chosen on. */
  readonly kind: string
  /** The series step MSER-5 batched (5 steps a batch). */
  readonly stepS: number
  /** The cut fell on the last one considered (half the run): the run is probably too short to settle. */
  readonly atLimit: boolean
}

/** One metric over the replications: the mean of the replication values and its 95% t interval. */
export interface ReplicationInterval {
  readonly mean: number
  /** Half-width of the 95% confidence interval; `null` with fewer than two values. */
  readonly halfWidth: number | null
  readonly low: number | null
  readonly high: number | null
  /** Each replication's value, in replication order; `null` where it had none (no ok requests). */
  readonly values: ReadonlyArray<number | null>
}

/** `run --replications` / `--precision`: independent replications and confidence intervals. */
export interface ReplicationsReport {
  readonly count: number
  /** Seed of each replication, in order: the scenario's seed, then derived ones (`sim/replications/seeds.ts`). */
  readonly seeds: ReadonlyArray<number>
  /** Confidence level of every interval. */
  readonly confidence: number
  /** Metric names as in SLOs: `<kind>.latency.mean` (ms), `<service>.utilization`, `<host>.cpu`, … */
  readonly metrics: Readonly<Record<string, ReplicationInterval>>
  /** With `--precision`: the stopping rule and whether it was met. */
  readonly precision?: {
    /** Target relative half-width (0.05 for 5%). */
    readonly target: number
    readonly maxReplications: number
    /** The metrics the rule applies to: each kind's latency.mean and successRate. */
    readonly keyMetrics: ReadonlyArray<string>
    readonly converged: boolean
    /** Key metrics whose half-width is still ≥ target × |mean|, or that lack an interval. */
    readonly notConverged: ReadonlyArray<string>
    /** Replications run in each batch. */
    readonly batches: ReadonlyArray<number>
  }
  /**
   * Per kind: the ok requests of every replication pooled into one HDR histogram (bucket counts
   * added, exact), and its percentiles; the same whether the replications ran in one process or
   * in shards merged by `wwsim merge`.
   */
  readonly latencyPooled?: Readonly<Record<string, PooledLatency>>
}

/** Latency of a kind's ok requests pooled over replications, ms (HDR resolution, 3 significant digits). */
export interface PooledLatency extends LatencySummary {
  readonly count: number
}

/**
 * `run --replications R --shard i/N`: the part of the replications block one shard computed,
 * for `wwsim merge` (docs/sharding.md).
 */
export interface ShardReplications {
  readonly shard: { readonly index: number; readonly count: number }
  /** R: replications of the whole run. */
  readonly total: number
  /** The scenario's seed (replication 0's); the shard's own seeds derive from it. */
  readonly scenarioSeed: number
  readonly confidence: number
  /** The shard's replications k (k mod count = index), in order: seed and `replicationValues`. */
  readonly replications: ReadonlyArray<{
    readonly index: number
    readonly seed: number
    readonly values: Readonly<Record<string, number | null>>
  }>
  /** Per kind: the shard's replications' latency histograms pooled, hdr-histogram-js compressed base64. */
  readonly histograms: Readonly<Record<string, string>>
  /** SHA-256 of the fully resolved scenario: `merge` combines only shards of one scenario. */
  readonly scenarioHash?: string
  /** SHA-256 of the rest of the shard's report.json: `merge` refuses a shard edited since. */
  readonly digest?: string
}

/** What the engine produces: the report without wall-clock figures (the run's fingerprint). */
export interface SimReport {
  readonly scenario: string
  readonly seed: number
  readonly window: { readonly warmupS: number; readonly durationS: number }
  /** Present when the scenario says `warmup: auto`. */
  readonly warmupAuto?: WarmupAutoReport
  /** Present when arrivals were replayed from an access log: which file, which window, how many. */
  readonly trace?: TraceSummary
  readonly requests: Readonly<Record<string, KindReport>>
  readonly services: Readonly<Record<string, ServiceReport>>
  readonly hosts: Readonly<Record<string, HostReport>>
  readonly resilience: ResilienceReport
  readonly faults: ReadonlyArray<FaultReport>
  readonly series: SeriesReport
}

export interface Report extends SimReport {
  /** The scenario's SLOs checked against this report (`sim/slo/evaluate.ts`); absent when it has none. */
  readonly slo?: ReadonlyArray<SloResult>
  /** Per fault, per kind and for all kinds: impact, recovery, outage and dip (`sim/report/recovery.ts`); absent without faults. */
  readonly recovery?: RecoveryReport
  /** `run --replications R` (R > 1) or `--precision`: this report is the first replication's. */
  readonly replications?: ReplicationsReport
  readonly run: RunInfo
}

/** report.json of one shard: its first replication's report and the shard's part of the replications. */
export interface PartialReport extends Omit<Report, "replications"> {
  readonly replications: ShardReplications
}

/**
 * The scenario file's sanity limits, in one place for the schema, the fault schema and the run
 * budget (`budget.ts`).
 */

/**
 * Sanity limits, refused up front so an extra zero or three fails at once instead of exhausting
 * memory or running for a week. Each is far above any deployment we model (the WeCom presets
 * have tens of hosts) yet low enough that the state the engine keeps per host, per core, per
 * service instance and per series point stays within a laptop's memory.
 */
export const LIMITS = {
  /** Host instances in total (and so per class); each carries per-core state and statistics. */
  hostInstances: 10_000,
  /** Cores per host: the largest real machines have a few hundred; 4096 leaves room. */
  coresPerHost: 4096,
  /** Requests one service instance serves at once. */
  workersPerInstance: 1_000_000,
  /** Service instances in total (each service × the hosts of its class); each has a queue and statistics. */
  serviceInstances: 100_000,
  /** Warm-up, duration and fault times: 30 days of simulated time. */
  simulatedS: 30 * 86_400,
  /** Arrivals per workload: 10^8/s is already ~10^12 events per simulated hour. */
  ratePerS: 1e8,
  /** Points per series when `series.step` is given (the default step coarsens itself). */
  seriesPoints: 100_000,
  /** Users in a population: per-user state is a few bytes each. */
  users: 10_000_000,
  /** Characters in a name: it becomes a directory (`results/<name>/`) and a report key. */
  nameLength: 64,
  /** Requests one spawn starts (recipients of a message): a group of 10^6 is far beyond any chat. */
  spawnCount: 1_000_000,
  /** A `load` fault's rate multiplier. */
  loadFactor: 1000,
  /**
   * A lognormal's coefficient of variation: σ² = ln(1 + cv²) stays below 9.3, so the sampler's
   * exp(μ + σZ) neither overflows nor loses the mean to rounding (cv 1e154 made every draw NaN).
   */
  lognormalCv: 100,
} as const


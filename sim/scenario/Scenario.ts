/**
 * The validated, unit-free scenario the engine runs.
 *
 * Every time is in seconds, every rate is per second, every size in bytes. The loader
 * (`sim/scenario/load.ts`) turns a user's YAML/JSON with units into this shape; the engine
 * never sees a unit string.
 *
 * @example
 * const s: Scenario = {
 *   name: "mm1", seed: 1, warmup: 0, duration: 60,
 *   hosts: { app: { count: 1, cores: 1 } },
 *   services: { server: { host: "app", workers: 1, queue: null, cpu: { kind: "exp", mean: 0.01 } } },
 *   workload: { ping: { rate: 50, to: "server" } },
 *   faults: [], seriesStep: null,
 * }
 */

/** A positive random variable, in seconds. */
export type Dist =
  | { readonly kind: "const"; readonly value: number }
  | { readonly kind: "exp"; readonly mean: number }
  | { readonly kind: "uniform"; readonly min: number; readonly max: number }
  | { readonly kind: "lognormal"; readonly mean: number; readonly cv: number }

/** A class of identical hosts; instances are `<class>-1 … <class>-<count>`. */
export interface HostClass {
  readonly count: number
  readonly cores: number
}

/** A Svrkit server: one instance on every host of its host class. */
export interface ServiceSpec {
  readonly host: string
  /** Requests one instance serves at once (Svrkit coroutines). */
  readonly workers: number
  /** InQueue capacity; `null` is unbounded, `0` is a loss system. */
  readonly queue: number | null
  /** CPU time per request: holds the worker and one core of its host. */
  readonly cpu: Dist
}

/** An open Poisson stream of requests of one kind to an entry service. */
export interface WorkloadSpec {
  readonly rate: number
  readonly to: string
}

/** One entry of the fault timeline; times are from the start of the run, warm-up included. */
export interface FaultSpec {
  readonly at: number
  /** `null`: to the end of the run. */
  readonly for: number | null
  readonly action: "host-down"
  /** Instances or host classes, as written by the user. */
  readonly target: ReadonlyArray<string>
}

export interface Scenario {
  readonly name: string
  readonly seed: number
  readonly warmup: number
  readonly duration: number
  readonly hosts: Readonly<Record<string, HostClass>>
  readonly services: Readonly<Record<string, ServiceSpec>>
  readonly workload: Readonly<Record<string, WorkloadSpec>>
  readonly faults: ReadonlyArray<FaultSpec>
  /** Series step in seconds; `null` picks 1 s, coarsened to keep ≤ ~2,000 points. */
  readonly seriesStep: number | null
}

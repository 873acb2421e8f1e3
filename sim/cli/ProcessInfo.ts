/**
 * What the commands read about the process and machine they run on, as a service so command
 * bodies have no side effects of their own and tests can pin the figures.
 */
import { availableParallelism } from "node:os"
import { Context, Effect, Layer } from "effect"

/**
 * The machine's cores, the process's peak memory, the Node version, the process id.
 *
 * @example
 * const { cores } = yield* ProcessInfo
 */
export class ProcessInfo extends Context.Service<ProcessInfo, {
  /** Threads worth running at once (`os.availableParallelism`). */
  readonly cores: number
  /** Peak resident memory of the whole process so far, in MB. */
  readonly peakMemoryMB: Effect.Effect<number>
  /** `process.version`, for `run.node`. */
  readonly node: string
  /** Names temporary files uniquely among processes writing the same directory. */
  readonly pid: number
}>()("wwsim/ProcessInfo") {
  /**
   * This process.
   *
   * @example
   * program.pipe(Effect.provide(ProcessInfo.layer))
   */
  static readonly layer = Layer.sync(ProcessInfo, () => ({
    cores: availableParallelism(),
    // maxRSS is in KiB
    peakMemoryMB: Effect.sync(() => Math.round(process.resourceUsage().maxRSS / 1024)),
    node: process.version,
    pid: process.pid,
  }))

  /**
   * Fixed figures, for tests.
   *
   * @example
   * program.pipe(Effect.provide(ProcessInfo.fixed({ cores: 2 })))
   */
  static readonly fixed = (over: Partial<{ cores: number; peakMemoryMB: number; node: string; pid: number }> = {}) =>
    Layer.succeed(ProcessInfo, {
      cores: over.cores ?? 2,
      peakMemoryMB: Effect.succeed(over.peakMemoryMB ?? 100),
      node: over.node ?? "v20.0.0",
      pid: over.pid ?? 1,
    })
}


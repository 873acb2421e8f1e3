import type { Uniform } from "../kernel/Random.ts"
import type { Host } from "./Host.ts"
import type { Kind } from "./Kind.ts"
import type { Service } from "./Service.ts"
import type { Users } from "./Users.ts"

/**
 * The simulated system built from a scenario (`sim/engine/build.ts`): hosts, services with
 * instances, request kinds, the user population, and the draws no single component owns.
 */
export interface Model {
  readonly hosts: ReadonlyArray<Host>
  readonly services: ReadonlyArray<Service>
  readonly kinds: ReadonlyArray<Kind>
  readonly users: Users
  /** Draws for spawned requests: whether, how many, whose uin. */
  readonly spawnStream: Uniform
  /** Draws for faults (message loss). */
  readonly faultStream: Uniform
}

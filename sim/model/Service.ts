import { Fifo } from "../kernel/Fifo.ts"
import type { Sampler } from "../kernel/Random.ts"
import { LatencyRecorder } from "../stats/LatencyRecorder.ts"
import { TimeWeighted } from "../stats/TimeWeighted.ts"
import type { Host } from "./Host.ts"
import type { Request } from "./Request.ts"

/**
 * One instance of a service on one host: a pool of workers (Svrkit coroutines) fed FIFO from an
 * optionally bounded InQueue.
 */
export class Instance {
  readonly inQueue = new Fifo<Request>()
  readonly busyWorkers = new TimeWeighted()
  readonly queueLength = new TimeWeighted()
  /** InQueue waits of requests that got a worker inside the window. */
  readonly queueWait = new LatencyRecorder()
  served = 0
  rejected = 0

  constructor(
    readonly name: string,
    readonly service: Service,
    readonly host: Host,
  ) {}
}

/** A service: its instances, one per host of its class, and what they share. */
export class Service {
  readonly instances: Instance[] = []
  /** InQueue length summed over instances, for the service-level depth. */
  readonly queueLength = new TimeWeighted()
  /** Round-robin cursor for arrivals. */
  next = 0

  constructor(
    readonly name: string,
    readonly workers: number,
    /** InQueue capacity; Infinity when unbounded. */
    readonly queueCapacity: number,
    readonly cpu: Sampler,
  ) {}

  /** Picks the instance for the next arrival, round-robin. */
  pick(): Instance {
    const i = this.next
    this.next = i + 1 === this.instances.length ? 0 : i + 1
    return this.instances[i]
  }
}

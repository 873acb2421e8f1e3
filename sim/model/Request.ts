import type { Instance } from "./Service.ts"
import type { Kind } from "./Kind.ts"

/**
 * One request in flight. Requests are pooled (see `RequestPool`) so the hot loop allocates
 * nothing per customer once the pool is warm.
 */
export class Request {
  kind: Kind = null as unknown as Kind
  /** Arrival time at the entry service: the start of the latency the client sees. */
  arrival = 0
  /** Arrived inside the measured window: counted in the request statistics. */
  counted = false
  instance: Instance = null as unknown as Instance
  /** When it joined its instance's InQueue: the start of its queue wait. */
  enqueued = 0
}

/** A free list of requests. */
export class RequestPool {
  private free: Request[] = []

  take(): Request {
    return this.free.pop() ?? new Request()
  }

  give(r: Request): void {
    this.free.push(r)
  }
}

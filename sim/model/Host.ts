import { Fifo } from "../kernel/Fifo.ts"
import { TimeWeighted } from "../stats/TimeWeighted.ts"
import type { Request } from "./Request.ts"

/**
 * One host instance: cores shared FIFO by every service instance placed on it.
 * A request that holds a worker but finds every core busy waits in `coreQueue`.
 */
export class Host {
  readonly busyCores = new TimeWeighted()
  readonly coreQueue = new Fifo<Request>()

  constructor(
    readonly name: string,
    readonly hostClass: string,
    readonly cores: number,
  ) {}
}

import { Fifo } from "../kernel/Fifo.ts"
import { TimeWeighted } from "../stats/TimeWeighted.ts"
import type { Call } from "./Call.ts"
import type { Disk, Link } from "./Link.ts"
import type { PortPool } from "./PortPool.ts"
import type { SharedCpu } from "./SharedCpu.ts"

/**
 * One host instance: cores shared FIFO by every service instance placed on it, and the limits
 * that change outcomes — NIC bandwidth per direction, ephemeral ports (access hosts), disk.
 */
export class Host {
  readonly busyCores = new TimeWeighted()
  /** Calls that hold a worker but wait for a core. */
  readonly coreQueue = new Fifo<Call>()
  /** `scheduling: ps`: the cores shared among all calls wanting CPU; null: FIFO (`coreQueue`). */
  sharedCpu: SharedCpu | null = null
  /** Position in the model's host list (what a CPU_SHARED_DONE event names). */
  id = 0
  down = false
  /** When the host last went down. */
  downAt = 0
  /** Bumped when the host goes down: calls that arrived in an earlier epoch are lost. */
  epoch = 0
  /** Cold start: CPU is `coldFactor` times slower at `coldFrom`, back to normal by `coldUntil`. */
  coldFactor = 1
  coldFrom = 0
  coldUntil = 0
  /** nic-degrade: seconds added to every message in or out, and the share of messages lost. */
  extraLatency = 0
  loss = 0
  /** partition: hosts this one cannot exchange messages with. */
  readonly partitioned = new Set<Host>()

  /** How many times slower than nominal the host's CPU is at `now` (1 unless it is warming up). */
  cpuFactor(now: number): number {
    if (now >= this.coldUntil) return 1
    return 1 + ((this.coldFactor - 1) * (this.coldUntil - now)) / (this.coldUntil - this.coldFrom)
  }

  /** CPU integral at the last series step, and the utilisation over that step (for fast reject). */
  cpuAreaAtStep = 0
  cpuUtilAtStep = 0

  constructor(
    readonly name: string,
    readonly hostClass: string,
    /** Position within its class, from 0. */
    readonly index: number,
    readonly cores: number,
    readonly nicIn: Link | null,
    readonly nicOut: Link | null,
    readonly ports: PortPool | null,
    readonly disk: Disk | null,
  ) {}
}

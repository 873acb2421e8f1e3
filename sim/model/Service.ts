import { Fifo } from "../kernel/Fifo.ts"
import type { Sampler } from "../kernel/Random.ts"
import { LatencyRecorder } from "../stats/LatencyRecorder.ts"
import { TimeWeighted } from "../stats/TimeWeighted.ts"
import type { Call } from "./Call.ts"
import type { CallNode } from "./CallNode.ts"
import type { FastReject } from "./FastReject.ts"
import type { HashRing } from "./HashRing.ts"
import type { Host } from "./Host.ts"
import type { ShieldTable } from "./Shield.ts"

/**
 * One instance of a service on one host: a pool of workers (Svrkit coroutines) fed FIFO from an
 * optionally bounded InQueue.
 */
export class Instance {
  readonly inQueue = new Fifo<Call>()
  readonly busyWorkers = new TimeWeighted()
  readonly queueLength = new TimeWeighted()
  /** InQueue waits of calls that got a worker inside the window. */
  readonly queueWait = new LatencyRecorder()
  served = 0
  rejected = 0
  /** Bumped when the instance loses its work (host down, worker crash): older calls are lost. */
  epoch = 0
  /** service-crash: every call is answered with a fast reject (-218). */
  crashed = false

  constructor(
    readonly name: string,
    /** Position within the service's instances, from 0. */
    readonly index: number,
    readonly service: Service,
    readonly host: Host,
    public fastReject: FastReject | null,
  ) {}
}

/** A service: its instances, one per host of its class, and what its callers share about it. */
export class Service {
  readonly instances: Instance[] = []
  /** InQueue length summed over instances, for the service-level depth. */
  readonly queueLength = new TimeWeighted()
  /** Round-robin cursor. */
  next = 0
  ring: HashRing | null = null
  /** Each uin's own instance on the ring, memoised (+1; 0 = not yet looked up): the ring never changes. */
  ringOwner: Uint16Array | null = null
  /** Callers' automatic and operator shields of this service's instances. */
  shields: ShieldTable | null = null
  /** Draws for fast-reject admission and client-side reject caching. */
  admission: Sampler = Math.random
  /** Active/standby behind a VIP: the takeover delay, and the instance holding the VIP. */
  vipFailover: number | null = null
  vipActive = 0
  /** Extra CPU time, s, of a call that finds a free worker and its host's cores idle (`ServiceSpec.wakeup`). */
  wakeup = 0
  /** Queued calls older than this are dropped when a worker frees up (their client gave up). */
  dropAfter = Infinity
  /** Fast reject admits by the request's uin priority (the same at every hop) instead of at random. */
  uinPriority = false
  /** How long callers keep a reject reply and reject locally. */
  clientCacheS = 1
  /**
   * Client-side fast reject: per (calling machine, instance) slot, at `callerSlot · instances + i`,
   * callers reject locally until `clientRejectUntil` with the pass rate the cached reject carried.
   * Seed 004: the reject is reported to the machine's agent and published in its shared memory, so
   * every process of a calling machine sees it and no other machine does. `callerSlots` is 1 when
   * the cache is kept per instance for every caller (`clientCacheScope: callee`).
   */
  clientRejectUntil = new Float64Array(0)
  clientRejectPass = new Float64Array(0)
  callerSlots = 1
  /** push-outage: the external system behind this service's calls is unreachable; they fail (-203) after this long. */
  externalDownFor = 0
  /** Every call site that calls this service (for `config` faults). */
  readonly callSites: CallNode[] = []

  constructor(
    readonly name: string,
    readonly workers: number,
    /** InQueue capacity; Infinity when unbounded. */
    readonly queueCapacity: number,
    readonly cpu: Sampler,
  ) {}
}

import type { CallNode } from "./CallNode.ts"
import type { Host } from "./Host.ts"
import type { Kind } from "./Kind.ts"
import type { Instance } from "./Service.ts"

/** Most tries a call may make (the scenario schema's limit). */
export const MAX_TRIES = 10

/**
 * One try of one RPC in a request's call tree, from the callee's side; the origin of a request is
 * a Call too (no instance), so timeouts, retries and the final code live in one place: the parent.
 *
 * Calls are pooled. A call returns to the pool only once it is finished, no pending event refers
 * to it (`events`), and its caller no longer waits for it, so a reply from an abandoned try never
 * reaches a recycled call. Timers do not hold a call: they remember its `gen`, and a recycled call
 * has a new one.
 */
export class Call {
  /** The call's place in its pool, for good: events name calls by it. */
  constructor(readonly id: number) {}

  kind: Kind = null as unknown as Kind
  node: CallNode = null as unknown as CallNode
  /** The caller; `null` for a request's origin. */
  parent: Call | null = null
  /** Where the call runs; `null` for an origin. */
  instance: Instance | null = null
  /** The host the call was made from (`null`: a client on the internet). */
  from: Host | null = null
  uin = 0
  /** Latency starts here: the request's arrival (or its origin's, for a push). */
  arrival = 0
  counted = false
  /** The instance's epoch when the call arrived: an instance that lost its work since lost the call. */
  epoch = 0
  /** The host's epoch when the call arrived: a core it holds is the host's only while they match. */
  hostEpoch = 0
  /** An origin's delivery to the user, when it waits for the user's next poll (long connection blocked). */
  deliverAt = 0
  /** A failure decided while the call still runs (push-outage's -203), reported when it completes. */
  pendingCode = 0
  enqueued = 0
  /** Next child call to make. */
  childIndex = 0
  /** The child try this call awaits; `null` when not waiting. */
  waiting: Call | null = null
  /** Tries made so far for the current child; `tried[0 … tries−1]` are the instances they went to. */
  tries = 0
  readonly tried = new Int32Array(MAX_TRIES)
  /** Result of this call as the reply will carry it. */
  code = 0
  /** The code comes from a downstream failure: the caller must not retry it. */
  propagated = false
  /** An access-host port this try holds until its reply (short connections). */
  portHost: Host | null = null
  portEpoch = 0
  /** An origin's redeliveries so far (`sim/request/redeliver.ts`), and the instance holding it meanwhile (−1: none). */
  redeliveries = 0
  parkedAt = -1
  /** The upstream destination the port was taken toward (`ports.per: destination`). */
  portDest = 0
  events = 0
  finished = false
  worker = false
  pooled = false
  /** Bumped each time the call is taken from the pool. */
  gen = 0
}

/** Every call made so far, and a free list of those finished. */
export class CallPool {
  private readonly all: Call[] = []
  private free: Call[] = []

  /** The call whose `id` this is. */
  at(id: number): Call {
    return this.all[id]
  }

  take(): Call {
    let c = this.free.pop()
    if (c === undefined) {
      c = new Call(this.all.length)
      this.all.push(c)
    }
    c.pooled = false
    c.gen++
    c.parent = null
    c.instance = null
    c.from = null
    c.waiting = null
    c.childIndex = 0
    c.tries = 0
    c.code = 0
    c.propagated = false
    c.portHost = null
    c.pendingCode = 0
    c.deliverAt = 0
    c.redeliveries = 0
    c.parkedAt = -1
    c.events = 0
    c.finished = false
    c.worker = false
    return c
  }

  /** Returns a call to the pool if nothing refers to it any more. */
  release(c: Call): void {
    if (c.finished && c.events === 0 && !c.pooled && (c.parent === null || c.parent.waiting !== c)) {
      c.pooled = true
      this.free.push(c)
    }
  }

  /** The call is over (answered, lost or abandoned): back to the pool once nothing refers to it. */
  finish(c: Call): void {
    c.finished = true
    this.release(c)
  }

  /** Forgets a call lost with its host or worker: it holds no worker any more. */
  drop(c: Call): void {
    c.finished = true
    c.worker = false
    this.release(c)
  }
}

/** The call ran on an instance that has lost its work (host down, worker crash) since it arrived. */
export function isLost(c: Call): boolean {
  return c.instance !== null && c.epoch !== c.instance.epoch
}

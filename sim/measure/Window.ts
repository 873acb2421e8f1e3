import { isOverload } from "../model/Code.ts"
import type { Host } from "../model/Host.ts"
import type { Kind } from "../model/Kind.ts"
import type { Model } from "../model/Model.ts"
import type { Instance } from "../model/Service.ts"

/** Counts of the Svrkit client's and server's protective actions since time 0. */
export interface Resilience {
  retries: number
  fastRejects: number
  clientRejects: number
  reconnects: number
}

/**
 * The measured window, [start, end): the only code that knows about warm-up. Stages report what
 * happened through the functions below, with the time; these decide what counts. The rules:
 *
 * - a request is counted (issued, its outcome and latency) when it *arrived* in the window, so
 *   each counted request has one outcome; the series steps record every reply, whatever its arrival;
 * - a server's counters (served, rejected, InQueue waits) and edge bytes count events in the window;
 * - time-weighted values (busy workers and cores, queue lengths) run from time 0, and the window
 *   takes their integrals from its start (`startWindow`);
 * - resilience counters run from time 0 too; the report gives their increase over the window.
 *
 * Like OMNeT++'s recorders, the stages only emit; the warm-up is applied here.
 *
 * @example
 * const w = new Window(60, 660) // 1 min warm-up, 10 min measured
 * served(w, inst, now)          // counted only once now ≥ 60 s
 */
export class Window {
  readonly resilience: Resilience = { retries: 0, fastRejects: 0, clientRejects: 0, reconnects: 0 }
  /** The counters when the window started, and the shields' activations then. */
  readonly atStart: Resilience = { retries: 0, fastRejects: 0, clientRejects: 0, reconnects: 0 }
  shieldActivationsAtStart = 0

  constructor(
    readonly start: number,
    readonly end: number,
  ) {}
}

// ---- requests -------------------------------------------------------------------------------

/** A request arrived at `arrival`: returns whether it is counted, and counts it as issued if so. */
export function requestIssued(w: Window, kind: Kind, arrival: number): boolean {
  const counted = arrival >= w.start
  if (counted) kind.issued++
  return counted
}

/** A request ended ok after `latency` seconds; `counted` as `requestIssued` said. */
export function requestOk(kind: Kind, latency: number, counted: boolean): void {
  if (counted) {
    kind.ok++
    kind.stepLatency.recordBoth(kind.latency, latency)
  } else {
    kind.stepLatency.record(latency)
  }
}

/** A request ended with a non-zero code: rejected (overload) or failed. */
export function requestFailed(kind: Kind, code: number, counted: boolean): void {
  const overload = isOverload(code)
  if (overload) kind.stepRejected++
  else kind.stepFailed++
  if (!counted) return
  if (overload) kind.rejected++
  else kind.failed++
  kind.codes.set(code, (kind.codes.get(code) ?? 0) + 1)
}

/** Bytes from a user into the access tier. */
export function edgeUp(w: Window, kind: Kind, bytes: number, now: number): void {
  if (now >= w.start) kind.edgeUpBytes += bytes
}

/** Bytes from the access tier to a user: a reply or a push. */
export function edgeDown(w: Window, kind: Kind, bytes: number, now: number): void {
  if (now >= w.start) kind.edgeDownBytes += bytes
}

// ---- servers --------------------------------------------------------------------------------

/** An instance finished a call (ok or failed). */
export function served(w: Window, inst: Instance, now: number): void {
  if (now >= w.start) inst.served++
}

/** An instance refused a call: fast reject or a full InQueue. */
export function rejected(w: Window, inst: Instance, now: number): void {
  if (now >= w.start) inst.rejected++
}

/** A call got a worker at once, without waiting in the InQueue. */
export function waitedNone(w: Window, inst: Instance, now: number): void {
  if (now >= w.start) inst.queueWait.recordZero()
}

/** A call got a worker after `wait` seconds in the InQueue. */
export function waited(w: Window, inst: Instance, wait: number, now: number): void {
  if (now >= w.start) inst.queueWait.record(wait)
}

/** Workers taken (+) or freed (−). */
export function workersBusy(inst: Instance, now: number, delta: number): void {
  inst.busyWorkers.add(now, delta)
}

/** Calls put in (+) or taken out of (−) an instance's InQueue; the service's total follows. */
export function queued(inst: Instance, now: number, delta: number): void {
  inst.queueLength.add(now, delta)
  inst.service.queueLength.add(now, delta)
}

/** An instance lost its work: its InQueue is empty and no worker busy. */
export function instanceCleared(inst: Instance, now: number): void {
  inst.service.queueLength.add(now, -inst.queueLength.value)
  inst.queueLength.set(now, 0)
  inst.busyWorkers.set(now, 0)
}

/** Cores taken (+) or freed (−). */
export function coresBusy(host: Host, now: number, delta: number): void {
  host.busyCores.add(now, delta)
}

/** A host went down: no core busy. */
export function coresCleared(host: Host, now: number): void {
  host.busyCores.set(now, 0)
}

// ---- resilience -----------------------------------------------------------------------------

export function retried(w: Window): void {
  w.resilience.retries++
}

export function fastRejected(w: Window): void {
  w.resilience.fastRejects++
}

export function clientRejected(w: Window): void {
  w.resilience.clientRejects++
}

/** A client's long connection was re-established (after a drop, churn or a failed connect). */
export function reconnected(w: Window): void {
  w.resilience.reconnects++
}

/** Shield activations by every caller of every service since time 0. */
export function shieldActivations(model: Model): number {
  let n = 0
  // A failed probe shields the endpoint again: that is an activation too.
  for (const s of model.services) n += (s.shields?.activations ?? 0) + (s.shields?.reshields ?? 0)
  return n
}

/** The window opens: counters are read from here, time-weighted values integrate from here. */
export function startWindow(w: Window, model: Model, now: number): void {
  Object.assign(w.atStart, w.resilience)
  w.shieldActivationsAtStart = shieldActivations(model)
  for (const host of model.hosts) {
    host.busyCores.startWindow(now)
    host.nicIn?.startWindow(now)
    host.nicOut?.startWindow(now)
    host.ports?.startWindow(now)
    host.disk?.startWindow(now)
  }
  for (const kind of model.kinds) {
    const mq = kind.redelivery
    if (mq === null) continue
    mq.backlog.startWindow(now)
    mq.redeliveredAtStart = mq.redelivered
  }
  for (const service of model.services) {
    service.queueLength.startWindow(now)
    for (const inst of service.instances) {
      inst.busyWorkers.startWindow(now)
      inst.queueLength.startWindow(now)
    }
  }
}

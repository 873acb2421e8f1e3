import { coresCleared, instanceCleared } from "../measure/Window.ts"
import type { CallPool } from "../model/Call.ts"
import { FastReject } from "../model/FastReject.ts"
import type { Host } from "../model/Host.ts"
import type { Model } from "../model/Model.ts"
import type { Instance } from "../model/Service.ts"
import { TimerList } from "../model/TimerList.ts"
import type { FaultSpec } from "../scenario/Scenario.ts"
import type { FaultEvent, FaultState } from "./timeline.ts"
import { FAULT } from "../scenario/defaults.ts"

/**
 * Applies one edge of a fault (its start, or its end) to the model at `now`. `pool` is where
 * calls lost with a host or a crashed worker go back.
 *
 * @example
 * for (const e of faults.ordered()) applyFault(e, e.at, model, pool) // in the engine: one FAULT event each
 */
export function applyFault(e: FaultEvent, now: number, model: Model, pool: CallPool): void {
  const { fault: f, state: s } = e
  const start = e.phase === "start"
  switch (f.action) {
    case "host-down":
      for (const h of s.hosts) {
        if (start) hostDown(model, pool, h, now)
        else hostUp(model, h, now, f.factor, f.ramp)
      }
      return
    case "host-up":
      for (const h of s.hosts) hostUp(model, h, now, f.factor, f.ramp)
      return
    case "service-crash":
      for (const inst of s.instances) {
        if (start) crash(pool, inst, now)
        else inst.crashed = false
      }
      return
    case "nic-degrade":
      for (const h of s.hosts) {
        const factor = start ? (f.bandwidth ?? FAULT.nicBandwidth) : 1
        h.nicIn?.setCapacityFactor(factor)
        h.nicOut?.setCapacityFactor(factor)
        h.extraLatency = start ? (f.latency ?? FAULT.nicLatencyS) : 0
        h.loss = start ? (f.loss ?? FAULT.nicLoss) : 0
      }
      return
    case "disk-slow":
      for (const h of s.hosts) if (h.disk !== null) h.disk.slowFactor = start ? (f.factor ?? 1) : 1
      return
    case "partition":
      for (const a of s.hosts) {
        for (const b of s.peers) {
          if (start) {
            a.partitioned.add(b)
            b.partitioned.add(a)
          } else {
            a.partitioned.delete(b)
            b.partitioned.delete(a)
          }
        }
      }
      return
    case "push-outage":
      for (const svc of s.services) svc.externalDownFor = start ? (f.interval ?? FAULT.pushOutageIntervalS) : 0
      return
    case "long-conn-blocked":
      model.users.pollInterval = start ? (f.interval ?? FAULT.pollIntervalS) : 0
      return
    case "shield":
      for (const inst of s.instances) {
        const shields = inst.service.shields
        if (shields === null) continue
        if (f.percent === undefined) shields.globalShield(inst.index, start)
        else shields.setPercentSkip(inst.index, start ? f.percent * 100 : 0)
      }
      return
    case "config":
      if (start) configure(f, s, now)
      else for (const restore of s.saved.splice(0)) restore()
      return
    case "load":
    case "login-storm":
    case "replay":
      return
  }
}

/**
 * Takes a host down: everything queued or running on it is lost (callers find out by timeout),
 * its workers and cores are free again for when it returns, its users reconnect elsewhere.
 */
function hostDown(model: Model, pool: CallPool, host: Host, now: number): void {
  if (host.down) return
  host.down = true
  host.downAt = now
  host.epoch++
  for (const service of model.services) for (const inst of service.instances) if (inst.host === host) inst.epoch++
  host.coreQueue.drain((c) => pool.drop(c))
  host.sharedCpu?.clear(now, (c) => pool.drop(c))
  coresCleared(host, now)
  host.ports?.reset(now)
  for (const service of model.services) {
    for (const inst of service.instances) {
      if (inst.host !== host) continue
      inst.inQueue.drain((c) => pool.drop(c))
      instanceCleared(inst, now)
    }
  }
  model.users.hostDown(host, now)
}

/** A host returns, cold: its CPU is `coldFactor` times slower at first, normal after `coldFor`. */
function hostUp(model: Model, host: Host, now: number, coldFactor = 1, coldFor = 0): void {
  if (!host.down) return
  host.down = false
  if (coldFactor > 1 && coldFor > 0) {
    host.coldFactor = coldFactor
    host.coldFrom = now
    host.coldUntil = now + coldFor
  }
  model.users.hostUp(host, now)
}

/** A module's workers core-dump: its work in flight is lost and, until the fault ends, calls get -218. */
function crash(pool: CallPool, inst: Instance, now: number): void {
  inst.epoch++
  inst.crashed = true
  inst.inQueue.drain((c) => pool.drop(c))
  instanceCleared(inst, now)
}

/** Applies a `config` fault, remembering how to undo it. */
function configure(f: FaultSpec, s: FaultState, now: number): void {
  for (const svc of s.services) {
    for (const node of svc.callSites) {
      const { tries, timeout, timers } = node
      s.saved.push(() => {
        node.tries = tries
        node.timeout = timeout
        node.timers = timers
      })
      if (f.tries !== undefined) node.tries = f.tries
      if (f.timeout !== undefined && f.timeout !== node.timeout) {
        // A new list: the old one's deadlines stay in order and drain by themselves.
        node.timeout = f.timeout
        node.timers = f.timeout === null ? null : new TimerList(f.timeout)
      }
    }
  }
  if (f.fastReject === undefined) return
  for (const inst of s.instances) {
    const before = inst.fastReject
    s.saved.push(() => {
      inst.fastReject = before
    })
    inst.fastReject = f.fastReject === null ? null : new FastReject({ ...f.fastReject, enabled: true }, now)
  }
}

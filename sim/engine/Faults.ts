import { FastReject } from "../model/FastReject.ts"
import type { Host } from "../model/Host.ts"
import type { Instance, Service } from "../model/Service.ts"
import type { FaultSpec } from "../scenario/Scenario.ts"
import type { Model } from "./Model.ts"
import { TimerList } from "./Timers.ts"

/** What a fault needs from the engine to act. */
export interface FaultTarget {
  readonly model: Model
  pollInterval: number
  hostDown(host: Host, now: number): void
  hostUp(host: Host, now: number, coldFactor?: number, coldFor?: number): void
  crash(inst: Instance, now: number): void
  recover(inst: Instance): void
}

/** One edge of a fault on the timeline: its start, or its end when it has a duration. */
export interface FaultEvent {
  readonly at: number
  readonly fault: FaultSpec
  readonly phase: "start" | "end"
  /** The fault's resolved hosts, services and instances, and what its start replaced (for the end). */
  readonly state: FaultState
}

interface FaultState {
  hosts: Host[]
  peers: Host[]
  services: Service[]
  instances: Instance[]
  saved: Array<() => void>
}

/** A fault as the report lists it, for shading the visualiser's charts. */
export interface FaultWindow {
  readonly action: string
  readonly target: ReadonlyArray<string>
  readonly fromS: number
  readonly toS: number
}

/**
 * The fault timeline: each fault resolved to what it touches (hosts by instance or class,
 * services, their instances) and split into start and end events. Rate-changing actions (`load`,
 * `login-storm`, `replay`) act through the kinds' load profiles (`Load.ts`) and need no event.
 *
 * @example
 * const faults = new Faults(model, [{ at: 300, for: 120, action: "host-down", target: ["storage-1"] }], 1800)
 * faults.events.length // 2: down at 300 s, up at 420 s
 */
export class Faults {
  readonly events: FaultEvent[] = []
  readonly windows: FaultWindow[] = []

  constructor(model: Model, specs: ReadonlyArray<FaultSpec>, end: number) {
    for (const fault of specs) {
      const services = model.services.filter((s) => fault.target.includes(s.name))
      const hostFilter = fault.hosts === undefined ? null : resolveHosts(model.hosts, fault.hosts)
      const state: FaultState = {
        hosts: resolveHosts(model.hosts, fault.target),
        peers: resolveHosts(model.hosts, fault.peer ?? []),
        services,
        instances: services.flatMap((s) => s.instances.filter((i) => hostFilter === null || hostFilter.includes(i.host))),
        saved: [],
      }
      const until = fault.for === null ? end : Math.min(end, fault.at + fault.for)
      this.windows.push({ action: fault.action, target: fault.target, fromS: fault.at, toS: fault.action === "host-up" ? fault.at : until })
      if (fault.action === "load" || fault.action === "login-storm" || fault.action === "replay") continue
      this.events.push({ at: fault.at, fault, phase: "start", state })
      if (fault.for !== null && fault.action !== "host-up") this.events.push({ at: fault.at + fault.for, fault, phase: "end", state })
    }
  }

  /** Seconds of [from, to] during which `host` was down by a host-down fault. */
  downSeconds(host: Host, from: number, to: number): number {
    let total = 0
    for (const e of this.events) {
      if (e.phase !== "start" || e.fault.action !== "host-down" || !e.state.hosts.includes(host)) continue
      const end = e.fault.for === null ? to : e.at + e.fault.for
      total += Math.max(0, Math.min(end, to) - Math.max(e.at, from))
    }
    return total
  }

  apply(e: FaultEvent, now: number, engine: FaultTarget): void {
    const { fault: f, state: s } = e
    const start = e.phase === "start"
    switch (f.action) {
      case "host-down":
        for (const h of s.hosts) {
          if (start) engine.hostDown(h, now)
          else engine.hostUp(h, now, f.factor, f.ramp)
        }
        return
      case "host-up":
        for (const h of s.hosts) engine.hostUp(h, now, f.factor, f.ramp)
        return
      case "service-crash":
        for (const inst of s.instances) {
          if (start) engine.crash(inst, now)
          else engine.recover(inst)
        }
        return
      case "nic-degrade":
        for (const h of s.hosts) {
          const factor = start ? (f.bandwidth ?? 1) : 1
          h.nicIn?.setCapacityFactor(factor)
          h.nicOut?.setCapacityFactor(factor)
          h.extraLatency = start ? (f.latency ?? 0) : 0
          h.loss = start ? (f.loss ?? 0) : 0
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
        for (const svc of s.services) svc.externalDownFor = start ? (f.interval ?? 2) : 0
        return
      case "long-conn-blocked":
        engine.pollInterval = start ? (f.interval ?? 30) : 0
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
        if (start) this.configure(f, s, now)
        else for (const restore of s.saved.splice(0)) restore()
        return
      case "load":
      case "login-storm":
      case "replay":
        return
    }
  }

  /** Applies a `config` fault, remembering how to undo it. */
  private configure(f: FaultSpec, s: FaultState, now: number): void {
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
}

/** Hosts named by a fault target: instance names (`storage-1`) or host classes (`storage`). */
export function resolveHosts(hosts: ReadonlyArray<Host>, target: ReadonlyArray<string>): Host[] {
  const out: Host[] = []
  for (const name of target) {
    for (const h of hosts) if ((h.name === name || h.hostClass === name) && !out.includes(h)) out.push(h)
  }
  return out
}

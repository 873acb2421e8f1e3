import type { Host } from "../model/Host.ts"
import type { Model } from "../model/Model.ts"
import type { Instance, Service } from "../model/Service.ts"
import type { FaultSpec } from "../scenario/Scenario.ts"

/** One edge of a fault on the timeline: its start, or its end when it has a duration. */
export interface FaultEvent {
  readonly at: number
  readonly fault: FaultSpec
  readonly phase: "start" | "end"
  /** The fault's resolved hosts, services and instances, and what its start replaced (for the end). */
  readonly state: FaultState
}

export interface FaultState {
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
 * services, their instances) and split into start and end events, which `actions.ts` applies.
 * Rate-changing actions (`load`, `login-storm`, `replay`) act through the kinds' load profiles
 * (`load.ts`) and need no event.
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

  /** The events in time order; at equal times a fault's end comes before another's start. */
  ordered(): FaultEvent[] {
    return [...this.events].sort((a, b) => a.at - b.at || (a.phase === "end" ? -1 : 1) - (b.phase === "end" ? -1 : 1))
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
}

/** Hosts named by a fault target: instance names (`storage-1`) or host classes (`storage`). */
export function resolveHosts(hosts: ReadonlyArray<Host>, target: ReadonlyArray<string>): Host[] {
  const out: Host[] = []
  for (const name of target) {
    for (const h of hosts) if ((h.name === name || h.hostClass === name) && !out.includes(h)) out.push(h)
  }
  return out
}

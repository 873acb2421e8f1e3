import type { Host } from "../model/Host.ts"
import type { FaultSpec } from "../scenario/Scenario.ts"
import type { Model } from "./Model.ts"

/** What a fault needs from the engine to act. */
export interface FaultTarget {
  hostDown(host: Host, now: number): void
  hostUp(host: Host, now: number): void
}

/** One edge of a fault on the timeline: its start, or its end when it has a duration. */
export interface FaultEvent {
  readonly at: number
  readonly fault: FaultSpec
  readonly hosts: ReadonlyArray<Host>
  readonly phase: "start" | "end"
}

/** A fault as the report lists it, for shading the visualiser's charts. */
export interface FaultWindow {
  readonly action: string
  readonly target: ReadonlyArray<string>
  readonly fromS: number
  readonly toS: number
}

/**
 * The fault timeline: every fault of the scenario resolved to its hosts (an instance name, a host
 * class, or a list of them) and split into start and end events. New actions slot in as a case of
 * `apply`.
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
      const hosts = resolveHosts(model.hosts, fault.target)
      this.events.push({ at: fault.at, fault, hosts, phase: "start" })
      const until = fault.for === null ? end : Math.min(end, fault.at + fault.for)
      if (fault.for !== null) this.events.push({ at: fault.at + fault.for, fault, hosts, phase: "end" })
      this.windows.push({ action: fault.action, target: fault.target, fromS: fault.at, toS: until })
    }
  }

  /** Seconds of [from, to] during which `host` was down by a host-down fault. */
  downSeconds(host: Host, from: number, to: number): number {
    let total = 0
    for (const e of this.events) {
      if (e.phase !== "start" || e.fault.action !== "host-down" || !e.hosts.includes(host)) continue
      const end = e.fault.for === null ? to : e.at + e.fault.for
      total += Math.max(0, Math.min(end, to) - Math.max(e.at, from))
    }
    return total
  }

  apply(e: FaultEvent, now: number, target: FaultTarget): void {
    switch (e.fault.action) {
      case "host-down":
        for (const h of e.hosts) {
          if (e.phase === "start") target.hostDown(h, now)
          else target.hostUp(h, now)
        }
        return
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

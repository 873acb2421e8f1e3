import { RandomStreams, sampler } from "../kernel/Random.ts"
import type { Scenario } from "../scenario/Scenario.ts"
import { Host } from "../model/Host.ts"
import { Kind } from "../model/Kind.ts"
import { Instance, Service } from "../model/Service.ts"

/** The simulated system built from a scenario: hosts, services with instances, request kinds. */
export interface Model {
  readonly hosts: ReadonlyArray<Host>
  readonly services: ReadonlyArray<Service>
  readonly kinds: ReadonlyArray<Kind>
}

/**
 * Instantiates a scenario: `<class>-<n>` hosts, one instance of each service on every host of its
 * class, one random stream per service and per workload.
 *
 * @example
 * const model = buildModel(scenario)
 * model.services[0].instances.length // = hosts[service.host].count
 */
export function buildModel(scenario: Scenario): Model {
  const streams = new RandomStreams(scenario.seed)
  const hostsByClass = new Map<string, Host[]>()
  const hosts: Host[] = []
  for (const [cls, spec] of Object.entries(scenario.hosts)) {
    const list: Host[] = []
    for (let n = 1; n <= spec.count; n++) list.push(new Host(`${cls}-${n}`, cls, spec.cores))
    hostsByClass.set(cls, list)
    hosts.push(...list)
  }
  const services: Service[] = []
  const byName = new Map<string, Service>()
  for (const [name, spec] of Object.entries(scenario.services)) {
    const cpu = sampler(spec.cpu, streams.stream(`service:${name}:cpu`))
    const service = new Service(name, spec.workers, spec.queue ?? Infinity, cpu)
    for (const host of hostsByClass.get(spec.host) ?? []) {
      service.instances.push(new Instance(host.name, service, host))
    }
    services.push(service)
    byName.set(name, service)
  }
  const kinds: Kind[] = []
  for (const [name, spec] of Object.entries(scenario.workload)) {
    const entry = byName.get(spec.to)
    if (entry === undefined) throw new Error(`workload ${name}: unknown service ${spec.to}`)
    const interarrival = sampler({ kind: "exp", mean: 1 / spec.rate }, streams.stream(`workload:${name}:arrivals`))
    kinds.push(new Kind(name, entry, interarrival))
  }
  return { hosts, services, kinds }
}

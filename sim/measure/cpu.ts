import type { Model } from "../model/Model.ts"

/**
 * At each series step: each host's CPU use over the step just closed, read from its busy-cores
 * integral, fed to the fast-reject controllers of the instances on it (their `cpuLimit`).
 *
 * @example
 * observeCpu(model, now, 1) // every step of 1 s
 */
export function observeCpu(model: Model, now: number, step: number): void {
  for (const host of model.hosts) {
    const util = host.busyCores.areaAt(now) - host.cpuAreaAtStep
    host.cpuAreaAtStep += util
    host.cpuUtilAtStep = util / (host.cores * step)
  }
  for (const service of model.services) {
    for (const inst of service.instances) inst.fastReject?.observeCpu(now, inst.host.cpuUtilAtStep)
  }
}

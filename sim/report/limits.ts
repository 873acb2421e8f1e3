import type { HostReport, Report } from "./Report.ts"

/** One resource of one host, as a fraction of its limit. */
export interface Usage {
  readonly host: string
  readonly resource: "cpu" | "nic in" | "nic out" | "ports" | "disk write" | "disk read" | "workers"
  /** Mean over the window / limit (ports: the peak, since a connect fails at the peak). */
  readonly fraction: number
  /** The service whose workers are busiest on this host's class, for `workers`. */
  readonly detail?: string
}

/** Every limited resource of a host with its use over the window. */
export function hostUsage(name: string, h: HostReport): Usage[] {
  const out: Usage[] = [{ host: name, resource: "cpu", fraction: h.cpuUtil }]
  if (h.nicMbps !== undefined) {
    out.push({ host: name, resource: "nic in", fraction: h.nicMbps.in.mean / h.nicMbps.limit })
    out.push({ host: name, resource: "nic out", fraction: h.nicMbps.out.mean / h.nicMbps.limit })
  }
  if (h.portsInUse !== undefined) out.push({ host: name, resource: "ports", fraction: h.portsInUse.max / h.portsInUse.limit })
  if (h.diskMBps !== undefined) {
    out.push({ host: name, resource: "disk write", fraction: h.diskMBps.write.mean / h.diskMBps.limit.write })
    out.push({ host: name, resource: "disk read", fraction: h.diskMBps.read.mean / h.diskMBps.limit.read })
  }
  return out
}

/**
 * Per host class (tier), the resource closest to its limit: the one that binds first as load
 * grows. Service workers count too (queueing binds when a pool of coroutines is full first).
 *
 * @example
 * bindingLimits(report).get("access") // { host: "access-1", resource: "ports", fraction: 0.71 }
 */
export function bindingLimits(report: Report): Map<string, Usage> {
  const byClass = new Map<string, Usage>()
  const consider = (cls: string, u: Usage) => {
    const best = byClass.get(cls)
    if (best === undefined || u.fraction > best.fraction) byClass.set(cls, u)
  }
  for (const [name, h] of Object.entries(report.hosts)) for (const u of hostUsage(name, h)) consider(h.class, u)
  for (const [service, s] of Object.entries(report.services)) {
    for (const [instance, i] of Object.entries(s.instances)) {
      const cls = report.hosts[instance]?.class
      if (cls !== undefined) consider(cls, { host: instance, resource: "workers", fraction: i.utilization, detail: service })
    }
  }
  return byClass
}

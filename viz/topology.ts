/**
 * The topology view's model: tiers (users, then each host class in report order) as columns,
 * hosts as boxes with their most-used resource, and edges between neighbouring tiers sized by
 * the traffic the report lets us derive.
 *
 * What is derivable: the report has per-host NIC totals and per-kind user↔first-tier traffic,
 * not per-edge traffic between tiers. So the users edge is exact (`requests.*.edgeMbps`), and an
 * edge into a later tier is sized by that tier's NIC traffic in (which also counts replies
 * coming back from tiers further on). Each edge says which it is.
 */
import type { HostReport, Report } from "../sim/report/Report.ts"

export type Resource = "cpu" | "nic" | "ports" | "disk"

export const RESOURCE_COLORS: Readonly<Record<Resource, string>> = {
  cpu: "#4e79a7",
  nic: "#59a14f",
  ports: "#b07aa1",
  disk: "#f28e2b",
}

export interface TopoHost {
  readonly name: string
  /** Mean use over the window of each modelled resource, as a fraction of its limit. */
  readonly use: Readonly<Partial<Record<Resource, number>>>
  /** The resource closest to its limit. */
  readonly top: Resource
  readonly topFrac: number
  /** Seconds of the window the host was down (0 when never). */
  readonly downS: number
  /** Services with an instance on this host. */
  readonly services: ReadonlyArray<string>
}

export interface TopoTier {
  readonly name: string
  readonly hosts: ReadonlyArray<TopoHost>
}

export interface TopoEdge {
  readonly from: number
  readonly to: number
  /** Mean Mbps; null when the report carries nothing to size it by. */
  readonly mbps: number | null
  /** How `mbps` was derived, shown beside the edge. */
  readonly basis: string
}

export interface Topology {
  readonly tiers: ReadonlyArray<TopoTier>
  readonly edges: ReadonlyArray<TopoEdge>
}

type DiskLimit = { readonly read?: number; readonly write?: number } | number | undefined

/**
 * Each modelled resource's mean use as a fraction of its limit: CPU (busy cores / cores), NIC
 * (busier direction / link), ports (in use / range), disk (busier of read and write / its limit).
 *
 * @example
 * resourceUse({ class: "app", cores: 8, cpuUtil: 0.5 }) // { cpu: 0.5 }
 */
export function resourceUse(h: HostReport): Partial<Record<Resource, number>> {
  const use: Partial<Record<Resource, number>> = { cpu: h.cpuUtil }
  if (h.nicMbps && h.nicMbps.limit > 0) use.nic = Math.max(h.nicMbps.in.mean, h.nicMbps.out.mean) / h.nicMbps.limit
  if (h.portsInUse && h.portsInUse.limit > 0) use.ports = h.portsInUse.mean / h.portsInUse.limit
  const lim = (h.diskMBps as { limit?: DiskLimit } | undefined)?.limit
  const rl = typeof lim === "number" ? lim : lim?.read
  const wl = typeof lim === "number" ? lim : lim?.write
  if (h.diskMBps && rl && wl) use.disk = Math.max(h.diskMBps.read.mean / rl, h.diskMBps.write.mean / wl)
  return use
}

const sum = (xs: ReadonlyArray<number>) => xs.reduce((a, b) => a + b, 0)

/**
 * The topology of a report.
 *
 * @example
 * topology(report).tiers.map((t) => t.name) // ["users", "access", "logic", "storage"]
 */
export function topology(report: Report): Topology {
  const byClass = new Map<string, TopoHost[]>()
  const servicesOn = new Map<string, string[]>()
  for (const [svc, s] of Object.entries(report.services)) {
    for (const inst of Object.keys(s.instances ?? {})) {
      servicesOn.set(inst, [...(servicesOn.get(inst) ?? []), svc])
    }
  }
  for (const [name, h] of Object.entries(report.hosts)) {
    const use = resourceUse(h)
    let top: Resource = "cpu"
    for (const r of Object.keys(use) as Resource[]) if ((use[r] ?? 0) > (use[top] ?? 0)) top = r
    const host: TopoHost = { name, use, top, topFrac: use[top] ?? 0, downS: h.downS ?? 0, services: servicesOn.get(name) ?? [] }
    const cls = String(h.class)
    byClass.set(cls, [...(byClass.get(cls) ?? []), host])
  }
  const tiers: TopoTier[] = [{ name: "users", hosts: [] }, ...[...byClass].map(([name, hosts]) => ({ name, hosts }))]

  const edges: TopoEdge[] = []
  if (tiers.length > 1) {
    const kinds = Object.values(report.requests)
    const userMbps = sum(kinds.map((k) => (k.edgeMbps ? k.edgeMbps.up + k.edgeMbps.down : 0)))
    const hasEdge = kinds.some((k) => k.edgeMbps !== undefined)
    edges.push({
      from: 0, to: 1,
      mbps: hasEdge ? userMbps : null,
      basis: hasEdge ? "users ↔ first tier, up + down" : "not in the report",
    })
  }
  for (let i = 2; i < tiers.length; i++) {
    const withNic = tiers[i].hosts.map((h) => report.hosts[h.name]?.nicMbps).filter((n) => n !== undefined)
    edges.push({
      from: i - 1, to: i,
      mbps: withNic.length === 0 ? null : sum(withNic.map((n) => n.in.mean)),
      basis: withNic.length === 0 ? "no NIC modelled" : `NIC in of ${tiers[i].name} (incl. replies from later tiers)`,
    })
  }
  return { tiers, edges }
}

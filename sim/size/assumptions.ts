/**
 * The assumptions a sizing answer rests on: each with its value in force, where that value comes
 * from, the range the sensitivity sweep searches, which way makes the load heavier, and how a
 * value is put into a candidate's scenario.
 */
import type { Dist, Scenario } from "../scenario/Scenario.ts"
import type { Variation } from "./search.ts"

type Data = Record<string, unknown>
const isObject = (v: unknown): v is Data => typeof v === "object" && v !== null && !Array.isArray(v)

export interface Assumption {
  readonly id: string
  /** "online share". */
  readonly label: string
  readonly assumed: number
  readonly source: string
  /** The range searched; the assumed value lies inside. */
  readonly range: readonly [number, number]
  /** The direction that makes things worse for a deployment. */
  readonly worse: "up" | "down"
  /** Bisect on a log scale (multipliers, sizes). */
  readonly log: boolean
  /** Only these values (a mode): the sweep tries each instead of bisecting. */
  readonly values?: ReadonlyArray<number>
  /** In `--sensitivity quick` too (the others only in `full`). */
  readonly quick: boolean
  /** Set when the assumption cannot move the answer as things stand (why). */
  readonly inert?: string
  readonly format: (v: number) => string
  readonly variation: (v: number) => Variation
}

const pct = (v: number) => `${+(v * 100).toFixed(1)}%`
const times = (v: number) => `×${+v.toFixed(2)}`
const plain = (unit: string) => (v: number) => `${+v.toFixed(v < 10 ? 2 : 0)}${unit}`

const set = (key: string, value: unknown) => (d: Data) => { d[key] = value }

function setAccessPorts(d: Data, ports: number): void {
  const hosts = isObject(d.hosts) ? { ...d.hosts } : {}
  const access = isObject(hosts.access) ? hosts.access : {}
  const range = Math.min(65_535, Math.max(1, Math.round(ports)))
  // a base that spells ports out ({ range, per, reserve }) keeps its per and reserve
  hosts.access = { ...access, ports: isObject(access.ports) ? { ...access.ports, range } : range }
  d.hosts = hosts
}

const scaleDist = (d: Dist, k: number): Dist => {
  switch (d.kind) {
    case "const": return { kind: "const", value: d.value * k }
    case "exp": return { kind: "exp", mean: d.mean * k }
    case "uniform": return { kind: "uniform", min: d.min * k, max: d.max * k }
    case "lognormal": return { kind: "lognormal", mean: d.mean * k, cv: d.cv }
  }
}

/** Every service of `services` with its CPU cost × k. */
function scaleCpu(s: Scenario, services: ReadonlySet<string>, k: number): Scenario {
  const out = { ...s.services }
  for (const name of services) if (out[name] !== undefined) out[name] = { ...out[name], cpu: scaleDist(out[name].cpu, k) }
  return { ...s, services: out }
}

/** A number field of the base data, or a default. */
const num = (base: Data, key: string, fallback: number): number => (typeof base[key] === "number" ? base[key] as number : fallback)

/**
 * The assumptions in force for a base scenario's data (a `preset: wecom` mapping, already parsed:
 * units read). `tiers` maps each CPU tier to its services.
 *
 * @example
 * assumptionsFor({ preset: "wecom", onlineRatio: 0.7 }, new Set(["onlineRatio"]), { access: ["nginx"], logic: [...], storage: [...] })[0].assumed // 0.7
 */
export function assumptionsFor(
  base: Data, given: ReadonlySet<string>, tiers: Readonly<Record<string, ReadonlyArray<string>>>, units: { readonly ports: number; readonly messageInterval: number; readonly fileSize: number; readonly vendorPushLatency: number },
): Assumption[] {
  const from = (key: string, dflt: string) => (given.has(key) ? "the base scenario (--base)" : dflt)
  const online = num(base, "onlineRatio", 1)
  const active = num(base, "activeRatio", 0.3)
  const rate = 1 / units.messageInterval
  const fileRatio = num(base, "fileRatio", 0.1)
  const groupRatio = num(base, "groupRatio", 0)
  const groupMax = isObject(base.groupSize) && Array.isArray(base.groupSize.uniform) ? Number(base.groupSize.uniform[1]) : 20
  const connection = base.connection === "short" ? 1 : 0
  const ports = units.ports
  const out: Assumption[] = [
    {
      id: "onlineRatio", label: "online share", assumed: online, source: from("onlineRatio", "assumed (every user online, the seed's port rule)"),
      range: [0.05, 1], worse: "up", log: false, quick: true, format: pct,
      variation: (v) => ({ key: `online=${v}`, data: set("onlineRatio", v) }),
    },
    {
      id: "connectionsPerUser", label: "connections per online user", assumed: 1, source: "assumed (one device); modelled as the access hosts' ports ÷ this",
      range: [1, 4], worse: "up", log: false, quick: false, format: (v) => `${+v.toFixed(2)}`,
      variation: (v) => ({ key: `conns=${v}`, data: (d) => setAccessPorts(d, ports / v) }),
    },
    {
      id: "messageRate", label: "messages per active user", assumed: rate, source: from("messageInterval", "seed 000 (one every 2 s)"),
      range: [rate / 10, rate * 10], worse: "up", log: true, quick: true, format: plain("/s"),
      variation: (v) => ({ key: `rate=${v}`, data: set("messageInterval", `${1 / v}s`) }),
    },
    {
      id: "activeRatio", label: "active share", assumed: active, source: from("activeRatio", "seed 000 (30%)"),
      range: [0.02, 1], worse: "up", log: false, quick: false, format: pct,
      variation: (v) => ({ key: `active=${v}`, data: set("activeRatio", v) }),
    },
    {
      id: "groupRatio", label: "group share", assumed: groupRatio, source: from("groupRatio", "assumed (0: one-to-one, as the seed's arithmetic)"),
      range: [0, 1], worse: "up", log: false, quick: false, format: pct,
      variation: (v) => ({ key: `group=${v}`, data: set("groupRatio", v) }),
    },
    {
      id: "groupSize", label: "group size (largest, uniform from 3)", assumed: groupMax, source: from("groupSize", "assumed (3 to 20)"),
      range: [3, 500], worse: "up", log: true, quick: false, format: plain(""),
      ...(groupRatio === 0 ? { inert: "no effect while the group share is 0" } : {}),
      variation: (v) => ({ key: `gsize=${v}`, data: set("groupSize", { uniform: [3, Math.max(3, Math.round(v))] }) }),
    },
    {
      id: "fileRatio", label: "file share", assumed: fileRatio, source: from("fileRatio", "seed 000 (10%)"),
      range: [0, 1], worse: "up", log: false, quick: false, format: pct,
      variation: (v) => ({ key: `files=${v}`, data: set("fileRatio", v) }),
    },
    {
      id: "fileSize", label: "file size", assumed: units.fileSize, source: from("fileSize", "seed 000 (50 KB)"),
      range: [units.fileSize / 10, units.fileSize * 100], worse: "up", log: true, quick: false, format: (v) => `${+(v / 1000).toFixed(1)} KB`,
      variation: (v) => ({ key: `fsize=${v}`, data: set("fileSize", `${Math.round(v)}B`) }),
    },
    ...Object.entries(tiers).filter(([, svcs]) => svcs.length > 0).map(([tier, svcs]): Assumption => ({
      id: `cpu.${tier}`, label: `CPU cost × (${tier} services)`, assumed: 1, source: `assumed (the preset's CPU costs: ${svcs.join(", ")})`,
      range: [1, 20], worse: "up", log: true, quick: tier === "logic", format: times,
      variation: (v) => ({ key: `cpu.${tier}=${v}`, scenario: (s) => scaleCpu(s, new Set(svcs), v) }),
    })),
    {
      id: "connection", label: "connection mode (0 pooled, 1 short)", assumed: connection, source: from("connection", "assumed (pooled: nginx upstream keep-alive)"),
      range: [0, 1], worse: "up", log: false, values: [0, 1], quick: true, format: (v) => (v >= 0.5 ? "short" : "pooled"),
      variation: (v) => ({ key: `conn=${v}`, data: set("connection", v >= 0.5 ? "short" : "pooled") }),
    },
    {
      id: "ports", label: "ephemeral ports per access host", assumed: ports, source: "seed 000 (ip_local_port_range 32768–61000)",
      range: [Math.max(1000, ports / 4), Math.max(ports, Math.min(65_535, ports * 4))], worse: "down", log: true, quick: true, format: (v) => `${Math.round(v).toLocaleString("en-US")}`,
      variation: (v) => ({ key: `ports=${v}`, data: (d) => setAccessPorts(d, v) }),
    },
    {
      id: "vendorPushLatency", label: "vendor push latency (mean)", assumed: units.vendorPushLatency, source: from("vendorPushLatency", "assumed (300 ms)"),
      range: [units.vendorPushLatency, units.vendorPushLatency * 100], worse: "up", log: true, quick: false, format: (v) => `${+(v * 1000).toFixed(0)} ms`,
      ...(online >= 1 ? { inert: "no effect while every user is online (no offline push)" } : {}),
      variation: (v) => ({ key: `vendor=${v}`, data: set("vendorPushLatency", `${v * 1000}ms`) }),
    },
  ]
  return out
}

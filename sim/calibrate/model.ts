/**
 * What the estimates mean for a scenario: the CPU a request of each kind costs on each host
 * class under the base scenario's call trees, and the overlay entries that make the base match
 * the calibration.
 *
 * How the regression's per-kind, per-class demands become per-service CPU (a service serves many
 * kinds, so in general they cannot be matched exactly): services measured by RUN lines take their
 * measured distribution; the other services of a class are scaled by one factor per class, chosen
 * so the class's modelled CPU at the measured mix equals the fitted one. The validation table
 * shows how well that fits per kind.
 */
import type { CallSpec, Dist, Scenario } from "../scenario/Scenario.ts"
import type { Calibration } from "./estimate.ts"

export const distMean = (d: Dist): number =>
  d.kind === "const" ? d.value : d.kind === "uniform" ? (d.min + d.max) / 2 : d.mean

/** Per service: expected calls and CPU seconds per request of `kind`, spawns of `skip` kinds left out. */
export function serviceDemand(s: Scenario, kind: string, skip: ReadonlySet<string>): Map<string, { calls: number; cpu: number }> {
  const out = new Map<string, { calls: number; cpu: number }>()
  const online = s.onlineRatio ?? 1
  const walk = (node: CallSpec, weight: number, depth: number) => {
    if (depth > 20 || weight < 1e-9) return
    const w = weight * (node.when === "online" ? online : node.when === "offline" ? 1 - online : 1)
    const svc = s.services[node.to]
    const cpu = node.cpu ?? svc?.cpu
    const acc = out.get(node.to) ?? { calls: 0, cpu: 0 }
    acc.calls += w
    acc.cpu += w * (cpu === undefined ? 0 : distMean(cpu))
    out.set(node.to, acc)
    for (const c of node.calls) walk(c, w, depth + 1)
    for (const sp of node.spawn) {
      if (skip.has(sp.kind)) continue
      const spawned = s.workload[sp.kind]
      if (spawned !== undefined) walk(rootCall(spawned), w * sp.probability * distMean(sp.count), depth + 1)
    }
  }
  const wl = s.workload[kind]
  if (wl !== undefined) walk(rootCall(wl), 1, 0)
  return out
}

const rootCall = (w: Scenario["workload"][string]): CallSpec => w.call ?? {
  to: w.to, cpu: null, requestBytes: 0, replyBytes: 0, timeout: null, tries: 1, route: "round-robin",
  diskWrite: 0, diskRead: 0, quorum: 0, when: "always", externalLatency: null, toClientBytes: 0, calls: [], spawn: [],
}

/** Expected requests of `target` spawned per request of `kind` (directly or further down). */
export function spawnsPer(s: Scenario, kind: string, target: string): number {
  let total = 0
  const walk = (node: CallSpec, weight: number, depth: number) => {
    if (depth > 20) return
    for (const c of node.calls) walk(c, weight, depth + 1)
    for (const sp of node.spawn) {
      const w = weight * sp.probability * distMean(sp.count)
      if (sp.kind === target) total += w
      else if (s.workload[sp.kind] !== undefined) walk(rootCall(s.workload[sp.kind]), w, depth + 1)
    }
  }
  const wl = s.workload[kind]
  if (wl !== undefined) walk(rootCall(wl), 1, 0)
  return total
}

/**
 * Requests of `kind` per second the base issues on its own as reconnects: each long connection
 * (users × online × per user) ends after its mean lifetime and its client logs in again.
 */
export function reconnectLogins(s: Scenario, kind: string): number {
  const lc = s.longConnections
  if (lc === undefined || lc.login !== kind || lc.lifetime === null || lc.lifetime <= 0) return 0
  return (s.users ?? 0) * (s.onlineRatio ?? 1) * (s.connectionsPerUser ?? 1) / lc.lifetime
}

/** One overlay entry: a dotted path, its value as scenario YAML data, and where it came from. */
export interface OverlayEntry {
  readonly path: string
  readonly value: unknown
  readonly comment: string
}

const ms = (s: number) => `${+(s * 1000).toPrecision(3)}ms`
const us = (s: number) => (s < 0.001 ? `${+(s * 1e6).toPrecision(3)}us` : ms(s))
const pct = (x: number) => `${(100 * x).toFixed(1)}%`

/** A scaled copy of a distribution, written with units. */
function distText(d: Dist, factor: number): unknown {
  switch (d.kind) {
    case "const": return { const: us(d.value * factor) }
    case "exp": return { exp: us(d.mean * factor) }
    case "uniform": return { uniform: [us(d.min * factor), us(d.max * factor)] }
    case "lognormal": return { lognormal: { mean: us(d.mean * factor), cv: d.cv } }
  }
}

export interface ClassFactor {
  readonly cls: string
  readonly factor: number
  readonly lo: number
  readonly hi: number
  readonly services: ReadonlyArray<string>
}

/**
 * The overlay for `base`: per-service CPU (measured modules; the rest of each class scaled),
 * and for a `preset: wecom` base the load model (intervals, sizes, file share) at the base's users,
 * for another base the kinds' rates.
 */
export function buildOverlay(cal: Calibration, base: Scenario, preset: boolean): { entries: OverlayEntry[]; factors: ClassFactor[]; notes: string[] } {
  const entries: OverlayEntry[] = []
  const notes: string[] = []
  const kinds = Object.keys(cal.kinds).filter((k) => base.workload[k] !== undefined)
  for (const k of Object.keys(cal.kinds)) if (base.workload[k] === undefined) notes.push(`${k}: no workload kind of that name in the base scenario; its numbers are not in the overlay`)
  const mapped = new Set(kinds)
  const measured = new Map<string, number>() // service → CPU mean
  for (const [name, mod] of Object.entries(cal.modules)) {
    if (base.services[mod.service] === undefined) { notes.push(`${name}: no service ${mod.service} in the base scenario`); continue }
    const mean = mod.cpu.mean.value
    measured.set(mod.service, mean)
    const value = mod.cpu.cv > 0.05 ? { lognormal: { mean: us(mean), cv: +mod.cpu.cv.toFixed(2) } } : { const: us(mean) }
    entries.push({
      path: `services.${mod.service}.cpu`, value,
      comment: `${name} RUN lines: ${mod.records} calls; ${mod.cpu.source}; mean ${us(mean)} (95% ${us(mod.cpu.mean.lo)}–${us(mod.cpu.mean.hi)}), cv ${mod.cpu.cv.toFixed(2)}, fitted lognormal`,
    })
  }
  const demands = new Map(kinds.map((k) => [k, serviceDemand(base, k, mapped)]))
  const factors: ClassFactor[] = []
  for (const [cls, est] of Object.entries(cal.classes)) {
    const onClass = (svc: string) => base.services[svc]?.host === cls
    let target = 0, targetVar = 0, fixed = 0, free = 0
    const freeServices = new Set<string>()
    est.fit.columns.forEach((col, j) => {
      const d = est.fit.demands[j]
      const xbar = col.kinds.reduce((a, k) => a + (cal.kinds[k]?.rate.value ?? 0), 0)
      target += xbar * d.value
      targetVar += (xbar * d.se) ** 2 // covariances ignored
      for (const k of col.kinds) {
        const xk = cal.kinds[k]?.rate.value ?? 0
        for (const [svc, v] of demands.get(k) ?? []) {
          if (!onClass(svc)) continue
          if (measured.has(svc)) fixed += xk * v.calls * measured.get(svc)!
          else { free += xk * v.cpu; if (v.cpu > 0) freeServices.add(svc) }
        }
      }
    })
    if (free <= 0 || freeServices.size === 0) continue
    const factor = Math.max(0, (target - fixed) / free)
    const half = 1.96 * Math.sqrt(targetVar) / free
    const f = { cls, factor, lo: Math.max(0, factor - half), hi: factor + half, services: [...freeServices].sort() }
    factors.push(f)
    const fit = est.fit
    for (const svc of f.services) {
      entries.push({
        path: `services.${svc}.cpu`, value: distText(base.services[svc].cpu, factor),
        comment: `${cls} hosts' utilisation regression (${fit.n} intervals of ${cal.intervalS}s, R² ${fit.r2.toFixed(3)}): the base's CPU × ${factor.toFixed(2)} (95% ${f.lo.toFixed(2)}–${f.hi.toFixed(2)}), one factor for ${f.services.join(", ")}`,
      })
    }
  }
  const rate = (k: string) => cal.kinds[k]?.rate
  const window = `${cal.window.intervals} intervals of ${cal.intervalS}s`
  if (preset) {
    const users = base.users ?? 0
    const active = base.activeRatio ?? 0.3
    const send = rate("sendmsg"), login = rate("login"), file = rate("file")
    if (users > 0 && send !== undefined && send.value > 0 && mapped.has("sendmsg")) {
      const v = (users * active) / send.value
      entries.push({ path: "messageInterval", value: `${+v.toPrecision(4)}s`, comment: `${users} users × ${pct(active)} active / ${send.value.toFixed(1)} sendmsg/s measured (95% ${send.lo.toFixed(1)}–${send.hi.toFixed(1)}, ${Math.round(send.n)} requests over ${window}; peak ${cal.kinds.sendmsg.peakRate.toFixed(1)}/s)` })
      const pushes = spawnsPer(base, "sendmsg", "push")
      if (file !== undefined && pushes > 0 && mapped.has("file")) {
        const ratio = file.value / (send.value * pushes)
        entries.push({ path: "fileRatio", value: `${+(100 * ratio).toPrecision(3)}%`, comment: `${file.value.toFixed(1)} file downloads/s per ${(send.value * pushes).toFixed(1)} pushes/s (${pushes.toFixed(2)} per message) measured` })
      }
    }
    if (users > 0 && login !== undefined && login.value > 0 && mapped.has("login")) {
      // the logged logins include the reconnects' (long connections that end log in again),
      // which the base models on its own: loginInterval gives the rest
      const again = reconnectLogins(base, "login")
      const own = login.value - again
      const less = again > 0 ? ` less the base's reconnects (${again.toFixed(2)}/s: ${Math.round(users * (base.onlineRatio ?? 1) * (base.connectionsPerUser ?? 1))} long connections / ${base.longConnections!.lifetime} s lifetime)` : ""
      if (own > 0) {
        const v = users / own
        entries.push({ path: "loginInterval", value: `${+v.toPrecision(4)}s`, comment: `${users} users / (${login.value.toFixed(2)} logins/s measured (95% ${login.lo.toFixed(2)}–${login.hi.toFixed(2)})${less})` })
      } else notes.push(`login: ${login.value.toFixed(2)}/s measured, no more than the base's reconnects alone (${again.toFixed(2)}/s); loginInterval not set`)
    }
    const sizes: Array<[string, string, "requestBytes" | "replyBytes", string]> = [["sendmsg", "messageSize", "requestBytes", "$request_length"], ["file", "fileSize", "replyBytes", "$bytes_sent"]]
    for (const [k, field, which, variable] of sizes) {
      const e = cal.kinds[k]?.[which]
      if (e === undefined || e.n === 0 || !mapped.has(k)) continue
      entries.push({ path: field, value: `${Math.round(e.value)}B`, comment: `mean ${variable} of ${e.n} ${k} requests (95% ${Math.round(e.lo)}–${Math.round(e.hi)} B)` })
    }
  } else {
    for (const k of kinds) {
      const r = rate(k)!
      if (base.workload[k].rate === 0) continue // started by spawns only
      const again = reconnectLogins(base, k)
      const own = Math.max(0, r.value - again)
      const less = again > 0 ? `, less the base's reconnects (${again.toFixed(2)}/s)` : ""
      entries.push({ path: `workload.${k}.rate`, value: `${+own.toPrecision(4)}/s`, comment: `${Math.round(r.n)} requests over ${window} (95% ${r.lo.toFixed(2)}–${r.hi.toFixed(2)}/s; peak ${cal.kinds[k].peakRate.toFixed(2)}/s)${less}` })
    }
  }
  return { entries, factors, notes }
}

/**
 * Without a base: a whole scenario from the map — one host class per class of the map, one
 * service per class, each kind a chain through the classes it uses with its fitted CPU there.
 */
export function scenarioFromCalibration(cal: Calibration, name: string): { data: Record<string, unknown>; comments: Map<string, string> } {
  const comments = new Map<string, string>()
  const hosts: Record<string, unknown> = {}
  const services: Record<string, unknown> = {}
  const workload: Record<string, unknown> = {}
  const classes = Object.entries(cal.classes)
  for (const [cls, est] of classes) {
    hosts[cls] = { count: est.hosts.length, cores: est.cores }
    services[cls] = { host: cls, workers: 10_000, cpu: { exp: "1ms" } }
    comments.set(`hosts.${cls}`, `${est.hosts.length} hosts seen in the CPU series (${est.hosts.slice(0, 3).join(", ")}${est.hosts.length > 3 ? ", …" : ""}); background ${(est.fit.background.value / est.hosts.length / est.cores * 100).toFixed(1)}% of each host not modelled`)
  }
  for (const [k, kind] of Object.entries(cal.kinds)) {
    const chain: Array<{ cls: string; d: number; comment: string }> = []
    for (const [cls, est] of classes) {
      const j = est.fit.columns.findIndex((c) => c.kinds.includes(k))
      if (j < 0) continue
      const d = est.fit.demands[j]
      if (d.value <= 0) continue
      const col = est.fit.columns[j]
      chain.push({ cls, d: d.value, comment: `${cls}: ${us(d.value)} (95% ${us(d.lo)}–${us(d.hi)})${col.kinds.length > 1 ? ` for ${col.name} together` : ""}, R² ${est.fit.r2.toFixed(3)} over ${est.fit.n} intervals` })
    }
    if (chain.length === 0 || kind.rate.value === 0) continue
    let call: Record<string, unknown> | undefined
    for (let i = chain.length - 1; i >= 0; i--) {
      call = { to: chain[i].cls, cpu: { exp: us(chain[i].d) }, ...(call === undefined ? {} : { calls: [call] }) }
    }
    const sizes = Number.isFinite(kind.requestBytes.value) && kind.requestBytes.n > 0 ? { request: `${Math.round(kind.requestBytes.value)}B`, reply: `${Math.round(kind.replyBytes.value)}B` } : {}
    workload[k] = { rate: `${+kind.rate.value.toPrecision(4)}/s`, call: { ...call, ...sizes } }
    comments.set(`workload.${k}`, `${Math.round(kind.rate.n)} requests, ${kind.rate.value.toFixed(2)}/s (peak ${kind.peakRate.toFixed(2)}/s); CPU per request — ${chain.map((c) => c.comment).join("; ")}`)
  }
  return { data: { name, warmup: "10s", duration: "1m", hosts, services, workload }, comments }
}

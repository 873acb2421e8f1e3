/**
 * From the aggregates to the model's numbers: rates per kind per interval (and the peak), CPU
 * demand per kind per host class by regression, per-module CPU-time distributions from RUN lines
 * (a leaf's worker time is its CPU; a caller's is its own CPU plus its waits on the callees whose
 * lines are present), and sizes from the byte fields.
 */
import { ScenarioInvalid } from "../scenario/errors.ts"
import type { CpuSample } from "./cpu.ts"
import { type CalibrationMap, hostClass } from "./map.ts"
import type { Measurements, Moments } from "./read.ts"
import { type RegressionFit, fitDemands } from "./regression.ts"
import { fitBinnedLognormal } from "./lognormal.ts"

/** A number with its 95% interval and the samples it rests on. */
export interface Estimate {
  readonly value: number
  readonly lo: number
  readonly hi: number
  readonly n: number
}

export interface KindEstimate {
  readonly requests: number
  /** Mean arrivals per second over the calibrated window. */
  readonly rate: Estimate
  readonly peakRate: number
  /** Start of the busiest interval, Unix seconds. */
  readonly peakAt: number
  readonly requestBytes: Estimate
  readonly replyBytes: Estimate
  /** $request_time, seconds. */
  readonly latency: { readonly mean: number; readonly p50: number; readonly p99: number }
  /** Replies with status ≥ 500. */
  readonly errors: number
  /** Mean of $request_time − $upstream_response_time: nginx's own share. */
  readonly nginxOwnS: number
}

export interface ClassEstimate {
  readonly hosts: ReadonlyArray<string>
  readonly cores: number
  /** Mean share of the class's cores busy over the fitted intervals. */
  readonly util: number
  readonly fit: RegressionFit
  /** Interval starts (Unix s), measured and fitted busy cores: the page's time series. */
  readonly t: ReadonlyArray<number>
  readonly measured: ReadonlyArray<number>
}

export interface ModuleEstimate {
  readonly service: string
  readonly records: number
  /** CPU seconds per call: a leaf's worker time, or a caller's worker time less its waits. */
  readonly cpu: { readonly mean: Estimate; readonly cv: number; readonly source: string }
  readonly queueMeanS: number
  readonly requestBytes: number
  readonly replyBytes: number
  /** Per callee: calls per request and the mean wait on each. */
  readonly waits: ReadonlyArray<{ readonly callee: string; readonly perRequest: number; readonly meanS: number }>
  /** Calls per caller host class (from the ip field). */
  readonly callers: Readonly<Record<string, number>>
  /** Calls per workload kind, by the map's command ids (`kinds.<k>.cmd`); other ids as `cmd <id>`. */
  readonly kinds: Readonly<Record<string, number>>
}

export interface Calibration {
  readonly intervalS: number
  /** The calibrated window: whole intervals covered by the access logs, Unix seconds. */
  readonly window: { readonly from: number; readonly to: number; readonly intervals: number }
  readonly kinds: Readonly<Record<string, KindEstimate>>
  /** Rates per kind for every interval of the window (requests/s), for the page. */
  readonly rates: { readonly t: ReadonlyArray<number>; readonly perKind: Readonly<Record<string, ReadonlyArray<number>>>; readonly latencyMean: Readonly<Record<string, ReadonlyArray<number>>> }
  readonly classes: Readonly<Record<string, ClassEstimate>>
  readonly modules: Readonly<Record<string, ModuleEstimate>>
  readonly upstreamClasses: Readonly<Record<string, number>>
  readonly unmapped: number
  readonly notes: ReadonlyArray<string>
}

const Z95 = 1.959964

const meanEstimate = (m: Moments): Estimate => {
  const half = m.n > 1 ? Z95 * Math.sqrt(m.variance / m.n) : 0
  return { value: m.n === 0 ? 0 : m.mean, lo: Math.max(0, m.mean - half), hi: m.mean + half, n: m.n }
}

const iso = (t: number) => new Date(t * 1000).toISOString().replace(/\.000Z$/, "Z")

/** Averages each host's samples into the intervals their periods' midpoints fall in. */
function bucketCpu(samples: ReadonlyArray<CpuSample>, intervalS: number): Map<number, number> {
  const sorted = [...samples].sort((a, b) => a.t - b.t)
  const sums = new Map<number, { s: number; n: number }>()
  sorted.forEach((s, i) => {
    const period = i > 0 ? s.t - sorted[i - 1].t : sorted.length > 1 ? sorted[1].t - s.t : intervalS
    const bucket = Math.floor((s.t - period / 2) / intervalS)
    const acc = sums.get(bucket) ?? { s: 0, n: 0 }
    acc.s += s.util; acc.n++
    sums.set(bucket, acc)
  })
  return new Map([...sums].map(([b, a]) => [b, a.s / a.n]))
}

export interface EstimateOptions {
  /** Cores per host of a class, from the base scenario. */
  readonly baseCores?: (cls: string) => number | undefined
  /** The host class of a service, from the base scenario. */
  readonly serviceClass?: (service: string) => string | undefined
}

/**
 * Turns the measurements into estimates. Throws `ScenarioInvalid` (exit 2) when the access logs
 * and the CPU series do not overlap in time, and when a class's cores are unknown.
 */
export function estimate(m: Measurements, map: CalibrationMap, options: EstimateOptions = {}): Calibration {
  const notes: string[] = []
  const I = m.intervalS
  const keys = [...m.counts.keys()].sort((a, b) => a - b)
  const hasAccess = keys.length > 0
  // whole intervals only: the first and last are partly outside the logs
  const lo = hasAccess ? keys[0] + 1 : 0
  const hi = hasAccess ? keys[keys.length - 1] - 1 : -1
  const indices: number[] = []
  for (let b = lo; b <= hi; b++) indices.push(b)
  const rateOf = (k: number) => indices.map((b) => (m.counts.get(b)?.[k] ?? 0) / I)

  const kinds: Record<string, KindEstimate> = {}
  const perKind: Record<string, number[]> = {}
  const latencyMean: Record<string, number[]> = {}
  m.kinds.forEach((name, k) => {
    const rates = rateOf(k)
    perKind[name] = rates
    latencyMean[name] = indices.map((b) => { const c = m.counts.get(b)?.[k] ?? 0; return c === 0 ? NaN : (m.latencySums.get(b)![k] / c) })
    const agg = m.perKind[k]
    const requests = rates.reduce((a, r) => a + r * I, 0)
    const mean = indices.length === 0 ? 0 : requests / (indices.length * I)
    let peak = 0, peakAt = indices[0] ?? 0
    rates.forEach((r, i) => { if (r > peak) { peak = r; peakAt = indices[i] } })
    // Poisson counts: the rate's interval from the count (normal approximation)
    const half = indices.length === 0 ? 0 : Z95 * Math.sqrt(requests) / (indices.length * I)
    const h = agg.histogram
    kinds[name] = {
      requests,
      rate: { value: mean, lo: Math.max(0, mean - half), hi: mean + half, n: requests },
      peakRate: peak, peakAt: peakAt * I,
      requestBytes: meanEstimate(agg.requestBytes), replyBytes: meanEstimate(agg.replyBytes),
      latency: agg.requestTime.n === 0 ? { mean: NaN, p50: NaN, p99: NaN } : {
        mean: agg.requestTime.mean, p50: h.getValueAtPercentile(50) / 1e6, p99: h.getValueAtPercentile(99) / 1e6,
      },
      errors: agg.errors,
      nginxOwnS: agg.nginxOwn.n === 0 ? NaN : agg.nginxOwn.mean,
    }
    if (agg.requestTime.n === 0 && m.inputs.some((i) => i.format === "nginx")) notes.push(`${name}: no request in the access logs matches its uri`)
  })

  // CPU per class
  const classHosts = new Map<string, string[]>()
  const unknownHosts: string[] = []
  for (const host of [...m.cpu.keys()].sort()) {
    const cls = hostClass(map, host)
    if (cls === undefined) { unknownHosts.push(host); continue }
    classHosts.set(cls, [...(classHosts.get(cls) ?? []), host])
  }
  if (unknownHosts.length > 0) notes.push(`CPU series of hosts no class of the map matches, ignored: ${unknownHosts.slice(0, 5).join(", ")}${unknownHosts.length > 5 ? ", …" : ""}`)
  const classes: Record<string, ClassEstimate> = {}
  let cpuFrom = Infinity, cpuTo = -Infinity
  for (const [cls, hosts] of classHosts) {
    const buckets = hosts.map((h) => bucketCpu(m.cpu.get(h)!, I))
    for (const h of hosts) for (const s of m.cpu.get(h)!) { cpuFrom = Math.min(cpuFrom, s.t); cpuTo = Math.max(cpuTo, s.t) }
    const used = indices.map((b, i) => ({ b, i })).filter(({ b }) => buckets.every((bk) => bk.has(b)))
    if (used.length === 0) continue
    const mapCores = map.hosts.find((h) => h.name === cls)?.cores
    const cores = mapCores ?? options.baseCores?.(cls) ?? m.sarCores.get(hosts[0])
    if (cores === undefined) throw new ScenarioInvalid({ file: map.file, path: `hosts.${cls}.cores`, message: `the cores of the ${cls} hosts are unknown: give them here (or a --base scenario, or sar's header)` })
    const y = used.map(({ b }) => buckets.reduce((a, bk) => a + bk.get(b)! * cores, 0))
    const rates = Object.fromEntries(m.kinds.map((name) => [name, used.map(({ i }) => perKind[name][i])]))
    let fit: RegressionFit
    try {
      fit = fitDemands(rates, y, `the ${cls} hosts`)
    } catch (e) {
      throw new ScenarioInvalid({ file: map.file, path: `hosts.${cls}`, message: (e as Error).message })
    }
    notes.push(...fit.notes)
    classes[cls] = {
      hosts, cores, util: y.reduce((a, v) => a + v, 0) / y.length / (cores * hosts.length), fit,
      t: used.map(({ b }) => b * I), measured: y,
    }
  }
  if (m.cpu.size > 0 && hasAccess && Object.keys(classes).length === 0) {
    throw new ScenarioInvalid({
      file: m.inputs.find((i) => i.format !== "nginx" && i.format !== "svrkit")?.file ?? map.file, path: "",
      message: `the CPU series (${iso(cpuFrom)} to ${iso(cpuTo)}) do not overlap the access logs (${iso(m.first)} to ${iso(m.last)}): check the clocks and the map's timezone`,
    })
  }

  // Svrkit modules
  const modules: Record<string, ModuleEstimate> = {}
  for (const mod of map.modules) {
    const agg = m.modules.get(mod.name)
    if (agg === undefined) continue
    const waits: Array<{ callee: string; perRequest: number; meanS: number; variance: number }> = []
    // the caller's class: from the base scenario, or where most of its callees' calls come from
    for (const calleeName of mod.calls) {
      const callee = m.modules.get(calleeName)
      if (callee === undefined) { notes.push(`${mod.name}: calls ${calleeName}, whose RUN lines are absent; its worker time includes that wait`); continue }
      const cls = options.serviceClass?.(mod.service) ?? [...callee.fromClass].sort((a, b) => b[1].n - a[1].n)[0]?.[0]
      const from = cls === undefined ? undefined : callee.fromClass.get(cls)
      if (from === undefined) continue
      // A leaf callee's wait is its CPU: its binned maximum-likelihood mean, not the plain mean of
      // whole-ms values, which understates a sub-millisecond callee (0.5 ms logs mostly as 0 or 1)
      const leaf = map.modules.find((x) => x.name === calleeName)?.calls.length === 0 && callee.workerCounts !== null
        ? fitBinnedLognormal(callee.workerCounts) : undefined
      waits.push(leaf === undefined
        ? { callee: calleeName, perRequest: from.n / agg.worker.n, meanS: from.mean, variance: from.variance }
        : { callee: calleeName, perRequest: from.n / agg.worker.n, meanS: leaf.mean, variance: (leaf.cv * leaf.mean) ** 2 })
    }
    const w = agg.worker
    const waitMean = waits.reduce((a, x) => a + x.perRequest * x.meanS, 0)
    const mean = Math.max(0, w.mean - waitMean)
    const variance = Math.max(0, w.variance - waits.reduce((a, x) => a + x.perRequest * x.variance, 0))
    const half = w.n > 1 ? Z95 * Math.sqrt(w.variance / w.n) : 0
    if (waitMean > w.mean) notes.push(`${mod.name}: its waits on ${waits.map((x) => x.callee).join(", ")} exceed its worker time; own CPU set to 0`)
    // a leaf's worker time is its CPU: fit a lognormal to the whole-ms counts; a caller's own
    // CPU is a difference of means (moments), its cv from the variances (independent waits)
    const binned = waits.length === 0 && agg.workerCounts !== null ? fitBinnedLognormal(agg.workerCounts) : undefined
    modules[mod.name] = {
      service: mod.service, records: w.n,
      cpu: binned !== undefined ? {
        mean: { value: binned.mean, lo: binned.lo, hi: binned.hi, n: binned.n },
        cv: binned.cv,
        source: "worker time, a leaf (no downstream calls logged); lognormal by maximum likelihood on the 1 ms bins",
      } : {
        mean: { value: mean, lo: Math.max(0, mean - half), hi: mean + half, n: w.n },
        cv: mean > 0 ? Math.sqrt(variance) / mean : 0,
        source: waits.length === 0 ? "worker time, a leaf (no downstream calls logged); moments" : `worker time less waits on ${waits.map((x) => x.callee).join(", ")}; moments`,
      },
      queueMeanS: agg.queue.mean, requestBytes: agg.requestBytes.mean, replyBytes: agg.replyBytes.mean,
      waits: waits.map(({ callee, perRequest, meanS }) => ({ callee, perRequest, meanS })),
      callers: Object.fromEntries([...agg.fromClass].map(([c, mm]) => [c, mm.n])),
      kinds: [...agg.cmds].reduce<Record<string, number>>((acc, [cmd, n]) => {
        const name = map.kinds.find((k) => k.cmd.includes(cmd))?.name ?? `cmd ${cmd}`
        acc[name] = (acc[name] ?? 0) + n
        return acc
      }, {}),
    }
  }
  if (m.unattributedRun > 0) notes.push(`${m.unattributedRun} RUN lines name no module of the map (by file or in the line); ignored`)
  if (m.unmapped > 0) notes.push(`${m.unmapped} requests match no kind's uri; not counted`)
  for (const input of m.inputs) {
    if (input.garbage > 0) {
      notes.push(`${input.file}: ${input.garbage} of ${input.garbage + input.records} lines (${(100 * input.garbage / (input.garbage + input.records)).toFixed(1)}%) do not parse and were skipped; first: ${input.examples.join("; ")}`)
    }
  }
  return {
    intervalS: I,
    window: { from: lo * I, to: (hi + 1) * I, intervals: indices.length },
    kinds, rates: { t: indices.map((b) => b * I), perKind, latencyMean },
    classes, modules,
    upstreamClasses: Object.fromEntries(m.upstreamClasses),
    unmapped: m.unmapped, notes,
  }
}

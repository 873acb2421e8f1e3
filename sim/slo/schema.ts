/**
 * The `slo:` list of a scenario file: its zod schema (metric grammar and threshold units) and the
 * checks that need the whole scenario (the names exist, the time range lies inside the run).
 * Both report problems at `slo.<i>.<field>`, so the loader prints them with file:line:col.
 */
import * as z from "zod"
import { seriesStep } from "../scenario/seriesStep.ts"
import type { Scenario } from "../scenario/Scenario.ts"
import { Bandwidth, ByteRate, Duration, Rate, Ratio, describeValue, formatDuration } from "../scenario/units.ts"
import { type MetricDef, type SloExpect, type SloSpec, type SloUnit, metricDef, parseMetric } from "./Slo.ts"

const UNIT_WORDS: Readonly<Record<SloUnit, string>> = {
  duration: "a duration like 200ms or 1s",
  ratio: "a ratio like 0.999 or a percentage like 99.9%",
  rate: "a rate like 100/s or 5/m",
  count: "a plain number like 50",
  bandwidth: "a bandwidth like 800Mbps or 1Gbps",
  byteRate: "a byte rate like 80MB/s",
}

const COUNT = z.number().min(0)

const UNIT_SCHEMAS: Readonly<Record<SloUnit, z.ZodType<number>>> = {
  duration: Duration, ratio: Ratio, rate: Rate, count: COUNT, bandwidth: Bandwidth, byteRate: ByteRate,
}

/** A threshold in the metric's unit, or a message saying which unit the metric needs. */
function parseThreshold(m: MetricDef, metric: string, input: unknown): number | string {
  const r = UNIT_SCHEMAS[m.unit].safeParse(input)
  if (r.success) return r.data
  return `${metric} needs ${UNIT_WORDS[m.unit]}, got ${describeValue(input)}`
}

const Threshold = z.union([z.string(), z.number()], {
  error: (iss) => `expected a threshold with a unit (200ms, 99.9%, 100/s, 800Mbps, 80MB/s) or a number, got ${describeValue(iss.input)}`,
})

const Expect = z.union([
  z.enum(["breach", "held"]),
  z.strictObject({
    breach: z.boolean({ error: (iss) => `expected true or false, got ${describeValue(iss.input)}` }),
    within: z.tuple([Threshold, Threshold], {
      error: (iss) => `expected [low, high] in the metric's unit, like [60%, 75%], got ${describeValue(iss.input)}`,
    }).optional(),
  }),
], { error: (iss) => `expected breach, held, or { breach: true, within: [low, high] }, got ${describeValue(iss.input)}` })

const when = (description: string) => Duration.meta({ description })

/**
 * One entry of `slo:`, with units, as a user writes it; its output is a `SloSpec`.
 *
 * @example
 * SloInput.parse({ metric: "sendmsg.latency.p99", below: "200ms" }).threshold // 0.2
 */
export const SloInput = z.strictObject({
  metric: z.string({ error: (iss) => `expected a metric like sendmsg.latency.p99, got ${describeValue(iss.input)}` })
    .meta({ description: "what to measure: <kind>.latency.p99, <kind>.successRate, <service>.utilization, <host>.cpu, … (docs/slo.md)" }),
  below: Threshold.optional().meta({ description: "holds when the value is at most this (200ms, 70%, 100/s, 50)" }),
  above: Threshold.optional().meta({ description: "holds when the value is at least this (99.9%, 500/s)" }),
  during: z.strictObject({
    from: when("start, from the start of the run (warm-up included)"),
    to: when("end, from the start of the run (warm-up included)"),
  }).optional().meta({ description: "check over this time range instead of the measured window" }),
  every: Duration.optional().meta({ description: "every interval of this length (in the window, or in `during`) must hold" }),
  expect: Expect.optional().meta({
    description: "the story: `breach` (a drill that shows a breach), `held` (the default), or { breach: true|false, within: [low, high] } " +
      "with the range the measured value is expected in; run and check fail only on unexpected verdicts",
  }),
}).transform((x, ctx): SloSpec => {
  const parsed = parseMetric(x.metric)
  if ("error" in parsed) {
    ctx.addIssue({ code: "custom", path: ["metric"], message: parsed.error, input: x.metric })
    return z.NEVER
  }
  if ((x.below === undefined) === (x.above === undefined)) {
    ctx.addIssue({
      code: "custom", input: x,
      message: x.below === undefined ? "expected `below:` or `above:` with a threshold" : "expected only one of `below:` and `above:`; write two SLOs for a band",
    })
    return z.NEVER
  }
  const op = x.below !== undefined ? "below" : "above"
  const threshold = parseThreshold(metricDef(parsed.ref), x.metric, x[op])
  if (typeof threshold === "string") {
    ctx.addIssue({ code: "custom", path: [op], message: threshold, input: x[op] })
    return z.NEVER
  }
  const expect = parseExpect(metricDef(parsed.ref), x.metric, op, threshold, x[op], x.expect)
  if (typeof expect === "object" && expect !== null && "error" in expect) {
    ctx.addIssue({ code: "custom", path: ["expect", ...expect.path], message: expect.error, input: x.expect })
    return z.NEVER
  }
  return {
    metric: x.metric, ref: parsed.ref, op, threshold,
    during: x.during === undefined ? null : { from: x.during.from, to: x.during.to },
    every: x.every ?? null,
    expect,
  }
})

/**
 * The expectation in base units, or where and why it is wrong: each bound in the metric's unit,
 * low ≤ high, and a range that reaches the side of the threshold the expectation names (a
 * breach expected "within [99.95%, 100%]" of an SLO "above 99.9%" could never be seen).
 */
function parseExpect(m: MetricDef, metric: string, op: "below" | "above", threshold: number, written: unknown, input: z.infer<typeof Expect> | undefined):
  SloExpect | null | { readonly error: string; readonly path: ReadonlyArray<string | number> } {
  if (input === undefined || input === "held") return null
  if (input === "breach") return { breach: true, within: null }
  if (input.within === undefined) return input.breach ? { breach: true, within: null } : null
  const bounds: number[] = []
  for (const i of [0, 1]) {
    const b = parseThreshold(m, metric, input.within[i])
    if (typeof b === "string") return { error: b, path: ["within", i] }
    bounds.push(b)
  }
  const [low, high] = bounds
  if (high < low) return { error: `expected low ≤ high, got [${describeValue(input.within[0])}, ${describeValue(input.within[1])}]`, path: ["within"] }
  const breachSide = op === "below" ? high > threshold : low < threshold
  const holdSide = op === "below" ? low <= threshold : high >= threshold
  const slo = `${metric} ${op} ${String(written)}`
  const range = `[${String(input.within[0])}, ${String(input.within[1])}]`
  if (input.breach && !breachSide) {
    return { error: `a breach of ${slo} is expected, but every value in ${range} holds it`, path: ["within"] }
  }
  if (!input.breach && !holdSide) {
    return { error: `${slo} is expected to hold, but every value in ${range} breaches it`, path: ["within"] }
  }
  return { breach: input.breach, within: [low, high] }
}

const has = (map: object, key: string) => Object.hasOwn(map, key)

function listNames(map: object): string {
  const names = Object.keys(map)
  return names.length > 10 ? `${names.slice(0, 10).join(", ")}, …` : names.join(", ")
}

/** The host class of `name` when it is a class, or an existing instance `<class>-<n>`. */
function hostClassOf(s: Scenario, name: string): string | undefined {
  if (has(s.hosts, name)) return name
  const m = /^(.+)-([1-9]\d*)$/.exec(name)
  return m !== null && has(s.hosts, m[1]) && Number(m[2]) <= s.hosts[m[1]].count ? m[1] : undefined
}

function unknownHost(s: Scenario, name: string, metric: string): string {
  const m = /^(.+)-(\d+)$/.exec(name)
  if (m !== null && has(s.hosts, m[1])) {
    const n = s.hosts[m[1]].count
    return `unknown host instance "${name}" in ${metric}: ${m[1]} has ${n === 1 ? `one instance, ${m[1]}-1` : `instances ${m[1]}-1 … ${m[1]}-${n}`}`
  }
  return `unknown host "${name}" in ${metric}: not a host class (${listNames(s.hosts)}) nor one of their instances`
}

const RESOURCE = {
  nic: { has: (h: Scenario["hosts"][string]) => h.nicBps != null, what: "no NIC modelled (hosts.<class>.nic)" },
  ports: { has: (h: Scenario["hosts"][string]) => h.ports != null, what: "no port limit modelled (hosts.<class>.ports)" },
  disk: { has: (h: Scenario["hosts"][string]) => h.disk != null, what: "no disk modelled (hosts.<class>.disk)" },
} as const

/** Why the subject of `slo` does not exist in `s`, or undefined when it does. */
function missingSubject(s: Scenario, slo: SloSpec): string | undefined {
  const { ref, metric } = slo
  switch (ref.scope) {
    case "kind":
      if (metricDef(ref).recovery === true) {
        if (s.faults.length === 0) return `${metric} measures recovery from a fault, and the scenario has no faults`
        if (ref.name === "all") return undefined
      }
      return has(s.workload, ref.name) ? undefined : `unknown request kind "${ref.name}" in ${metric}; request kinds: ${listNames(s.workload)}`
    case "service":
      return has(s.services, ref.name) ? undefined : `unknown service "${ref.name}" in ${metric}; services: ${listNames(s.services)}`
    case "host": {
      const cls = hostClassOf(s, ref.name)
      if (cls === undefined) return unknownHost(s, ref.name, metric)
      const needs = metricDef(ref).needs
      if (needs !== undefined && !RESOURCE[needs].has(s.hosts[cls])) {
        return `${metric} does not exist: host class ${cls} has ${RESOURCE[needs].what.replace("<class>", cls)}`
      }
      return undefined
    }
    case "resilience":
      return undefined
  }
}

type IssueAt = (path: ReadonlyArray<string | number>, message: string) => void

/**
 * Checks each SLO against the scenario it belongs to (after presets are expanded): the kind,
 * service or host it names exists and has the measured resource; `during` lies inside the run;
 * `every` is no shorter than the series step; window-only metrics are not asked for a range.
 * Issues are reported at `slo.<i>.metric`, `slo.<i>.during…` or `slo.<i>.every`.
 *
 * @example
 * checkSlos(scenario, (path, message) => ctx.addIssue({ code: "custom", path: [...path], message }))
 */
export function checkSlos(s: Scenario, issue: IssueAt): void {
  const runS = s.warmup + s.duration
  const step = seriesStep(runS, s.seriesStep)
  ;(s.slo ?? []).forEach((slo, i) => {
    const at = (...path: Array<string>) => ["slo", i, ...path]
    const missing = missingSubject(s, slo)
    if (missing !== undefined) {
      issue(at("metric"), missing)
      return
    }
    const m = metricDef(slo.ref)
    if (m.series === null && (slo.during !== null || slo.every !== null)) {
      issue(at(slo.during !== null ? "during" : "every"),
        `${slo.metric} can only be checked over the whole window (${m.windowOnly}); remove \`${slo.during !== null ? "during" : "every"}\``)
      return
    }
    let range = { from: s.warmup, to: runS }
    if (slo.during !== null) {
      const { from, to } = slo.during
      if (to <= from) {
        issue(at("during", "to"), `expected \`to\` after \`from\` (${formatDuration(from)}), got ${formatDuration(to)}`)
        return
      }
      if (to > runS) {
        issue(at("during", "to"), `the run ends at ${formatDuration(runS)} (warm-up ${formatDuration(s.warmup)} + duration ${formatDuration(s.duration)}); got ${formatDuration(to)}`)
        return
      }
      range = { from, to }
    }
    if (slo.every !== null) {
      if (slo.every < step) {
        issue(at("every"), `expected at least the series step (${formatDuration(step)}), got ${formatDuration(slo.every)}; a finer check needs a smaller series.step`)
      } else if (slo.every > range.to - range.from) {
        issue(at("every"), `expected at most the length of the range it divides (${formatDuration(range.to - range.from)}), got ${formatDuration(slo.every)}`)
      }
    }
  })
}

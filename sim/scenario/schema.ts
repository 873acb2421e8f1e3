/**
 * The zod schema of a scenario file (with units, as a user writes it), whose output is the
 * unit-free `Scenario`. Positions in the file are not known here: `load.ts` maps an issue's path
 * back to a line.
 */
import { z } from "zod"
import type { Dist, Scenario } from "./Scenario.ts"
import { Duration, Rate, describeValue, formatDuration, formatRate } from "./units.ts"

/**
 * Sanity limits, refused up front so an extra zero or three fails at once instead of exhausting
 * memory or running for a week. Each is far above any deployment we model (the WeCom presets
 * have tens of hosts) yet low enough that the state the engine keeps per host, per core, per
 * service instance and per series point stays within a laptop's memory.
 */
export const LIMITS = {
  /** Host instances in total (and so per class); each carries per-core state and statistics. */
  hostInstances: 10_000,
  /** Cores per host: the largest real machines have a few hundred; 4096 leaves room. */
  coresPerHost: 4096,
  /** Requests one service instance serves at once. */
  workersPerInstance: 1_000_000,
  /** Service instances in total (each service × the hosts of its class); each has a queue and statistics. */
  serviceInstances: 100_000,
  /** Warm-up, duration and fault times: 30 days of simulated time. */
  simulatedS: 30 * 86_400,
  /** Arrivals per workload: 10^8/s is already ~10^12 events per simulated hour. */
  ratePerS: 1e8,
  /** Points per series when `series.step` is given (the default step coarsens itself). */
  seriesPoints: 100_000,
  /** Characters in a name: it becomes a directory (`results/<name>/`) and a report key. */
  nameLength: 64,
} as const

/** A scenario's name: lower-case letters, digits and '-' (it names the results directory). */
export const SCENARIO_NAME = /^[a-z0-9][a-z0-9-]*$/
/** Names of host classes, services and workloads: as `SCENARIO_NAME`, plus '_'. */
export const KEY_NAME = /^[a-z0-9][a-z0-9_-]*$/

type Message = (iss: { readonly input?: unknown }) => string

function nameSchema(pattern: RegExp, chars: string) {
  const error: Message = (iss) =>
    `expected a name of ${chars} (at most ${LIMITS.nameLength}), starting with a letter or digit, got ${describeValue(iss.input)}`
  return z.string({ error }).regex(pattern, { error }).max(LIMITS.nameLength, { error })
}

const ScenarioName = nameSchema(SCENARIO_NAME, "lower-case letters, digits and '-'")
const Key = nameSchema(KEY_NAME, "lower-case letters, digits, '-' and '_'")

function integer(min: 0 | 1, max: number, limitNoun?: string) {
  const expected: Message = (iss) =>
    `expected a ${min === 1 ? "positive" : "non-negative"} integer, got ${describeValue(iss.input)}`
  const tooBig: Message = (iss) =>
    limitNoun === undefined
      ? `expected an integer of at most ${max}, got ${describeValue(iss.input)}`
      : `expected at most ${max} ${limitNoun} (a sanity limit), got ${describeValue(iss.input)}`
  return z.number({ error: expected }).int({ error: expected }).min(min, { error: expected }).max(max, { error: tooBig })
}

function boundedDuration(min: "zero" | "positive", description: string) {
  const seconds = (input: unknown) => (typeof input === "number" ? formatDuration(input) : describeValue(input))
  const tooSmall: Message = (iss) => `expected a duration greater than 0, got ${seconds(iss.input)}`
  const tooBig: Message = (iss) =>
    `expected at most ${formatDuration(LIMITS.simulatedS)} (30 days, a sanity limit), got ${seconds(iss.input)}`
  const bounded = z.number().max(LIMITS.simulatedS, { error: tooBig })
  return Duration.pipe(min === "positive" ? bounded.positive({ error: tooSmall }) : bounded).meta({ description })
}

const positiveDuration = (description: string) => boundedDuration("positive", description)

const HostClassInput = z.strictObject({
  count: integer(1, LIMITS.hostInstances, "host instances").meta({ description: "instances <class>-1 … <class>-<count>" }),
  cores: integer(1, LIMITS.coresPerHost, "cores per host"),
})

const DIST_KINDS = ["const", "exp", "uniform", "lognormal"] as const
const distKindsText = "const, exp, uniform or lognormal"

const uniformError: Message = (iss) => `expected [min, max], two durations, got ${describeValue(iss.input)}`

const DistInput = z
  .strictObject({
    const: positiveDuration("always this value").optional(),
    exp: positiveDuration("exponential with this mean").optional(),
    uniform: z
      .tuple([boundedDuration("zero", "min"), boundedDuration("zero", "max")], { error: uniformError })
      .optional(),
    lognormal: z
      .strictObject({
        mean: positiveDuration("mean"),
        cv: z.number({ error: (iss) => `expected a coefficient of variation ≥ 0, got ${describeValue(iss.input)}` })
          .min(0, { error: (iss) => `expected a coefficient of variation ≥ 0, got ${describeValue(iss.input)}` })
          .meta({ description: "coefficient of variation: standard deviation / mean" }),
      })
      .optional(),
  })
  .meta({
    description: "a distribution: { const: 10ms }, { exp: 10ms }, { uniform: [2ms, 6ms] } or { lognormal: { mean: 1ms, cv: 2 } }",
    minProperties: 1,
    maxProperties: 1,
  })
  .transform((d, ctx): Dist => {
    const kinds = DIST_KINDS.filter((k) => d[k] !== undefined)
    if (kinds.length !== 1) {
      const got = kinds.length === 0 ? "none" : kinds.join(" and ")
      ctx.addIssue({ code: "custom", message: `expected exactly one of ${distKindsText}, got ${got}`, input: d })
      return z.NEVER
    }
    if (d.const !== undefined) return { kind: "const", value: d.const }
    if (d.exp !== undefined) return { kind: "exp", mean: d.exp }
    if (d.lognormal !== undefined) return { kind: "lognormal", mean: d.lognormal.mean, cv: d.lognormal.cv }
    const [min, max] = d.uniform!
    if (min > max || max === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["uniform"],
        message: `expected [min, max] with min ≤ max and max > 0, got [${formatDuration(min)}, ${formatDuration(max)}]`,
        input: d.uniform,
      })
      return z.NEVER
    }
    return { kind: "uniform", min, max }
  })

const ServiceInput = z.strictObject({
  host: Key.meta({ description: "the host class: one instance on every host of that class" }),
  workers: integer(1, LIMITS.workersPerInstance, "workers per instance")
    .meta({ description: "requests an instance serves at once (Svrkit coroutines)" }),
  queue: integer(0, Number.MAX_SAFE_INTEGER).nullish()
    .meta({ description: "InQueue capacity; a full queue rejects arrivals. Absent or null: unbounded" }),
  cpu: DistInput,
})

const WorkloadInput = z.strictObject({
  rate: Rate.pipe(
    z.number()
      .max(LIMITS.ratePerS, {
        error: (iss) =>
          `expected at most ${formatRate(LIMITS.ratePerS)} (a sanity limit), got ${typeof iss.input === "number" ? formatRate(iss.input) : describeValue(iss.input)}`,
      }),
  ).meta({ description: "Poisson arrivals: 300/s, 1000/m, 5/h; 0: none (a kind only other requests start)" }),
  to: Key.meta({ description: "the entry service" }),
})

const targetError: Message = (iss) => `expected a host class or instance name, or a list of them, got ${describeValue(iss.input)}`

const FaultInput = z.strictObject({
  at: boundedDuration("zero", "from the start of the run, warm-up included"),
  for: positiveDuration("how long; absent or null: to the end of the run").nullish(),
  action: z.literal("host-down", {
    error: (iss) => `expected "host-down" (the only fault action so far), got ${describeValue(iss.input)}`,
  }),
  target: z.union([Key, z.array(Key, { error: targetError }).min(1, { error: "expected at least one target" })], {
    error: targetError,
  }).meta({ description: "an instance (app-1), a host class (app), or a list of them" }),
})

const SeriesInput = z.strictObject({
  step: positiveDuration("series step; absent: 1s, coarsened to keep ≤ ~2,000 points").nullish(),
})

function nonEmptyMap<T extends z.ZodType>(value: T, what: string) {
  return z.record(Key, value).refine((m) => Object.keys(m).length > 0, { error: `expected at least one ${what}` })
}

/** The file's top level, with units; see INTERFACE.md "The scenario core". */
const ScenarioInput = z.strictObject({
  name: ScenarioName.meta({ description: "names the results directory and the report" }),
  seed: integer(0, Number.MAX_SAFE_INTEGER).default(1).meta({ description: "default 1" }),
  warmup: boundedDuration("zero", "requests arriving earlier are not counted; default 0").default(0),
  duration: positiveDuration("the measured window after warm-up; arrivals stop at its end"),
  hosts: nonEmptyMap(HostClassInput, "host class"),
  services: nonEmptyMap(ServiceInput, "service"),
  workload: nonEmptyMap(WorkloadInput, "workload"),
  faults: z.array(FaultInput).nullish(),
  series: SeriesInput.nullish(),
})

type Input = z.output<typeof ScenarioInput>

function toScenario(f: Input): Scenario {
  const services = Object.fromEntries(
    Object.entries(f.services).map(([name, s]) => [name, { host: s.host, workers: s.workers, queue: s.queue ?? null, cpu: s.cpu }]),
  )
  const faults = (f.faults ?? []).map((x) => ({
    at: x.at,
    for: x.for ?? null,
    action: x.action,
    target: typeof x.target === "string" ? [x.target] : x.target,
  }))
  const { name, seed, warmup, duration, hosts, workload } = f
  return { name, seed, warmup, duration, hosts, services, workload, faults, seriesStep: f.series?.step ?? null }
}

const has = (map: object, key: string) => Object.hasOwn(map, key)

function listNames(map: object): string {
  const names = Object.keys(map)
  return names.length > 10 ? `${names.slice(0, 10).join(", ")}, …` : names.join(", ")
}

/** The host class of instance `<class>-<n>`, if it names an existing instance. */
function classOfInstance(s: Scenario, name: string): string | undefined {
  const m = /^(.+)-([1-9]\d*)$/.exec(name)
  return m !== null && has(s.hosts, m[1]) && Number(m[2]) <= s.hosts[m[1]].count ? m[1] : undefined
}

function unknownTarget(s: Scenario, target: string): string {
  const m = /^(.+)-(\d+)$/.exec(target)
  if (m !== null && has(s.hosts, m[1])) {
    const count = s.hosts[m[1]].count
    return `unknown instance "${target}": ${m[1]} has ${count === 1 ? `one instance, ${m[1]}-1` : `instances ${m[1]}-1 … ${m[1]}-${count}`}`
  }
  return `unknown target "${target}": not a host class (${listNames(s.hosts)}) nor one of their instances`
}

/** Checks across fields: names that refer to other entries, and limits on totals. */
function crossCheck(s: Scenario, ctx: z.RefinementCtx): void {
  const issue = (path: ReadonlyArray<string | number>, message: string) =>
    ctx.addIssue({ code: "custom", path: [...path], message })

  for (const cls of Object.keys(s.hosts)) {
    const other = classOfInstance(s, cls)
    if (other !== undefined) issue(["hosts", cls], `host class "${cls}" has the name of an instance of class "${other}"; rename one`)
  }
  const hostInstances = Object.values(s.hosts).reduce((n, h) => n + h.count, 0)
  if (hostInstances > LIMITS.hostInstances) {
    issue(["hosts"], `expected at most ${LIMITS.hostInstances} host instances in total (a sanity limit), got ${hostInstances}`)
  }
  for (const [name, svc] of Object.entries(s.services)) {
    if (!has(s.hosts, svc.host)) issue(["services", name, "host"], `unknown host class "${svc.host}"; host classes: ${listNames(s.hosts)}`)
  }
  const serviceInstances = Object.values(s.services).reduce((n, svc) => n + (has(s.hosts, svc.host) ? s.hosts[svc.host].count : 0), 0)
  if (serviceInstances > LIMITS.serviceInstances) {
    issue(["services"], `expected at most ${LIMITS.serviceInstances} service instances in total (a sanity limit), got ${serviceInstances}`)
  }
  for (const [name, w] of Object.entries(s.workload)) {
    if (!has(s.services, w.to)) issue(["workload", name, "to"], `unknown service "${w.to}"; services: ${listNames(s.services)}`)
  }
  s.faults.forEach((f, i) =>
    f.target.forEach((t, j) => {
      if (!has(s.hosts, t) && classOfInstance(s, t) === undefined) issue(["faults", i, "target", j], unknownTarget(s, t))
    }),
  )
  if (s.seriesStep !== null) {
    const points = Math.ceil((s.warmup + s.duration) / s.seriesStep)
    if (points > LIMITS.seriesPoints) {
      issue(["series", "step"], `a step of ${formatDuration(s.seriesStep)} gives ${points} points per series; at most ${LIMITS.seriesPoints} allowed (a sanity limit): use a larger step, or omit it`)
    }
  }
}

/**
 * The scenario file schema: input is the YAML/JSON data with units, output is a `Scenario`.
 * @example ScenarioFile.parse({ name: "mm1", duration: "10m", hosts: {…}, services: {…}, workload: {…} })
 */
export const ScenarioFile = ScenarioInput.transform(toScenario).superRefine(crossCheck)

/** A validation problem at a path in the scenario data (`[]` is the whole file). */
export interface SchemaIssue {
  readonly path: ReadonlyArray<string | number>
  readonly message: string
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    prev = row
  }
  return prev[b.length]
}

function unknownFieldMessage(key: string, allowed: ReadonlyArray<string>): string {
  const near = allowed.find((k) => editDistance(k, key) <= 2)
  const hint = near !== undefined ? `did you mean "${near}"? ` : ""
  return `unknown field; ${hint}expected one of: ${allowed.join(", ")}`
}

const TYPE_NOUNS: Readonly<Record<string, string>> = {
  object: "a mapping", record: "a mapping", array: "a list", tuple: "a list", string: "a string", number: "a number",
}

/** Messages for issues the schema's own `error`s do not word. */
const issueMessage: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case "invalid_type":
      return iss.input === undefined
        ? "missing required field"
        : `expected ${TYPE_NOUNS[iss.expected] ?? iss.expected}, got ${describeValue(iss.input)}`
    case "invalid_key":
      return iss.issues[0]?.message
    case "invalid_value":
      return `expected ${iss.values.map((v) => JSON.stringify(v)).join(" or ")}, got ${describeValue(iss.input)}`
    default:
      return undefined
  }
}

function shapeKeys(inst: unknown): ReadonlyArray<string> {
  const shape = (inst as { _zod?: { def?: { shape?: object } } } | undefined)?._zod?.def?.shape
  return shape === undefined ? [] : Object.keys(shape)
}

/**
 * Validates plain scenario data (as read from YAML/JSON) and returns the `Scenario`, or one
 * issue with its path into the data and a one-line message. An unknown field is reported before
 * anything else: a misspelt key also makes the real one "missing", and the typo is the cause.
 * @example
 * const r = validateScenario(YAML.parse(text))
 * if (!r.success) console.log(r.issue.path.join("."), r.issue.message)
 */
export function validateScenario(
  data: unknown,
): { readonly success: true; readonly scenario: Scenario } | { readonly success: false; readonly issue: SchemaIssue } {
  const result = ScenarioFile.safeParse(data, {
    reportInput: true,
    error: (iss) =>
      iss.code === "unrecognized_keys" ? unknownFieldMessage(iss.keys[0], shapeKeys(iss.inst)) : issueMessage(iss),
  })
  if (result.success) return { success: true, scenario: result.data }
  const issues = result.error.issues
  const first = issues.find((i) => i.code === "unrecognized_keys") ?? issues[0]
  const path = first.path.map((p) => (typeof p === "symbol" ? String(p) : p))
  const at = first.code === "unrecognized_keys" ? [...path, first.keys[0]] : path
  // Fields' own messages ("expected a duration …, got nothing") would hide that the field is absent.
  const absent = first.input === undefined && (first.code === "invalid_type" || first.code === "invalid_union")
  return { success: false, issue: { path: at, message: absent ? "missing required field" : first.message } }
}

/** The input type of a scenario file, for code that writes scenarios. */
export type ScenarioFileInput = z.input<typeof ScenarioFile>

/**
 * The JSON Schema of a scenario file as a user writes it (units as strings), for editor
 * completion; generated by zod from `ScenarioFile`'s input side, so it cannot drift from it.
 * Checks across fields (dangling names, totals) are not expressed in it.
 * @example writeFileSync("scenario.schema.json", JSON.stringify(scenarioJsonSchema(), null, 2))
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(ScenarioFile, { io: "input" }) as Record<string, unknown>
  return {
    $schema,
    $id: "urn:wwsim:scenario",
    title: "wwsim scenario",
    description: "A wwsim scenario file: hosts, services, workload and faults (see INTERFACE.md).",
    ...rest,
  }
}

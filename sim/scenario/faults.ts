/**
 * The fault timeline's schema: one zod object per action, so an error names the action's own
 * fields ("`bandwidth`: expected a ratio …") and a field another action uses is refused.
 */
import * as z from "zod"
import type { FastRejectSpec, FaultSpec } from "./Scenario.ts"
import { LIMITS } from "./limits.ts"
import { Duration, Ratio, describeValue, formatDuration } from "./units.ts"
import { FAULT, resolveFastReject } from "./defaults.ts"

const NAME = /^[a-z0-9][a-z0-9_-]*$/
const nameList = (what: string) => {
  const error = (iss: { input?: unknown }) => `expected ${what}, or a list of them, got ${describeValue(iss.input)}`
  const name = z.string({ error }).regex(NAME, { error })
  return z.union([name, z.array(name, { error }).min(1, { error: "expected at least one" })], { error })
    .transform((v) => (typeof v === "string" ? [v] : v))
}
const hostsList = nameList("a host class or instance name (app, app-1)")
const servicesList = nameList("a service name")
const kindsList = nameList("a workload (request kind) name")

const withinLimit = Duration.pipe(z.number().max(LIMITS.simulatedS, {
  error: (iss) => `expected at most ${formatDuration(LIMITS.simulatedS)} (30 days, a sanity limit), got ${typeof iss.input === "number" ? formatDuration(iss.input) : describeValue(iss.input)}`,
}))
const at = withinLimit.meta({ description: "from the start of the run, warm-up included" })
const forDuration = withinLimit.nullish().meta({ description: "how long; absent: to the end of the run" })
const positive = (what: string) =>
  z.number({ error: (iss) => `expected ${what}, got ${describeValue(iss.input)}` })
    .positive({ error: (iss) => `expected ${what}, got ${describeValue(iss.input)}` })

/** A time of day, `HH:MM` (YAML 1.2 reads 10:00 as a string) or a duration into the day. */
const TimeOfDay = z.union([
  z.string().regex(/^([01]?\d|2[0-3]):[0-5]\d$/).transform((s) => {
    const [h, m] = s.split(":").map(Number)
    return h * 3600 + m * 60
  }),
  Duration.pipe(z.number().min(0).max(86_400)),
], { error: (iss) => `expected a time of day like 10:00, or a duration under 24h, got ${describeValue(iss.input)}` })

const cold = {
  factor: z.number().min(1).optional().meta({ description: `a returning host's CPU is this many times slower at first; default ${FAULT.coldFactor}` }),
  ramp: Duration.optional().meta({ description: `…and back to normal linearly over this long; default ${FAULT.coldRampS}s` }),
}

const FastRejectChange = z.union([z.literal(false), z.strictObject({
  window: Duration.optional(), waitThreshold: Duration.optional(), cpuLimit: Ratio.optional(),
  down: Ratio.optional(), up: Ratio.optional(), minPass: Ratio.optional(), clientCache: Duration.optional(),
})])

const actions = [
  z.strictObject({ action: z.literal("host-down"), at, for: forDuration, target: hostsList, ...cold })
    .meta({ description: "hosts fail: queued and running work is lost, connections drop; back cold after `for`" }),
  z.strictObject({ action: z.literal("host-up"), at, target: hostsList, ...cold })
    .meta({ description: "hosts return (cold: slower CPU at first)" }),
  z.strictObject({ action: z.literal("service-crash"), at, for: forDuration, target: servicesList, hosts: hostsList.optional() })
    .meta({ description: "a module's workers core-dump: in-flight work is lost and calls get a fast reject (-218)" }),
  z.strictObject({
    action: z.literal("nic-degrade"), at, for: forDuration, target: hostsList,
    bandwidth: Ratio.optional().meta({ description: "capacity left, e.g. 10%; default 100%" }),
    latency: Duration.optional().meta({ description: "added to every message in or out" }),
    loss: Ratio.optional().meta({ description: "messages lost (the caller times out)" }),
  }).meta({ description: "a NIC renegotiates down, adds latency or drops messages" }),
  z.strictObject({ action: z.literal("disk-slow"), at, for: forDuration, target: hostsList, factor: z.number().min(1) })
    .meta({ description: "disks this many times slower" }),
  z.strictObject({ action: z.literal("partition"), at, for: forDuration, target: hostsList, peer: hostsList })
    .meta({ description: "messages between the target hosts and the peer hosts are lost" }),
  z.strictObject({
    action: z.literal("push-outage"), at, for: forDuration, target: servicesList.optional(),
    interval: Duration.optional().meta({ description: `how long ss5 tries before answering -203; default ${FAULT.pushOutageIntervalS}s` }),
  }).meta({ description: "the vendor push services behind ss5 are unreachable (-203)" }),
  z.strictObject({
    action: z.literal("long-conn-blocked"), at, for: forDuration,
    interval: Duration.optional().meta({ description: `clients poll this often instead; default ${FAULT.pollIntervalS}s` }),
  }).meta({ description: "port 8080 blocked: no pushes over long connections; clients poll, so messages arrive in batches" }),
  z.strictObject({
    action: z.literal("shield"), at, for: forDuration, target: servicesList, hosts: hostsList.optional(),
    percent: Ratio.optional().meta({ description: "skip this share of calls by uin hash; absent: shield the instances for everyone" }),
  }).meta({ description: "an operator's global or percentage shield" }),
  z.strictObject({
    action: z.literal("config"), at, for: forDuration, target: servicesList,
    tries: z.number().int().min(1).max(10).optional(), timeout: Duration.nullish(), fastReject: FastRejectChange.optional(),
  }).meta({ description: "change tries, timeouts or fast-reject settings of calls to the target services" }),
  z.strictObject({
    action: z.literal("load"), at, for: forDuration, target: kindsList.optional(),
    factor: positive("a rate multiplier > 0, e.g. 2")
      .max(LIMITS.loadFactor, { error: (iss) => `expected a rate multiplier of at most ${LIMITS.loadFactor} (a sanity limit), got ${describeValue(iss.input)}` })
      .meta({ description: "rates × factor" }),
    ramp: Duration.optional().meta({ description: "reach the factor linearly over this long (a ramp); default at once (a spike)" }),
  }).meta({ description: "multiply request rates: a spike or a ramp" }),
  z.strictObject({
    action: z.literal("login-storm"), at, for: withinLimit, target: kindsList.optional(),
    users: z.number().int().positive()
      .max(LIMITS.users, { error: (iss) => `expected at most ${LIMITS.users} users (a sanity limit), got ${describeValue(iss.input)}` })
      .meta({ description: "users logging in within `for`" }),
  }).meta({ description: "N users log in within a window, as after an access host returns" }),
  z.strictObject({
    action: z.literal("replay"), at, for: forDuration, target: kindsList.optional(),
    file: z.string().min(1).optional().meta({ description: "CSV of `seconds,multiplier` lines, relative to the scenario file" }),
    profile: z.literal("daily", { error: (iss) => `expected "daily" (the built-in profile), got ${describeValue(iss.input)}` }).optional()
      .meta({ description: "daily: the built-in office day (hourly multipliers, mean 1, peak ≈ 3× the mean at 10:00; sim/faults/daily.ts), instead of a file" }),
    start: TimeOfDay.optional()
      .meta({ description: "profile: the time of day at `at`, e.g. 09:50 (or a duration into the day, 9h50m); default 00:00" }),
  }).meta({ description: "replay a trace of rate multipliers, or the built-in daily profile" }),
] as const

const ACTION_NAMES = actions.map((a) => a.shape.action.value)

/** One fault entry as written. */
export const FaultInput = z.discriminatedUnion("action", actions, {
  error: (iss) =>
    iss.code === "invalid_union"
      ? `expected an action: ${ACTION_NAMES.join(", ")}; got ${describeValue((iss.input as { action?: unknown } | undefined)?.action)}`
      : undefined,
})

type Input = z.output<typeof FaultInput>

function toFastReject(f: z.output<typeof FastRejectChange>): FastRejectSpec | null {
  if (f === false) return null
  return resolveFastReject(f)
}

/** The default targets of actions that may omit them. */
const DEFAULT_TARGET: Partial<Record<FaultSpec["action"], string[]>> = {
  "push-outage": ["ss5"], "login-storm": ["login"], "long-conn-blocked": [], load: [], replay: [],
}

/**
 * A fault as the engine reads it.
 * @example toFault({ action: "disk-slow", at: 60, for: 30, target: ["storage"], factor: 5 })
 */
export function toFault(x: Input): FaultSpec {
  const { action, at } = x
  const base = { at, for: "for" in x ? (x.for ?? null) : null, action }
  const target = "target" in x && x.target !== undefined ? x.target : (DEFAULT_TARGET[action] ?? [])
  switch (x.action) {
    case "host-down":
    case "host-up":
      return { ...base, target, factor: x.factor ?? FAULT.coldFactor, ramp: x.ramp ?? FAULT.coldRampS }
    case "service-crash":
      return { ...base, target, hosts: x.hosts }
    case "nic-degrade":
      return { ...base, target, bandwidth: x.bandwidth ?? FAULT.nicBandwidth, latency: x.latency ?? FAULT.nicLatencyS, loss: x.loss ?? FAULT.nicLoss }
    case "disk-slow":
      return { ...base, target, factor: x.factor }
    case "partition":
      return { ...base, target, peer: x.peer }
    case "push-outage":
      return { ...base, target, interval: x.interval ?? FAULT.pushOutageIntervalS }
    case "long-conn-blocked":
      return { ...base, target, interval: x.interval ?? FAULT.pollIntervalS }
    case "shield":
      return { ...base, target, hosts: x.hosts, percent: x.percent }
    case "config":
      return {
        ...base, target, tries: x.tries,
        timeout: x.timeout === undefined ? undefined : x.timeout,
        fastReject: x.fastReject === undefined ? undefined : toFastReject(x.fastReject),
      }
    case "load":
      return { ...base, target, factor: x.factor, ramp: x.ramp ?? FAULT.loadRampS }
    case "login-storm":
      return { ...base, target, users: x.users }
    case "replay":
      return {
        ...base, target, ...(x.file === undefined ? {} : { file: x.file }),
        ...(x.profile === undefined ? {} : { profile: x.profile, start: x.start ?? 0 }),
      }
  }
}

/** What kind of names an action's `target` holds, for the cross-reference checks. */
export function targetKind(action: FaultSpec["action"]): "hosts" | "services" | "kinds" | "none" {
  switch (action) {
    case "host-down": case "host-up": case "nic-degrade": case "disk-slow": case "partition":
      return "hosts"
    case "service-crash": case "push-outage": case "shield": case "config":
      return "services"
    case "load": case "login-storm": case "replay":
      return "kinds"
    case "long-conn-blocked":
      return "none"
  }
}

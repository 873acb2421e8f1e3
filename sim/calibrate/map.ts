/**
 * `map.yaml`: what the logs' names mean in the model — which requests are which workload kind,
 * which hosts (names in CPU series, addresses in logs) are which host class, which Svrkit modules
 * are which services, and the nginx `log_format` the access logs were written with.
 */
import { readFileSync } from "node:fs"
import { LineCounter, parseDocument, isNode } from "yaml"
import * as z from "zod"
import { ScenarioInvalid, ScenarioUnreadable } from "../scenario/errors.ts"
import { parseDuration } from "../scenario/units.ts"

const Kind = z.strictObject({
  uri: z.string().optional().meta({ description: "a regular expression matched against the request path of the access log" }),
  cmd: z.array(z.number().int()).optional().meta({ description: "Svrkit command ids of this kind in RUN lines" }),
})

const HostClass = z.strictObject({
  match: z.array(z.string()).min(1).meta({ description: "host names or addresses, `*` matching any characters: logic-*, 10.0.1.*" }),
  cores: z.number().int().positive().optional().meta({ description: "cores per host (default: the base scenario's, or sar's header)" }),
})

const Module = z.strictObject({
  service: z.string().optional().meta({ description: "the scenario service this module is (default: its own name)" }),
  files: z.array(z.string()).optional().meta({ description: "file names holding only this module's RUN lines, `*` matching any characters" }),
  calls: z.array(z.string()).optional().meta({ description: "modules it calls, whose RUN lines from its hosts are its downstream waits" }),
})

const MapSchema = z.strictObject({
  logFormat: z.string().optional().meta({ description: "nginx log_format of the access logs, as in nginx.conf" }),
  interval: z.string().optional().refine((s) => s === undefined || (parseDuration(s) ?? 0) > 0, "expected a duration like 60s"),
  timezone: z.string().regex(/^[+-]\d\d:?\d\d$/, "expected an offset like +08:00").optional()
    .meta({ description: "the offset of local times without one (sar); default +00:00" }),
  cpuUnit: z.enum(["fraction", "percent", "cores"]).optional()
    .meta({ description: "Prometheus and CSV CPU values: a share 0–1 (default), percent, or busy cores" }),
  uin: z.string().regex(/^\$\w+$/, "expected an nginx variable like $http_x_uin").optional()
    .meta({ description: "the log_format variable holding the user's uin (replay); default a hash of $remote_addr" }),
  kinds: z.record(z.string(), Kind),
  hosts: z.record(z.string(), HostClass),
  modules: z.record(z.string(), Module).optional(),
})

export interface CalibrationMap {
  readonly file: string
  readonly logFormat?: string
  readonly intervalS: number
  readonly timezoneS: number
  readonly cpuUnit: "fraction" | "percent" | "cores"
  readonly uin?: string
  readonly kinds: ReadonlyArray<{ readonly name: string; readonly uri?: RegExp; readonly cmd: ReadonlyArray<number> }>
  readonly hosts: ReadonlyArray<{ readonly name: string; readonly match: ReadonlyArray<RegExp>; readonly cores?: number }>
  readonly modules: ReadonlyArray<{ readonly name: string; readonly service: string; readonly files: ReadonlyArray<RegExp>; readonly calls: ReadonlyArray<string> }>
}

/** `logic-*` → /^logic-.*$/ */
export const glob = (pattern: string): RegExp =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`)

/** "+08:00" → 28800 */
const offsetSeconds = (text: string): number => {
  const m = /^([+-])(\d\d):?(\d\d)$/.exec(text)!
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60)
}

/**
 * Parses and validates map text; `file` names it in errors (`error: map.yaml:4:3 kinds.login.uri: …`).
 *
 * @example
 * parseMap("kinds: { login: { uri: '^/login' } }\nhosts: { web: { match: ['web-*'] } }", "map.yaml").kinds[0].name // "login"
 */
export function parseMap(text: string, file: string): CalibrationMap {
  const lines = new LineCounter()
  const doc = parseDocument(text, { version: "1.2", uniqueKeys: true, lineCounter: lines })
  if (doc.errors.length > 0) {
    const e = doc.errors[0]
    throw new ScenarioInvalid({ file, path: "", line: e.linePos?.[0].line, column: e.linePos?.[0].col, message: e.message.split("\n")[0].replace(/ at line \d+, column \d+:?\s*$/, "") })
  }
  const parsed = MapSchema.safeParse(doc.toJS())
  const at = (path: ReadonlyArray<PropertyKey>) => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as Array<string | number>, true)
      const start = isNode(node) ? node.range?.[0] : undefined
      if (start !== undefined) return lines.linePos(start)
    }
    return undefined
  }
  const fail = (path: ReadonlyArray<PropertyKey>, message: string): never => {
    const pos = at(path)
    throw new ScenarioInvalid({ file, path: path.map(String).join("."), line: pos?.line, column: pos?.col, message })
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return fail(issue.path, issue.message)
  }
  const m = parsed.data
  const kinds = Object.entries(m.kinds).map(([name, k]) => {
    let uri: RegExp | undefined
    if (k.uri !== undefined) {
      try { uri = new RegExp(k.uri) } catch (e) { fail(["kinds", name, "uri"], `not a regular expression: ${(e as Error).message}`) }
    }
    return { name, uri, cmd: k.cmd ?? [] }
  })
  return {
    file,
    logFormat: m.logFormat,
    intervalS: m.interval === undefined ? 60 : parseDuration(m.interval)!,
    timezoneS: m.timezone === undefined ? 0 : offsetSeconds(m.timezone),
    cpuUnit: m.cpuUnit ?? "fraction",
    uin: m.uin,
    kinds,
    hosts: Object.entries(m.hosts).map(([name, h]) => ({ name, match: h.match.map(glob), cores: h.cores })),
    modules: Object.entries(m.modules ?? {}).map(([name, mod]) => ({
      name, service: mod.service ?? name, files: (mod.files ?? []).map(glob), calls: mod.calls ?? [],
    })),
  }
}

/** Reads and validates a map file. */
export function loadMap(file: string): CalibrationMap {
  let text: string
  try {
    text = readFileSync(file, "utf8")
  } catch (e) {
    const code = (e as { code?: string }).code
    throw new ScenarioUnreadable({ file, reason: code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : String((e as Error).message) })
  }
  return parseMap(text, file)
}

/** The host class a host name or address belongs to (an `ip:port` address is matched without its port), or undefined. */
export function hostClass(map: CalibrationMap, host: string): string | undefined {
  const bare = host.replace(/:\d+$/, "")
  for (const h of map.hosts) if (h.match.some((r) => r.test(host) || r.test(bare))) return h.name
  return undefined
}

/** The workload kind of a request path, or undefined. */
export function kindOfPath(map: CalibrationMap, path: string): string | undefined {
  for (const k of map.kinds) if (k.uri !== undefined && k.uri.test(path)) return k.name
  return undefined
}

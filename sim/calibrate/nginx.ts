/**
 * nginx access logs in any `log_format`, given as the nginx config string (as GoAccess takes it):
 * the format becomes one anchored regular expression with a group per variable.
 *
 * Why not a package: `nginxparser` builds the same kind of expression but reads files itself,
 * silently skips lines that do not match, and knows no gzip; we need every unmatched line counted
 * with its file:line, and one streamed reader for all inputs.
 */

/** One parsed access-log line, times in seconds. */
export interface AccessRecord {
  /** Unix time of the request's end ($msec) or its start of logging second ($time_local). */
  readonly t: number
  readonly path: string
  readonly status: number
  readonly requestTime: number
  /** Sum over the upstreams tried; NaN when none ("-"). */
  readonly upstreamTime: number
  readonly upstreamAddr: string
  readonly requestLength: number
  readonly bytesSent: number
  readonly remoteAddr: string
  /** The field named by the map's `uin`, when it has one. */
  readonly uin: string
}

/** What calibration needs from a format, each with the variables that provide it. */
export const NEEDED: ReadonlyArray<{ readonly what: string; readonly any: ReadonlyArray<string>; readonly why: string }> = [
  { what: "$msec or $time_local", any: ["msec", "time_local", "time_iso8601"], why: "the request's time, for rates per interval" },
  { what: "$request", any: ["request", "request_uri", "uri"], why: "the URI, for the request's kind" },
  { what: "$status", any: ["status"], why: "the outcome" },
  { what: "$request_time", any: ["request_time"], why: "the latency to validate against" },
  { what: "$upstream_response_time", any: ["upstream_response_time"], why: "nginx's own time apart from its upstream's" },
  { what: "$upstream_addr", any: ["upstream_addr"], why: "which upstream host class served it" },
  { what: "$request_length", any: ["request_length"], why: "request sizes" },
  { what: "$bytes_sent", any: ["bytes_sent", "body_bytes_sent"], why: "reply sizes" },
]

/** Variables that never contain a space, matched as \S* (faster and unambiguous). */
const TOKEN = new Set(["msec", "status", "request_time", "request_length", "bytes_sent", "body_bytes_sent", "remote_addr", "time_iso8601", "connection", "connection_requests", "pid", "uri", "request_uri", "host", "server_port"])

/** Upstream variables list one value per upstream tried, joined by ", " (or " : " across redirects). */
const SEP = "(?:, | : )"
const TIMES = `(-|\\d+(?:\\.\\d+)?(?:${SEP}(?:-|\\d+(?:\\.\\d+)?))*)`
const ADDRS = `([^ ,]+(?:${SEP}[^ ,]+)*)`
const LISTS: Record<string, string> = {
  upstream_response_time: TIMES, upstream_connect_time: TIMES, upstream_header_time: TIMES,
  upstream_addr: ADDRS, upstream_status: ADDRS,
}

export interface CompiledFormat {
  readonly variables: ReadonlyArray<string>
  /** The first needed variable the format lacks, as a one-line reason; undefined when complete. */
  readonly missing?: string
  /** Parses a line; undefined when it does not match or a needed field is not a number/time. */
  readonly parse: (line: string) => AccessRecord | undefined
}

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 }

/** `10/Oct/2000:13:55:36 -0700` → Unix seconds; NaN if malformed. */
export function parseTimeLocal(s: string): number {
  const m = /^(\d\d)\/(\w{3})\/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)$/.exec(s)
  if (m === null || MONTHS[m[2]] === undefined) return NaN
  const utc = Date.UTC(Number(m[3]), MONTHS[m[2]], Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) / 1000
  const offset = (m[7] === "-" ? -1 : 1) * (Number(m[8]) * 3600 + Number(m[9]) * 60)
  return utc - offset
}

/** "0.012, 0.004 : 0.001" (several upstreams tried, or internal redirects) → their sum; "-" → NaN. */
export function sumTimes(s: string): number {
  if (s === "-" || s === "") return NaN
  let total = 0
  for (const part of s.split(/\s*[,:]\s*/)) {
    if (part === "-") continue
    const v = Number(part)
    if (!Number.isFinite(v)) return NaN
    total += v
  }
  return total
}

/** "POST /cgi-bin/sendmsg?x=1 HTTP/1.1" → "/cgi-bin/sendmsg" */
const pathOf = (request: string): string => {
  const sp = request.indexOf(" ")
  const target = sp < 0 ? request : request.slice(sp + 1, request.indexOf(" ", sp + 1) < 0 ? undefined : request.indexOf(" ", sp + 1))
  const q = target.indexOf("?")
  return q < 0 ? target : target.slice(0, q)
}

/**
 * Compiles an nginx `log_format` string. `uinVariable` (e.g. "$http_x_uin") is captured too.
 *
 * @example
 * const f = compileFormat('$remote_addr [$time_local] "$request" $status $request_time')
 * f.missing // 'lacks $upstream_response_time (needed for …)'
 */
export function compileFormat(format: string, uinVariable?: string): CompiledFormat {
  const variables: string[] = []
  let source = "^"
  const re = /\$\{(\w+)\}|\$(\w+)/g
  let last = 0
  let m: RegExpExecArray | null
  const parts: Array<{ literal: string } | { variable: string }> = []
  while ((m = re.exec(format)) !== null) {
    if (m.index > last) parts.push({ literal: format.slice(last, m.index) })
    parts.push({ variable: m[1] ?? m[2] })
    last = m.index + m[0].length
  }
  if (last < format.length) parts.push({ literal: format.slice(last) })
  parts.forEach((p, i) => {
    if ("literal" in p) {
      source += p.literal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
      return
    }
    variables.push(p.variable)
    const isLast = i === parts.length - 1
    source += TOKEN.has(p.variable) ? "(\\S*)" : LISTS[p.variable] ?? (isLast ? "(.*)" : "(.*?)")
  })
  source += "$"
  const matcher = new RegExp(source)
  const missingNeed = NEEDED.find((n) => !n.any.some((v) => variables.includes(v)))
  const missing = missingNeed === undefined ? undefined : `lacks ${missingNeed.what} (needed for ${missingNeed.why})`
  const index = (name: string) => variables.indexOf(name) + 1 // 0: absent (group 0 is never used as a field)
  const first = (...names: string[]) => { for (const n of names) { const i = index(n); if (i > 0) return i } return 0 }
  const iMsec = index("msec"), iLocal = index("time_local"), iIso = index("time_iso8601")
  const iRequest = index("request"), iUri = first("request_uri", "uri")
  const iStatus = index("status"), iRt = index("request_time"), iUrt = index("upstream_response_time")
  const iUaddr = index("upstream_addr"), iLen = index("request_length"), iSent = first("bytes_sent", "body_bytes_sent")
  const iRemote = index("remote_addr"), iUin = uinVariable === undefined ? 0 : index(uinVariable.slice(1))
  const num = (g: RegExpExecArray, i: number) => (i === 0 ? NaN : Number(g[i]))
  const parse = (line: string): AccessRecord | undefined => {
    const g = matcher.exec(line)
    if (g === null) return undefined
    const t = iMsec > 0 ? Number(g[iMsec]) : iLocal > 0 ? parseTimeLocal(g[iLocal]) : iIso > 0 ? Date.parse(g[iIso]) / 1000 : NaN
    const status = num(g, iStatus)
    const requestTime = num(g, iRt)
    if (!Number.isFinite(t) || !Number.isInteger(status) || !(requestTime >= 0)) return undefined
    const requestLength = num(g, iLen), bytesSent = num(g, iSent)
    return {
      t,
      path: iRequest > 0 ? pathOf(g[iRequest]) : iUri > 0 ? pathOf(`GET ${g[iUri]}`) : "",
      status,
      requestTime,
      upstreamTime: iUrt > 0 ? sumTimes(g[iUrt]) : NaN,
      upstreamAddr: iUaddr > 0 ? g[iUaddr] : "",
      requestLength: Number.isFinite(requestLength) ? requestLength : 0,
      bytesSent: Number.isFinite(bytesSent) ? bytesSent : 0,
      remoteAddr: iRemote > 0 ? g[iRemote] : "",
      uin: iUin > 0 ? g[iUin] : "",
    }
  }
  return { variables, missing, parse }
}

/** nginx's predefined `combined` format. */
export const COMBINED = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"'

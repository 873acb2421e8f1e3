// Writes the example calibration data set of scenarios/calibration/ from a stated ground truth,
// deterministically (seeded): `npx tsx scripts/calibration-data.ts [dir] [--minutes 30]`.
//
// The ground truth (also written to truth.json): the WeCom preset's call chains (PATH, PULL:
// with its session and sequence-number calls on the send path and the recipient's pull of each
// pushed message, logged as /cgi-bin/newsync) with every module's CPU at the values below (2–20×
// the preset's assumptions), 1,000 users, rates that vary
// over 30 s intervals (messages follow a half-hour wave, files and logins vary on their own, so
// every kind's demand is identifiable). Each request's CPU on each module is drawn (exponential,
// or lognormal cv 0.8 for the modules whose RUN lines are logged); $request_time is the sum
// along the request's synchronous path (the hosts are lightly loaded, so there is no queueing),
// in whole milliseconds as nginx logs it (a file download adds its disk read and its transfer
// over three links). Each host's CPU sample per interval is its background
// plus the CPU of the requests it served, over its cores, plus Gaussian measurement noise
// (sd 0.4 points). 0.5% of the access-log lines are cut short (a crash mid-write), to show the
// garbage count. RUN lines: logic-1's Svrkit log for ten minutes, wwlchatlogicsvr (its worker
// time includes its waits on wwlidallocsvr and wwlxkv), wwlidallocsvr and wwlxkv.
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { gzipSync } from "node:zlib"
import seedrandom from "seedrandom"

export const TRUTH = {
  users: 1000,
  activeRatio: 0.3,
  intervalS: 30,
  start: Date.UTC(2026, 10, 30, 10, 0, 0) / 1000,
  // mean arrivals per second (before the per-interval variation)
  rates: { sendmsg: 50, file: 5, login: 3 },
  // CPU seconds per call
  cpu: {
    nginx: 1e-3, wwlproxy: 0.5e-3, wwllogic: 2.5e-3, wwlauthsvr: 10e-3, wwlpkv: 1.5e-3,
    wwlchatlogicsvr: 2.5e-3, wwlxkv: 1.5e-3, wwlmqasyncsvr: 0.5e-3, wwlpush: 1e-3, wwlconn: 0.5e-3,
    wwlhttpsvr: 1.5e-3, wwlfile: 1e-3, wwlsessionsvr: 0.5e-3, wwlidallocsvr: 0.5e-3, wwlsyncsvr: 1e-3,
  },
  lognormalCv: 0.8,
  hosts: { access: { count: 1, cores: 2, background: 0.15 }, logic: { count: 3, cores: 4, background: 0.3 } },
  noiseSd: 0.004,
  sizes: { sendmsg: { request: 1500, reply: 250 }, file: { request: 600, reply: 80_000 }, login: { request: 600, reply: 2500 }, sync: { request: 350, reply: 3900 } },
  garbage: 0.005,
}

type Kind = "login" | "sendmsg" | "file"
type Svc = keyof typeof TRUTH.cpu
const ACCESS = new Set<Svc>(["nginx"])
// synchronous path (in $request_time) and the asynchronous rest (the push chain), as the preset's
// call trees have them: sending checks the session and allocates a sequence number
// (sendPathModules), the MQ hands the message to wwlpush, the recipient's long connection is told
const PATH: Record<Kind, { sync: Svc[]; async: Svc[] }> = {
  login: { sync: ["nginx", "wwlproxy", "wwllogic", "wwlauthsvr", "wwlpkv"], async: [] },
  sendmsg: { sync: ["nginx", "wwlproxy", "wwllogic", "wwlsessionsvr", "wwlchatlogicsvr", "wwlidallocsvr", "wwlxkv"], async: ["wwlmqasyncsvr", "wwlpush", "wwlconn", "nginx"] },
  file: { sync: ["nginx", "wwlhttpsvr", "wwlfile"], async: [] },
}
// ... and the told recipient pulls the message (the preset's syncPull: one pull per online push,
// every recipient here online): its own request, logged, whose URI the map leaves unmapped, so its
// CPU counts in sendmsg's demand (the base's call tree folds an unmapped spawned kind into its parent)
const PULL: Svc[] = ["nginx", "wwlproxy", "wwllogic", "wwlsyncsvr", "wwlxkv"]
const URI: Record<Kind | "sync", string> = { login: "POST /cgi-bin/login HTTP/1.1", sendmsg: "POST /cgi-bin/sendmsg HTTP/1.1", file: "GET /cgi-bin/download?fileid=f0 HTTP/1.1", sync: "POST /cgi-bin/newsync HTTP/1.1" }
// the modules whose RUN lines are logged (their CPU lognormal)
const LOGGED = new Set<Svc>(["wwlchatlogicsvr", "wwlidallocsvr", "wwlxkv"])
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

/** True CPU seconds per request of each kind on each host class (the recovery target). */
export function trueDemands(): Record<string, Record<Kind, number>> {
  const out: Record<string, Record<Kind, number>> = { access: { login: 0, sendmsg: 0, file: 0 }, logic: { login: 0, sendmsg: 0, file: 0 } }
  for (const k of ["login", "sendmsg", "file"] as Kind[]) {
    for (const s of [...PATH[k].sync, ...PATH[k].async, ...(k === "sendmsg" ? PULL : [])]) out[ACCESS.has(s) ? "access" : "logic"][k] += TRUTH.cpu[s]
  }
  return out
}

export function generate(dir: string, minutes = 30, seed = "calibration-example"): void {
  const rng = seedrandom(seed)
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng())
  const exp = (mean: number) => -Math.log(1 - rng()) * mean
  const sigma = Math.sqrt(Math.log(1 + TRUTH.lognormalCv ** 2))
  const lognormal = (mean: number) => Math.exp(Math.log(mean) - sigma * sigma / 2 + sigma * gauss())
  const poisson = (l: number) => { // normal approximation above 30 is enough here
    if (l > 30) return Math.max(0, Math.round(l + Math.sqrt(l) * gauss()))
    let k = 0, p = Math.exp(-l), s = p; const u = rng()
    while (u > s) { k++; p *= l / k; s += p }
    return k
  }
  const draw = (s: Svc) => (LOGGED.has(s) ? lognormal(TRUTH.cpu[s]) : exp(TRUTH.cpu[s]))
  const intervals = Math.round((minutes * 60) / TRUTH.intervalS)
  const I = TRUTH.intervalS
  const lines: Array<{ t: number; text: string }> = []
  const runLines: string[] = []
  const cpuLines = ["time,host,cpu"]
  const runFrom = TRUTH.start + 600, runTo = TRUTH.start + 1200
  const hostName = (cls: "access" | "logic", i: number) => `${cls}-${i + 1}`
  const ip = (cls: "access" | "logic", i: number) => `10.0.${cls === "access" ? 0 : 1}.${i + 1}`
  for (let b = 0; b < intervals; b++) {
    const t0 = TRUTH.start + b * I
    const wave = 1 + 0.5 * Math.sin((2 * Math.PI * b * I) / 1800)
    const lambda: Record<Kind, number> = {
      sendmsg: TRUTH.rates.sendmsg * wave * (0.85 + 0.3 * rng()),
      file: TRUTH.rates.file * (0.4 + 1.2 * rng()),
      login: TRUTH.rates.login * (0.3 + 1.4 * rng() ** 2 * 1.5),
    }
    const busy = { access: new Float64Array(TRUTH.hosts.access.count), logic: new Float64Array(TRUTH.hosts.logic.count) }
    // One request along `path` (synchronous, in $request_time) arriving at `arrival`, logged;
    // returns its end and each module's CPU.
    const serve = (kind: Kind | "sync", path: Svc[], arrival: number, uin: number) => {
      const size = TRUTH.sizes[kind]
      let rt = 0, nginxCpu = 0
      const cpuOf: Partial<Record<Svc, number>> = {}
      for (const s of path) {
        const c = draw(s)
        cpuOf[s] = (cpuOf[s] ?? 0) + c
        rt += c
        if (s === "nginx") nginxCpu = c
        const cls = ACCESS.has(s) ? "access" : "logic"
        busy[cls][Math.floor(rng() * busy[cls].length)] += c
      }
      const sent = Math.max(100, Math.round(size.reply * Math.exp(0.5 * gauss() - 0.125)))
      // a file is read from disk (100 MB/s) and crosses three 2 Gbit/s links (file → http → nginx → user)
      if (kind === "file") rt += sent / 100e6 + (3 * sent * 8) / 2e9
      const rtMs = Math.round(rt * 1000) / 1000
      const urt = Math.max(0, Math.round((rt - nginxCpu) * 1000) / 1000)
      const reqLen = Math.max(100, Math.round(size.request * Math.exp(0.3 * gauss() - 0.045)))
      const end = arrival + rtMs
      const d = new Date(Math.floor(end) * 1000)
      const local = `${String(d.getUTCDate()).padStart(2, "0")}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${d.toISOString().slice(11, 19)} +0000`
      const upstream = `${ip("logic", uin % 3)}:${kind === "file" ? 8081 : 8080}`
      const client = `172.16.${(uin >> 8) & 255}.${uin & 255}`
      let text = `${client} [${local}] "${URI[kind]}" 200 ${reqLen} ${sent} ${rtMs.toFixed(3)} ${urt.toFixed(3)} ${upstream} ${end.toFixed(3)} uin=${uin}`
      if (rng() < TRUTH.garbage) text = text.slice(0, Math.floor(text.length * rng()))
      lines.push({ t: end, text })
      return { end, cpuOf, reqLen }
    }
    for (const kind of ["login", "sendmsg", "file"] as Kind[]) {
      const n = poisson(lambda[kind] * I)
      for (let r = 0; r < n; r++) {
        const arrival = t0 + rng() * I
        const uin = 10_000_000 + Math.floor(rng() * TRUTH.users * (kind === "sendmsg" ? TRUTH.activeRatio : 1))
        const { end, cpuOf, reqLen } = serve(kind, PATH[kind].sync, arrival, uin)
        let told = end
        for (const s of PATH[kind].async) {
          const c = draw(s)
          told += c
          const cls = ACCESS.has(s) ? "access" : "logic"
          busy[cls][Math.floor(rng() * busy[cls].length)] += c
        }
        if (kind === "sendmsg") serve("sync", PULL, told, 10_000_000 + Math.floor(rng() * TRUTH.users))
        if (kind === "sendmsg" && arrival >= runFrom && arrival < runTo) {
          const at = new Date(arrival * 1000).toISOString().replace("T", " ").slice(0, 23)
          const ms = (s: Svc) => Math.round(cpuOf[s]! * 1000)
          // wwlchatlogicsvr's worker time includes its waits on wwlidallocsvr and wwlxkv
          if (rng() < 1 / 3) {
            runLines.push(`${at} wwlchatlogicsvr[2301] RUN 0 ${Math.round((cpuOf.wwlchatlogicsvr! + cpuOf.wwlidallocsvr! + cpuOf.wwlxkv!) * 1000)} ${uin} CMD 41 ip ${ip("logic", Math.floor(rng() * 3))} io ${reqLen} 67`)
          }
          if (rng() < 1 / 3) runLines.push(`${at} wwlidallocsvr[1544] RUN 0 ${ms("wwlidallocsvr")} ${uin} CMD 3 ip ${ip("logic", Math.floor(rng() * 3))} io 100 100`)
          if (rng() < 1 / 3) runLines.push(`${at} wwlxkv[1877] RUN 0 ${ms("wwlxkv")} ${uin} CMD 7 ip ${ip("logic", Math.floor(rng() * 3))} io ${reqLen} 12`)
        }
      }
    }
    for (const cls of ["access", "logic"] as const) {
      const h = TRUTH.hosts[cls]
      for (let i = 0; i < h.count; i++) {
        const util = (h.background + busy[cls][i] / I) / h.cores + TRUTH.noiseSd * gauss()
        cpuLines.push(`${t0 + I},${hostName(cls, i)},${Math.max(0, util).toFixed(4)}`)
      }
    }
  }
  lines.sort((a, b) => a.t - b.t)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, "access.log.gz"), gzipSync(lines.map((l) => l.text).join("\n") + "\n", { level: 9 }))
  writeFileSync(join(dir, "cpu.csv"), cpuLines.join("\n") + "\n")
  runLines.sort()
  writeFileSync(join(dir, "wwl-logic-1-2026113010.log.gz"), gzipSync(runLines.join("\n") + "\n", { level: 9 }))
  writeFileSync(join(dir, "truth.json"), JSON.stringify({ ...TRUTH, demands: trueDemands() }, null, 2) + "\n")
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2)
  const mi = args.indexOf("--minutes")
  const minutes = mi >= 0 ? Number(args[mi + 1]) : 30
  const dir = args.find((a, i) => !a.startsWith("--") && (mi < 0 || i !== mi + 1)) ?? join("scenarios", "calibration")
  generate(dir, minutes)
  console.log(`wrote ${dir}/access.log.gz, cpu.csv, wwl-logic-1-2026113010.log.gz, truth.json`)
}

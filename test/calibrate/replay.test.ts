// Trace replay: a generated access log (known per-second arrival counts, lines written in order
// of completion so arrivals are out of order in the file) replayed through the engine. At speed 1
// each second's completed requests equal the log's arrivals in that second exactly (service takes
// 1 µs, arrivals are on whole milliseconds, so none crosses a second); at speed 2 they are doubled.
// The memory test replays a large gzip'd log generated on the fly and checks the process's peak
// memory stays under a fixed bound: 50 MB of log by default, 1 GB with WWSIM_REPLAY_GB=1.
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createGzip, gzipSync } from "node:zlib"
import seedrandom from "seedrandom"
import { afterAll, describe, expect, it } from "vitest"
import { loadScenarioFile } from "../../sim/scenario/load.ts"
import { simulate } from "../../sim/simulate.ts"
import { wwsim } from "../cli/wwsim.ts"

const dirs: string[] = []
const temp = () => { const d = mkdtempSync(join(tmpdir(), "wwsim-replay-")); dirs.push(d); return d }
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }) })

const FORMAT = '$remote_addr $msec "$request" $status $request_length $bytes_sent $request_time $upstream_response_time $upstream_addr'
const MAP = `logFormat: '${FORMAT}'\nkinds:\n  sendmsg: { uri: '^/sendmsg$' }\n  login: { uri: '^/login$' }\nhosts: { app: { match: ['app-*'] } }\n`
const START_MS = 1_796_032_800_000

const scenario = (dir: string, seconds: number, speed: number, log = "access.log") => `name: replay
duration: ${seconds}s
series: { step: 1s }
users: 1000
hosts: { app: { count: 1, cores: 1000 } }
services: { server: { host: app, workers: 100000, cpu: { const: 1us } } }
workload:
  sendmsg: { rate: 0, to: server }
  login: { rate: 0, to: server }
trace: { file: ${log}, map: map.yaml, speed: ${speed}, from: "${new Date(START_MS).toISOString()}" }
`

/** Writes a log of `seconds` seconds; returns each kind's arrivals per second. */
function writeLog(dir: string, seconds: number): Record<string, number[]> {
  const rng = seedrandom("replay-log")
  const counts: Record<string, number[]> = { sendmsg: Array(seconds).fill(0), login: Array(seconds).fill(0) }
  const lines: Array<{ end: number; text: string }> = []
  for (let s = 0; s < seconds; s++) {
    for (const [kind, mean] of [["sendmsg", 40], ["login", 3]] as const) {
      const n = Math.floor(rng() * 2 * mean)
      for (let i = 0; i < n; i++) {
        const arrivalMs = START_MS + s * 1000 + Math.floor(rng() * 1000)
        const rtMs = Math.floor(rng() * 800)
        counts[kind][s]++
        const end = arrivalMs + rtMs
        lines.push({ end, text: `10.1.${i % 250}.${s % 250} ${(end / 1000).toFixed(3)} "POST /${kind} HTTP/1.1" 200 900 120 ${(rtMs / 1000).toFixed(3)} ${(rtMs / 1000).toFixed(3)} 10.0.0.1:80` })
      }
    }
  }
  lines.push({ end: START_MS + 5, text: "garbage line" })
  lines.sort((a, b) => a.end - b.end)
  writeFileSync(join(dir, "access.log"), lines.map((l) => l.text).join("\n") + "\n")
  writeFileSync(join(dir, "map.yaml"), MAP)
  return counts
}

describe("replaying an access log", () => {
  const dir = temp()
  const seconds = 60
  const counts = writeLog(dir, seconds)

  const run = (speed: number) => {
    writeFileSync(join(dir, `s${speed}.yaml`), scenario(dir, seconds, speed))
    return simulate(loadScenarioFile(join(dir, `s${speed}.yaml`))).report
  }

  it("at speed 1 reproduces the log's per-second arrival counts exactly, and says what it replayed", () => {
    const report = run(1)
    for (const kind of ["sendmsg", "login"]) {
      expect(report.series!.kinds[kind].throughput, kind).toEqual(counts[kind])
      expect(report.requests[kind].issued).toBe(counts[kind].reduce((a, b) => a + b, 0))
    }
    expect(report.trace).toMatchObject({
      file: join(dir, "access.log"), speed: 1, from: new Date(START_MS).toISOString(), unparsed: 1, late: 0,
      logged: counts.sendmsg.reduce((a, b) => a + b, 0) + counts.login.reduce((a, b) => a + b, 0),
    })
  })

  it("reads a gzip'd log to its end, past its first megabyte of compressed data (a second chunk)", () => {
    // the reader inflates 1 MB of file at a time: several such chunks, every request replayed
    const gz = temp()
    const long = 3600
    const c = writeLog(gz, long)
    writeFileSync(join(gz, "access.log.gz"), gzipSync(readFileSync(join(gz, "access.log")), { level: 9 }))
    expect(statSync(join(gz, "access.log.gz")).size).toBeGreaterThan(1 << 20)
    writeFileSync(join(gz, "gz.yaml"), scenario(gz, long, 1, "access.log.gz").replace("series: { step: 1s }\n", ""))
    const report = simulate(loadScenarioFile(join(gz, "gz.yaml"))).report
    expect(report.trace!.logged).toBe(c.sendmsg.reduce((a, b) => a + b, 0) + c.login.reduce((a, b) => a + b, 0))
    expect(report.requests.sendmsg.issued).toBe(c.sendmsg.reduce((a, b) => a + b, 0))
  }, 60_000)

  it("at speed 2 doubles every second's count (duplicates, the shape unchanged)", () => {
    const report = run(2)
    for (const kind of ["sendmsg", "login"]) {
      expect(report.series!.kinds[kind].throughput, kind).toEqual(counts[kind].map((c) => 2 * c))
    }
  })

  it("at speed 0.5 thins: about half, every second at most its logged count", () => {
    const report = run(0.5)
    const got = report.series!.kinds.sendmsg.throughput
    got.forEach((c: number, s: number) => expect(c).toBeLessThanOrEqual(counts.sendmsg[s]))
    const total = counts.sendmsg.reduce((a, b) => a + b, 0)
    const kept = got.reduce((a: number, b: number) => a + b, 0)
    // binomial(total, 1/2): within 4 standard deviations
    expect(Math.abs(kept - total / 2)).toBeLessThan(4 * Math.sqrt(total / 4))
  })
})

describe("replaying a large log in bounded memory", () => {
  const gb = process.env.WWSIM_REPLAY_GB === "1"
  const targetBytes = gb ? 1e9 : 50e6
  it(`replays ${gb ? "1 GB" : "50 MB"} of log with peak memory under 300 MB`, async () => {
    const dir = temp()
    writeFileSync(join(dir, "map.yaml"), MAP)
    // a plain log, streamed to disk: ~95 bytes a line, 2,000 lines a second of log time
    const out = createWriteStream(join(dir, "big.log"))
    let bytes = 0, ms = 0, i = 0
    const line = () => {
      ms += 0.5
      const end = START_MS + Math.floor(ms)
      return `10.1.${i % 250}.${(i++ >> 8) % 250} ${(end / 1000).toFixed(3)} "POST /sendmsg HTTP/1.1" 200 900 120 0.002 0.002 10.0.0.1:80\n`
    }
    while (bytes < targetBytes) {
      let chunk = ""
      for (let k = 0; k < 10_000; k++) chunk += line()
      bytes += chunk.length
      if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()))
    }
    await new Promise<void>((r) => out.end(() => r()))
    const seconds = Math.floor(ms / 1000)
    writeFileSync(join(dir, "big.yaml"), scenario(dir, seconds, 1, "big.log").replace("series: { step: 1s }\n", ""))
    const r = await wwsim(["run", join(dir, "big.yaml"), "--quiet", "--out", join(dir, "out")], dir)
    expect(r.code, r.stderr).toBe(0)
    const report = JSON.parse(readFileSync(join(dir, "out", "report.json"), "utf8"))
    expect(report.trace.logged).toBe(report.requests.sendmsg.issued)
    console.log(`replayed ${(bytes / 1e6).toFixed(0)} MB of log: ${report.requests.sendmsg.issued} arrivals, peak memory ${report.run.peakMemoryMB} MB`)
    expect(report.requests.sendmsg.issued).toBeGreaterThan(0.99 * i)
    expect(report.run.peakMemoryMB).toBeLessThan(300)
    rmSync(join(dir, "big.log"))
  }, gb ? 1_800_000 : 300_000)
})

// The load generator, a separate process pinned to its own core. `open`: Poisson arrivals at a
// fixed rate (open loop: the schedule never waits for replies, so queueing is not hidden by
// coordinated omission; a request's latency runs from its scheduled arrival). `closed`: N
// concurrent loops each sending the next request when the last one returns (only to measure
// saturation throughput). Records every request (scheduled offset, latency, status) and writes
// them as JSON to the output file. Bounded: stops sending at `durationS`, abandons requests after
// `timeoutMs`, and exits when its parent closes stdin.
// Usage: node loadgen.mjs '<json options>' <out.json>
import http from "node:http"
import { writeFileSync } from "node:fs"
import seedrandom from "seedrandom"

const opts = JSON.parse(process.argv[2])
const outFile = process.argv[3]
const { url, mode, rate, concurrency, durationS, timeoutMs, seed } = opts
const maxRequests = opts.maxRequests ?? 200_000

const agent = new http.Agent({ keepAlive: true, maxSockets: 512 })
const target = new URL(url)
const rng = seedrandom.alea(String(seed))

const sentAt = new Float64Array(maxRequests) // ms from start, scheduled
const latency = new Float64Array(maxRequests) // ms
const status = new Int16Array(maxRequests) // HTTP status; 0 connection error; -1 timed out; -2 never finished
let issued = 0
let finished = 0
let sendLagMs = 0
const t0 = performance.now()
const endMs = durationS * 1000
let stopped = false

function send(scheduled, onDone) {
  if (issued >= maxRequests) return false
  const i = issued++
  sentAt[i] = scheduled
  status[i] = -2
  sendLagMs += performance.now() - t0 - scheduled
  let settled = false
  const settle = (code) => {
    if (settled) return
    settled = true
    latency[i] = performance.now() - t0 - scheduled
    status[i] = code
    finished++
    if (onDone !== undefined) onDone()
    maybeExit()
  }
  const req = http.request(
    { host: target.hostname, port: target.port, path: target.pathname, method: "GET", agent },
    (res) => {
      res.resume()
      res.on("end", () => settle(res.statusCode ?? 0))
      res.on("error", () => settle(0))
    },
  )
  req.setTimeout(timeoutMs, () => {
    settle(-1)
    req.destroy()
  })
  req.on("error", () => settle(0))
  req.end()
  return true
}

function openLoop() {
  let next = -Math.log(1 - rng()) * 1000 / rate
  const tick = () => {
    const now = performance.now() - t0
    while (next <= now && next < endMs) {
      if (!send(next)) { next = endMs; break }
      next += -Math.log(1 - rng()) * 1000 / rate
    }
    if (next >= endMs) { stopped = true; maybeExit(); return }
    const wait = next - (performance.now() - t0)
    // A timer fires up to ~1 ms late; poll with setImmediate for the last stretch so arrivals
    // stay close to their schedule (latency is measured from the schedule either way).
    if (wait > 2) setTimeout(tick, wait - 1.5)
    else setImmediate(tick)
  }
  tick()
}

function closedLoop() {
  const loop = () => {
    const now = performance.now() - t0
    if (now >= endMs) { stopped = true; maybeExit(); return }
    if (!send(now, loop)) { stopped = true; maybeExit() }
  }
  for (let c = 0; c < concurrency; c++) loop()
}

function maybeExit() {
  if (stopped && finished === issued) done()
}

let wrote = false
function done() {
  if (wrote) return
  wrote = true
  const n = issued
  writeFileSync(outFile, JSON.stringify({
    issued: n,
    sendLagMs: n > 0 ? sendLagMs / n : 0,
    sentAtMs: Array.from(sentAt.subarray(0, n), (x) => Math.round(x * 1000) / 1000),
    latencyMs: Array.from(latency.subarray(0, n), (x) => Math.round(x * 1000) / 1000),
    status: Array.from(status.subarray(0, n)),
  }))
  agent.destroy()
  process.exit(0)
}

// Hard bound: whatever happens, write what we have and leave after the schedule plus the timeout.
setTimeout(done, endMs + timeoutMs + 2000).unref()
process.stdin.on("end", () => process.exit(0))
process.stdin.resume()
if (mode === "closed") closedLoop()
else openLoop()

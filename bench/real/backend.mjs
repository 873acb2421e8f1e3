// A backend of the system under test: an HTTP server on 127.0.0.1 that spends a drawn amount of
// its own CPU time per request (busy, not sleeping) and then replies, one request at a time like
// any single-threaded server. It spins on the process's CPU time, not wall time, so a core shared
// with nginx or other backends stretches the wall time but not the work: the truth stays known.
// Like an application server it logs each request's cost: the CPU time its handler used, in µs
// (`<epoch ms> <cpu us>` lines), measured around the handler, so calibration can read the spread
// of the demand at a resolution nginx's millisecond log lacks.
// Usage: node backend.mjs <port> <dist, e.g. lognormal:2ms:1.5> <seed> <cost log file>
// Exits when its parent closes stdin, so it never outlives the harness.
import { createWriteStream } from "node:fs"
import http from "node:http"
import { parseDist, sampler } from "./dist.mjs"

const [port, distText, seed, costLog] = process.argv.slice(2)
const costs = createWriteStream(costLog, { flags: "a" })
const dist = parseDist(distText)
if (dist === undefined) {
  console.error(`error: backend: bad distribution "${distText}"`)
  process.exit(2)
}
const draw = sampler(dist, seed)

const cpuNowUs = () => {
  const u = process.cpuUsage()
  return u.user + u.system
}

function spin(us) {
  const end = cpuNowUs() + us
  while (cpuNowUs() < end) { /* busy on purpose */ }
}

const server = http.createServer((req, res) => {
  req.resume()
  req.on("end", () => {
    const from = cpuNowUs()
    spin(draw())
    res.writeHead(200, { "content-type": "text/plain", "content-length": "3" })
    res.end("ok\n")
    costs.write(`${Date.now()} ${cpuNowUs() - from}\n`)
  })
})
server.keepAliveTimeout = 120_000
server.headersTimeout = 121_000
server.listen(Number(port), "127.0.0.1", () => process.stdout.write("ready\n"))
const leave = () => costs.end(() => process.exit(0))
process.stdin.on("end", leave)
process.stdin.resume()
process.on("SIGTERM", leave)

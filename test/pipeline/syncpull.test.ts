// The sync pull and the modules left out (issue 11 item 8): an online recipient told of a message
// pulls it (newsync), one pull per push delivered over a long connection; sending checks the
// session and allocates a sequence number. Their CPU shows on the logic hosts as the preset's
// assumed costs predict.
import { describe, expect, test } from "vitest"
import type { SimReport } from "../../sim/report/Report.ts"
import { parseScenarioText } from "../../sim/scenario/load.ts"
import { simulate } from "../../sim/simulate.ts"

// 3,000 users, 30% active, one message every 2 s each: 450 messages/s; 70% of recipients online.
const scenario = (extra: string) => `
name: sync
preset: wecom
users: 3000
onlineRatio: 70%
warmup: 5s
duration: 60s
hosts:
  access: { count: 2 }
  logic: { count: 3 }
${extra}
`
const run = (extra = ""): SimReport => simulate(parseScenarioText(scenario(extra), "sync.yaml")).report

/** Busy logic cores, time-averaged over the window, all logic hosts together. */
const logicCores = (r: SimReport) =>
  Object.values(r.hosts).filter((h) => h.class === "logic").reduce((s, h) => s + h.cpuUtil * h.cores, 0)

describe("the sync pull and the send path's session and sequence services", () => {
  const full = run()
  const bare = run("syncPull: false\nsendPathModules: false")

  test("one pull per push delivered over a long connection", () => {
    const pushesOnline = full.services.wwlconn.served
    // ~450/s × 70% × 60 s ≈ 18,900 pushes online
    expect(pushesOnline).toBeGreaterThan(17_000)
    // a pull starts when wwlconn's call ends; only those spawned around the window's edges differ
    expect(Math.abs(full.requests.sync.issued - pushesOnline) / pushesOnline).toBeLessThan(0.01)
    expect(full.requests.sync.ok / full.requests.sync.issued).toBeGreaterThan(0.999)
    // every message checks the session and takes a sequence number
    expect(Math.abs(full.services.wwlsessionsvr.served - full.services.wwlidallocsvr.served)).toBeLessThan(20)
    expect(Math.abs(full.services.wwlsessionsvr.served - full.requests.sendmsg.issued)).toBeLessThan(50)
    expect(bare.requests.sync).toBeUndefined()
    expect(bare.services.wwlsessionsvr).toBeUndefined()
  })

  test("the pull's bytes: ~350 B up, the message plus 2.4 KB down (seed 004's newsync sizes)", () => {
    const edge = full.requests.sync.edgeMbps!
    const pulls = full.requests.sync.issued / 60
    expect(edge.up / ((pulls * 350 * 8) / 1e6)).toBeCloseTo(1, 1)
    expect(edge.down / ((pulls * 3_400 * 8) / 1e6)).toBeCloseTo(1, 1)
  })

  test("their CPU shows on the logic hosts, as the assumed costs predict", () => {
    const messages = full.requests.sendmsg.issued / 60
    const pulls = full.requests.sync.issued / 60
    // session 200 µs + idalloc 50 µs per message; per pull wwlproxy 100 µs, wwllogic 500 µs,
    // wwlsyncsvr 300 µs and the xkv read 200 µs (mixed: xkv on the logic hosts)
    const predicted = messages * 250e-6 + pulls * 1100e-6
    const added = logicCores(full) - logicCores(bare)
    expect(added / predicted).toBeGreaterThan(0.9)
    expect(added / predicted).toBeLessThan(1.1)
  })
})

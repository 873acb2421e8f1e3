// Issue 11 items 3 and 6: ports as Linux counts them, the reserve for short requests, devices per
// user, churn, and long connections dropped with the wwlconn that holds them. Small core scenarios
// (no preset), run on the engine directly so the user population can be read.
import { describe, expect, test } from "vitest"
import { Engine } from "../../sim/engine/Engine.ts"
import { buildReport } from "../../sim/report/build.ts"
import { parseScenarioText } from "../../sim/scenario/load.ts"

// `edge` holds users' connections (nginx); `conn` on the three `up` hosts terminates them (wwlconn).
const base = (extra: string) => `
name: conns
users: 6000
access: edge
duration: 20s
hosts:
  edge: { count: 1, cores: 8, ports: { range: 1000, reserve: 0 } }
  up: { count: 3, cores: 8 }
services:
  proxy: { host: edge, workers: 1000, cpu: { exp: 100us } }
  conn: { host: up, workers: 1000, cpu: { exp: 100us } }
  login: { host: up, workers: 1000, cpu: { exp: 100us } }
workload:
  req: { rate: 200/s, connection: pooled, call: { to: proxy, route: user, timeout: 2s, calls: [{ to: conn, route: uin }] } }
  login: { rate: 0, connection: pooled, call: { to: proxy, route: user, timeout: 2s, calls: [{ to: login, route: uin }] } }
longConnections: { via: conn, lifetime: null }
${extra}`

function run(text: string) {
  const engine = new Engine(parseScenarioText(text, "conns.yaml"))
  engine.run()
  return { engine, users: engine.model.users, report: buildReport(engine) }
}

describe("ports per host or per destination (Linux reuses a local port toward another ip:port)", () => {
  test("per host: one access host holds at most its range of long connections", () => {
    const { users } = run(base(""))
    expect(users.onlineCount).toBe(1000)
  })

  test("per destination with 3 upstreams: 3× the connections", () => {
    // 6,000 users hash to the three conn instances (~2,000 each, above 1,000): each destination fills.
    const { users, report } = run(base("").replace("ports: { range: 1000, reserve: 0 }", "ports: { range: 1000, per: destination, reserve: 0 }"))
    expect(users.onlineCount).toBe(3000)
    expect(report.hosts["edge-1"].portsInUse!.limit).toBe(3000)
  })
})

describe("the seed's reserve keeps ports for short requests", () => {
  const flood = (reserve: number) =>
    run(base("").replace("reserve: 0", `reserve: ${reserve}`).replace("users: 6000", "users: 3000"))

  test("without a reserve, long connections take every port and short requests fail to connect (-201)", () => {
    const { report } = flood(0)
    expect(report.requests.req.codes["-201"]).toBe(report.requests.req.issued)
  })

  test("with a reserve of 100, long connections stop at 900 and short requests keep their ports", () => {
    const { users, report } = flood(100)
    expect(users.onlineCount).toBe(900)
    // 200/s × ~0.2 ms in flight: far below 100 ports, so no request lacks one.
    expect(report.requests.req.codes["-201"] ?? 0).toBe(0)
    expect(report.requests.req.ok).toBe(report.requests.req.issued)
  })

  test("the default reserve is the seed's share: 28,232 ports hold about 27,000 clients", () => {
    const { users } = run(base("").replace("ports: { range: 1000, reserve: 0 }", "ports: 28232").replace("users: 6000", "users: 30000"))
    expect(users.onlineCount).toBe(27_000)
  })
})

describe("connections per user (PC + phone)", () => {
  test("two devices per user take two ports each", () => {
    const { users, report } = run(base("connectionsPerUser: 2").replace("users: 6000", "users: 300"))
    expect(users.onlineCount).toBe(300)
    // 600 long connections, plus the few short requests in flight.
    expect(report.hosts["edge-1"].portsInUse!.mean).toBeGreaterThanOrEqual(600)
    expect(report.hosts["edge-1"].portsInUse!.mean).toBeLessThan(602)
  })
})

describe("churn: long connections end and reconnect", () => {
  test("reconnects come at users / (lifetime + reconnect delay)", () => {
    // A renewal process per user: a lifetime of mean 100 s, then a reconnect delay of 1 s; over
    // 200 s, 2,000 users reconnect 2000 × 200 / 101 ≈ 3,960 times (Poisson sd ≈ 63; ±4 sd).
    const { report } = run(
      base("").replace("users: 6000", "users: 2000").replace("ports: { range: 1000, reserve: 0 }", "ports: 28232")
        .replace("duration: 20s", "warmup: 100s\nduration: 200s")
        .replace("longConnections: { via: conn, lifetime: null }", "longConnections: { via: conn, lifetime: 100s, reconnect: { const: 1s }, login: login }"),
    )
    const expected = (2000 * 200) / 101
    expect(Math.abs(report.resilience.reconnects! - expected)).toBeLessThan(4 * Math.sqrt(expected))
    // each reconnect logs in again
    expect(Math.abs(report.requests.login.issued - report.resilience.reconnects!)).toBeLessThan(20)
  })
})

describe("a host holding users' long connections goes down (issue 11 item 6)", () => {
  test("a conn host down drops its users' connections; they reconnect and log in", () => {
    const { engine, users, report } = run(
      base("").replace("ports: { range: 1000, reserve: 0 }", "ports: 28232").replace("users: 6000", "users: 3000")
        .replace("longConnections: { via: conn, lifetime: null }", "longConnections: { via: conn, lifetime: null, reconnect: { uniform: [0s, 5s] }, login: login }")
        + "faults: [{ at: 5s, action: host-down, target: up-1 }]\n",
    )
    // The users up-1 held: those whose uin hashes to conn's first instance on its ring (about a third).
    const ring = engine.model.services.find((s) => s.name === "conn")!.ring!
    let held = 0
    for (let uin = 0; uin < 3000; uin++) if (ring.pick(uin) === 0) held++
    expect(held).toBeGreaterThan(900)
    expect(held).toBeLessThan(1100)
    expect(report.resilience.reconnects).toBe(held)
    expect(report.requests.login.issued).toBe(held)
    // everyone is back online, on the two conn hosts still up
    expect(users.onlineCount).toBe(3000)
    for (let slot = 0; slot < users.slots; slot++) expect(users.destinationOf(slot)).not.toBe(0)
  })
})

describe("users come back after an access host returns (issue 17)", () => {
  // Two access hosts with ports to spare; edge-1 is down from 5 s to 15 s: its users move to edge-2.
  const back = (lc: string) => {
    const { users } = run(
      base("").replace("edge: { count: 1, cores: 8, ports: { range: 1000, reserve: 0 } }", "edge: { count: 2, cores: 8, ports: 28232 }")
        .replace("users: 6000", "users: 2000").replace("duration: 20s", "duration: 75s")
        .replace("longConnections: { via: conn, lifetime: null }", `longConnections: { via: conn, ${lc}, reconnect: { uniform: [0s, 2s] } }`)
        + "faults: [{ at: 5s, for: 10s, action: host-down, target: edge-1 }]\n",
    )
    return [users.heldOn(0), users.heldOn(1)]
  }

  test("without churn they stay where they reconnected: the returned host gets none", () => {
    expect(back("lifetime: null")).toEqual([0, 2000])
  })

  test("with churn and least-connections they rebalance: every reconnect goes to the emptier host", () => {
    // Lifetime 10 s: edge-2's 2,000 connections end at 200/s, each reconnect lands on edge-1 while it
    // holds fewer, so the split is even (±2 %) well within the 60 s after the return. Connected at
    // any instant: lifetime / (lifetime + mean reconnect delay) = 10 / 11 of 2,000 ≈ 1,818 (sd ≈ 13).
    const [a, b] = back("lifetime: 10s")
    expect(Math.abs(a + b - 1818)).toBeLessThan(60)
    expect(Math.abs(a - b)).toBeLessThan(0.02 * (a + b) + 10)
  })

  test("with churn and hash they return to their home host: about half each", () => {
    const [a, b] = back("lifetime: 10s, balance: hash")
    // 60 s after the return, a connection has survived with probability e^-6: nearly all went home (by hash, half ±5 %).
    expect(Math.abs(a - b)).toBeLessThan(0.1 * (a + b))
  })
})

describe("a push branches on the user's state when it is made, not when the request began", () => {
  // The MQ holds each push 2 s (an external wait) before the branch; up-1 dies at 1 s, dropping the long
  // connections through its conn (users reconnect over 0–20 s). Pushes that began before 1 s to
  // those users reach the branch while they are offline: they go the vendor way. Decided at the
  // request's start they went the online way, found no connection and failed (-201), and a caller
  // counted the failure against a healthy wwlpush in its shields.
  const text = `
name: branch
users: 300
access: edge
duration: 5s
hosts:
  edge: { count: 1, cores: 8, ports: { range: 10000, reserve: 0 } }
  up: { count: 3, cores: 8 }
  mq: { count: 1, cores: 64 }
services:
  conn: { host: up, workers: 1000, cpu: { exp: 100us } }
  mqsvr: { host: mq, workers: 10000, cpu: { exp: 100us } }
  vendor: { host: mq, workers: 10000, cpu: { exp: 100us } }
workload:
  push:
    rate: 100/s
    call: { to: mqsvr, route: uin, timeout: 10s, external: { const: 2s }, calls: [{ to: conn, when: online, route: connection }, { to: vendor, when: offline }] }
longConnections: { via: conn, lifetime: null }
faults:
  - { at: 1s, action: host-down, target: up-1 }
`

  test("pushes to users whose connection dropped meanwhile go the offline way; none fails", () => {
    const { report } = run(text)
    const push = report.requests.push
    // ~100 pushes began in the first second; a third of their users were on up-1.
    expect(push.issued).toBeGreaterThan(400)
    expect(push.codes["-201"] ?? 0).toBe(0)
    expect(push.ok).toBe(push.issued - push.inFlight)
    // Before: 43 of them failed with -201.
    expect(report.services.vendor.served).toBeGreaterThan(43)
  })
})

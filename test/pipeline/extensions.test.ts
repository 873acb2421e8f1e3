// General extensions the seeds' other deployments need: a VIP pair with failover, disk IOPS.
import { describe, expect, test } from "vitest"
import { parseScenarioText } from "../../sim/scenario/load.ts"
import { simulate } from "../../sim/simulate.ts"

const run = (yaml: string) => simulate(parseScenarioText(yaml, "x.yaml")).report

describe("an active/standby pair behind a VIP", () => {
  const yaml = (failover: string) => `
name: vip
duration: 60s
hosts:
  lb: { count: 2, cores: 4, vip: { failover: ${failover} } }
services:
  gateway: { host: lb, workers: 100, cpu: { exp: 1ms } }
workload:
  req: { rate: 100/s, call: { to: gateway, route: vip, timeout: 1s } }
faults: [{ at: 20s, for: 30s, action: host-down, target: lb-1, factor: 1 }]
`
  test("only the active host serves; after it fails, requests fail until the standby takes over", () => {
    const r = run(yaml("3s"))
    // lb-1 serves the first 20 s; lb-2 takes over 3 s after the failure and keeps the VIP.
    expect(r.services.gateway.instances["lb-1"].served / 2000).toBeGreaterThan(0.9)
    expect(r.services.gateway.instances["lb-2"].served / 3700).toBeGreaterThan(0.9)
    // About 3 s of requests (≈ 300) fail to connect: Poisson sd ≈ 17.
    expect(r.requests.req.failed).toBeGreaterThan(220)
    expect(r.requests.req.failed).toBeLessThan(380)
  })

  test("a longer failover loses proportionally more", () => {
    expect(run(yaml("10s")).requests.req.failed).toBeGreaterThan(run(yaml("3s")).requests.req.failed * 2.5)
  })
})

describe("disk IOPS", () => {
  test("4,500 IOPS caps a database at 4,500 operations a second whatever the bandwidth", () => {
    const r = run(`
name: iops
duration: 30s
hosts:
  db: { count: 1, cores: 16, disk: { write: 1GB/s, read: 1GB/s, iops: 4500 } }
services:
  mysql: { host: db, workers: 2500, queue: 0, cpu: { const: 50us } }
workload:
  q: { rate: 6000/s, call: { to: mysql, disk: { read: 4KB }, timeout: 2s } }
`)
    // 6,000 reads/s offered to 4,500 IOPS: the backlog grows, the 2,500 connections fill and the
    // rest are refused (-206), so at most 4,500/s complete.
    expect(r.requests.q.ok / 30).toBeLessThan(4600)
    expect(r.requests.q.ok / 30).toBeGreaterThan(4300)
    expect(r.requests.q.codes["-206"]).toBeGreaterThan(0)
  })
})

// The Svrkit client and server rules of docs/model.md §2 on small deterministic scenarios.
import { describe, expect, test } from "vitest"
import type { SimReport } from "../../sim/report/Report.ts"
import { parseScenarioText } from "../../sim/scenario/load.ts"
import { simulate } from "../../sim/simulate.ts"

const run = (yaml: string): SimReport => simulate(parseScenarioText(yaml, "test.yaml")).report

/** A client → front → store chain; `store` runs on three hosts, `front` on one. */
const chain = (opts: { route: string; extra?: string; faults: string; shield?: string; duration?: string }) => `
name: svrkit
seed: 3
users: 3000
duration: ${opts.duration ?? "20s"}
hosts:
  fronthost: { count: 1, cores: 8 }
  storage: { count: 3, cores: 8 }
services:
  front: { host: fronthost, workers: 1000, cpu: { const: 100us } }
  store:
    host: storage
    workers: 1000
    cpu: { const: 200us }
    shield: ${opts.shield ?? "{ threshold: 1000000, failureRate: 0 }"}
workload:
  req:
    rate: 200/s
    call:
      to: front
      calls:
        - { to: store, route: ${opts.route}, tries: 3, timeout: 100ms ${opts.extra ?? ""} }
faults: ${opts.faults}
`

describe("retries", () => {
  test("a retry goes to another machine: with two of three down, every request still succeeds", () => {
    // Shields are off (threshold unreachable), so each request first tries its uin's own machine.
    const r = run(chain({ route: "uin", faults: "[{ at: 0s, action: host-down, target: [storage-1, storage-2] }]" }))
    const req = r.requests.req
    expect(req.failed).toBe(0)
    expect(req.ok).toBe(req.issued - req.inFlight)
    // Two thirds of uins start on a down machine; a retry to the same machine would fail them.
    expect(r.resilience.retries).toBeGreaterThan(0.5 * req.issued)
  })

  test("a logic failure is never retried: a storage group without quorum answers -300 once", () => {
    const r = run(chain({ route: "group", extra: ", quorum: 2", faults: "[{ at: 0s, action: host-down, target: [storage-2, storage-3] }]" }))
    const req = r.requests.req
    expect(req.codes).toEqual({ "-300": req.issued - req.inFlight })
    // Each request tries the group's members in turn until it reaches storage-1, which answers -300:
    // 0, 1 or 2 retries, uniformly — about one per request. Retrying the -300 would make it 2 each.
    const perRequest = r.resilience.retries / req.issued
    expect(perRequest).toBeGreaterThan(0.85)
    expect(perRequest).toBeLessThan(1.15)
  })

  test("no retries when nothing fails", () => {
    const r = run(chain({ route: "uin", faults: "[]" }))
    expect(r.resilience.retries).toBe(0)
    expect(r.requests.req.failed).toBe(0)
  })

  test("shields: after a few failures the down machine is skipped without a try", () => {
    const faults = "[{ at: 0s, action: host-down, target: [storage-1] }]"
    const shielded = run(chain({ route: "uin", faults, shield: "{ threshold: 5, leak: 1/s, for: 10s }" }))
    const unshielded = run(chain({ route: "uin", faults }))
    expect(shielded.resilience.shieldActivations).toBeGreaterThan(0)
    // Without shields a third of requests pay a failed try; with them, only the probes do.
    expect(shielded.resilience.retries).toBeLessThan(unshielded.resilience.retries / 10)
  })
})

describe("server fast reject (快降慢升)", () => {
  // server on two hosts, 10 ms of CPU per request, one worker each: 100/s per instance.
  // 120/s in all: ρ = 0.6 per instance. With app-2 down from 20 s to 40 s, app-1 gets it all (ρ = 1.2).
  const r = run(`
name: fast-reject
seed: 5
duration: 100s
hosts:
  fronthost: { count: 1, cores: 8 }
  app: { count: 2, cores: 1 }
services:
  front: { host: fronthost, workers: 1000, cpu: { const: 50us } }
  server:
    host: app
    workers: 1
    cpu: { const: 10ms }
    fastReject: { waitThreshold: 20ms, down: 5%, up: 1%, cpuLimit: 100% }
workload:
  req:
    rate: 120/s
    call:
      to: front
      calls: [{ to: server, tries: 3, timeout: 2s }]
faults: [{ at: 20s, for: 20s, action: host-down, target: app-2, factor: 1 }]   # returns warm
`)
  const pass = r.series.services.server.passRate!
  const t = r.series.t
  const at = (s: number) => pass[t.indexOf(s)]

  test("the pass rate falls at most 5 points and rises at most 1 point per 1 s window", () => {
    for (let i = 1; i < pass.length; i++) {
      const d = pass[i] - pass[i - 1]
      expect(d).toBeGreaterThanOrEqual(-0.05 - 1e-9)
      expect(d).toBeLessThanOrEqual(0.01 + 1e-9)
    }
  })

  test("it falls fast while the survivor is overloaded, and rises slowly once the load is shared again", () => {
    expect(at(19)).toBe(1)
    expect(Math.min(...pass.slice(t.indexOf(20), t.indexOf(40)))).toBeLessThan(0.85)
    expect(r.resilience.fastRejects).toBeGreaterThan(0)
    // Back from where it stood when app-2 returned, at most 1 point per second: full again well before the end.
    expect(at(99)).toBe(1)
    const recovered = pass.findIndex((p, i) => i > t.indexOf(40) && p === 1)
    expect(at(40)).toBeLessThan(0.9)
    expect(t[recovered] - 40).toBeGreaterThanOrEqual(Math.round((1 - at(40)) / 0.01))
  })
})

// Mean-value analysis (sim/size/mva.ts) against hand-computed queueing formulas, and against the
// simulator on the WeCom preset.
import { describe, expect, test } from "vitest"
import { loadScenarioFile, parseScenarioText } from "../../sim/scenario/load.ts"
import { simulate } from "../../sim/simulate.ts"
import { erlangC, mmcWait, mva } from "../../sim/size/mva.ts"

// front: 1 host × 2 cores, 10 ms; back: 2 hosts × 1 core, 4 ms. ping 100/s calls front → back,
// and spawns, with probability 0.5, two `echo` requests straight to back.
const tiny = parseScenarioText(`
name: tiny
duration: 10s
hosts:
  a: { count: 1, cores: 2 }
  b: { count: 2, cores: 1 }
services:
  front: { host: a, workers: 10, cpu: { exp: 10ms } }
  back: { host: b, workers: 5, cpu: { exp: 4ms } }
workload:
  ping:
    rate: 100/s
    call: { to: front, calls: [{ to: back }], spawn: [{ kind: echo, count: 2, probability: 0.5 }] }
  echo: { rate: 0, to: back }
`, "tiny.yaml")

describe("formulas", () => {
  test("Erlang C and the M/M/c wait", () => {
    // C(2, 1): B(1,1) = 1/2, B(2,1) = 0.5/2.5 = 0.2, C = 2·0.2/(2 − 0.8) = 1/3
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12)
    // M/M/1: Wq = ρ/(μ − λ)
    expect(mmcWait(1, 100, 0.004)).toBeCloseTo(0.4 / 150, 12)
    expect(mmcWait(2, 300, 0.01)).toBe(Infinity)
  })
})

describe("a two-service network, by hand", () => {
  const m = mva(tiny)

  test("arrival rates: the kind's rate times calls per request, spawns count × probability", () => {
    expect(m.services.front.rate).toBeCloseTo(100, 9)
    expect(m.services.back.rate).toBeCloseTo(100 + 100 * 0.5 * 2, 9)
    expect(m.kinds.echo.rate).toBeCloseTo(100, 9)
  })

  test("utilisation per host: demand / cores", () => {
    expect(m.hosts.a.cpuUtil).toBeCloseTo((100 * 0.01) / 2, 9) // 0.5
    expect(m.hosts.b.cpuUtil).toBeCloseTo((200 / 2) * 0.004, 9) // 0.4 on each of two hosts
  })

  test("response times: Erlang C wait + CPU, downstream calls added", () => {
    const waitA = 1 / 3 / (2 * 100 - 100) // M/M/2, a = 1
    const waitB = 0.4 / (250 - 100) // M/M/1, ρ = 0.4
    expect(m.hosts.a.cpuWaitS).toBeCloseTo(waitA, 12)
    expect(m.hosts.b.cpuWaitS).toBeCloseTo(waitB, 12)
    const back = waitB + 0.004
    expect(m.services.back.responseS).toBeCloseTo(back, 12)
    expect(m.kinds.ping.responseS).toBeCloseTo(waitA + 0.01 + back, 12)
    expect(m.kinds.echo.responseS).toBeCloseTo(back, 12)
    // Little: front's busy workers = 100/s × its response time, over 10 workers
    expect(m.services.front.workerUtil).toBeCloseTo((100 * (waitA + 0.01 + back)) / 10, 12)
  })

  test("a host down: its class's load on the others", () => {
    const d = mva(tiny, { down: "b" })
    expect(d.hosts.b.up).toBe(1)
    expect(d.hosts.b.cpuUtil).toBeCloseTo(0.8, 9)
  })
})

describe("on the WeCom preset at 20,000 users", () => {
  test("the MVA CPU utilisation of a logic host is within 15% of the simulated one", () => {
    const scenario = loadScenarioFile("scenarios/wecom-20k.yaml", ["warmup=5s", "duration=20s"])
    const analytic = mva(scenario).hosts.logic.cpuUtil
    const { report } = simulate(scenario)
    const simulated = ["logic-1", "logic-2", "logic-3"].map((h) => report.hosts[h].cpuUtil)
    const mean = simulated.reduce((a, b) => a + b, 0) / simulated.length
    expect(Math.abs(analytic - mean) / mean).toBeLessThan(0.15)
  })
})

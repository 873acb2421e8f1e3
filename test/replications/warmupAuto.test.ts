import { describe, expect, test } from "vitest"
import { describeWarmupAuto, fillGaps, simulateWarmupAuto } from "../../sim/warmupAuto.ts"
import { formatScenarioError, ScenarioInvalid } from "../../sim/scenario/errors.ts"
import { parseScenarioText } from "../../sim/scenario/load.ts"
import type { Scenario } from "../../sim/scenario/Scenario.ts"
import { simulate } from "../../sim/simulate.ts"

/**
 * M/M/1 (λ = 80/s, 10 ms) with a 1.5× load spike over the first 20 s: the queue grows at ~20/s to
 * ~400, then drains at ~20/s, so latency is far above steady state until ~40 s.
 */
const TRANSIENT = `name: transient
seed: 4
warmup: auto
duration: 200s
hosts:
  app: { count: 1, cores: 1 }
services:
  server: { host: app, workers: 1, cpu: { exp: 10ms } }
workload:
  ping: { rate: 80/s, to: server }
faults:
  - { at: 0s, for: 20s, action: load, factor: 1.5 }
`

describe("warmup: auto in scenario files", () => {
  test("loads as warm-up 0 with warmupAuto; a duration still loads as before", () => {
    const s = parseScenarioText(TRANSIENT, "t.yaml")
    expect(s).toMatchObject({ warmup: 0, warmupAuto: true, duration: 200 })
    expect(parseScenarioText(TRANSIENT.replace("warmup: auto", "warmup: 5s"), "t.yaml").warmupAuto).toBeUndefined()
    expect(parseScenarioText(TRANSIENT, "t.yaml", ["warmup=3s"])).toMatchObject({ warmup: 3 })
  })

  test("anything else is one line naming both forms", () => {
    let error: unknown
    try {
      parseScenarioText(TRANSIENT.replace("warmup: auto", "warmup: automatic"), "t.yaml")
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ScenarioInvalid)
    expect(formatScenarioError(error as ScenarioInvalid))
      .toBe('error: t.yaml:3:1 warmup: expected auto or a duration like 250us, 10ms, 2s, 5m or 1h, got "automatic"')
  })
})

describe("MSER-5 truncation of a run", () => {
  const scenario: Scenario = parseScenarioText(TRANSIENT, "t.yaml")

  test("cuts near the end of the transient and reports only [d*, end]", () => {
    const { report } = simulateWarmupAuto(scenario)
    const w = report.warmupAuto!
    expect(w).toMatchObject({ method: "MSER-5", kind: "ping", stepS: 1, atLimit: false })
    expect(w.truncatedS).toBeGreaterThanOrEqual(30)
    expect(w.truncatedS).toBeLessThanOrEqual(50)
    expect(w.truncatedS % 5).toBe(0) // a whole number of 5-step batches
    expect(report.window).toEqual({ warmupS: w.truncatedS, durationS: 200 - w.truncatedS })
    // the spike's backlog is gone from the statistics: close to M/M/1's W = 50 ms, far below the uncut mean
    const uncut = simulate({ ...scenario, warmupAuto: false }).report
    expect(uncut.requests.ping.latencyMs.mean).toBeGreaterThan(300)
    expect(report.requests.ping.latencyMs.mean).toBeLessThan(70)
  })

  test("the measured run is the same trajectory as the first: same series, same end", () => {
    const auto = simulate(scenario).report
    const plain = simulate({ ...scenario, warmupAuto: false }).report
    expect(auto.warmupAuto?.truncatedS).toBeGreaterThan(0)
    expect(auto.series).toEqual(plain.series)
    // and it is exactly a run with that warm-up
    const cut = auto.warmupAuto!.truncatedS
    const { warmupAuto, ...rest } = auto
    expect(rest).toEqual(simulate({ ...scenario, warmupAuto: false, warmup: cut, duration: 200 - cut }).report)
    expect(warmupAuto).toBeDefined()
  })

  test("a queue that starts in steady state is cut little or not at all, in one run", () => {
    // M/M/8 at ρ = 0.5: the empty start is steady state within a fraction of a second
    const calm = parseScenarioText(TRANSIENT.replace(/faults:[\s\S]*$/, "").replace("cores: 1", "cores: 8").replace("workers: 1", "workers: 8").replace("80/s", "400/s"), "c.yaml")
    const { report } = simulate(calm)
    expect(report.warmupAuto!.truncatedS).toBeLessThanOrEqual(20)
    if (report.warmupAuto!.truncatedS === 0) expect(describeWarmupAuto(report.warmupAuto!)).toContain("nothing to cut")
  })

  test("steps without a reply take the last mean before them", () => {
    expect(fillGaps([null, 2, null, 4, null])).toEqual([2, 2, 2, 4, 4])
    expect(fillGaps([null, null])).toEqual([0, 0])
  })
})

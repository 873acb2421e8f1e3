/**
 * Issue 14, defect 9: lognormal `cv: 1.4e154` was accepted, every draw was NaN, the report held
 * nulls and an SLO `p99 below 1ms` passed. Now the parameter is bounded where the sampler is
 * exact (exit 2 at load), and a metric that is not a number fails its SLO.
 */
import { describe, expect, it } from "vitest"
import { evaluateSlos } from "../../sim/slo/evaluate.ts"
import { parseScenarioText } from "../../sim/scenario/load.ts"
import { ScenarioInvalid } from "../../sim/scenario/errors.ts"
import { simulate } from "../../sim/simulate.ts"

const text = (cv: string) => `
name: nan
duration: 5s
hosts: { app: { count: 1, cores: 2 } }
services: { server: { host: app, workers: 2, cpu: { lognormal: { mean: 1ms, cv: ${cv} } } } }
workload: { ping: { rate: 100/s, to: server } }
slo:
  - { metric: ping.latency.p99, below: 1ms }
`

describe("defect 9: NaN never passes", () => {
  it("cv 1.4e154 is refused at load, naming the field and the bound", () => {
    expect(() => parseScenarioText(text("1.4e154"), "nan.yaml")).toThrow(ScenarioInvalid)
    try {
      parseScenarioText(text("1.4e154"), "nan.yaml")
    } catch (e) {
      expect((e as ScenarioInvalid).message).toMatch(/at most 100 \(beyond it the sampler is not exact\)/)
    }
  })

  it("a p99 that is NaN fails `below 1ms`, with no value", () => {
    const scenario = parseScenarioText(text("0.5"), "nan.yaml")
    const { report } = simulate(scenario)
    const broken = {
      ...report,
      requests: { ...report.requests, ping: { ...report.requests.ping, latencyMs: { ...report.requests.ping.latencyMs, p99: Number.NaN } } },
    }
    const [result] = evaluateSlos(broken, scenario.slo ?? [])
    expect(result.ok).toBe(false)
    expect(result.value).toBeNull()
    expect(result.note).toBe("the value is NaN, not a finite number")
  })
})

// The built-in daily profile (issue 11 item 10): its mean over a day is 1 (rates are the day's
// mean), its peak is about 3× the mean (DAGOR's figure), and a run over the peak hour sees it.
import { describe, expect, test } from "vitest"
import { DAILY_PEAK, dailyFactor } from "../../sim/faults/daily.ts"
import { parseScenarioText } from "../../sim/scenario/load.ts"
import { validateScenario } from "../../sim/scenario/schema.ts"
import { simulate } from "../../sim/simulate.ts"

describe("daily profile", () => {
  test("its mean over 24 h is 1 and its peak ≈ 3× the mean, at 10:00", () => {
    let sum = 0
    for (let s = 0; s < 86_400; s += 60) sum += dailyFactor(s + 30)
    expect(sum / 1440).toBeCloseTo(1, 9)
    expect(DAILY_PEAK).toBeGreaterThan(2.8)
    expect(DAILY_PEAK).toBeLessThan(3.2)
    expect(dailyFactor(10.5 * 3600)).toBe(DAILY_PEAK)
    // the night is quiet: under a tenth of the mean at 03:00
    expect(dailyFactor(3 * 3600)).toBeLessThan(0.1)
    // periodic: a day later, the same
    expect(dailyFactor(86_400 + 10.5 * 3600)).toBe(DAILY_PEAK)
  })

  const scenario = (faults: string) => `
name: daily
duration: 10m
hosts: { app: { count: 1, cores: 64 } }
services: { server: { host: app, workers: 64, cpu: { exp: 1ms } } }
workload: { ping: { rate: 100/s, to: server } }
faults: ${faults}
`

  test("a run over the peak hour sees the peak rate; one at 03:00 the night's", () => {
    const peak = simulate(parseScenarioText(scenario("[{ at: 0s, action: replay, profile: daily, start: '10:05' }]"), "d.yaml")).report
    // 100/s × 2.98 over 600 s ≈ 179,000 arrivals: Poisson noise ≈ 0.25%
    expect(peak.requests.ping.issued / 600 / (100 * DAILY_PEAK)).toBeGreaterThan(0.98)
    expect(peak.requests.ping.issued / 600 / (100 * DAILY_PEAK)).toBeLessThan(1.02)
    const night = simulate(parseScenarioText(scenario("[{ at: 0s, action: replay, profile: daily, start: 3h }]"), "d.yaml")).report
    expect(night.requests.ping.issued / 600 / (100 * dailyFactor(3 * 3600))).toBeGreaterThan(0.9)
    expect(night.requests.ping.issued / 600 / (100 * dailyFactor(3 * 3600))).toBeLessThan(1.1)
  })

  test("replay needs a file or the profile, and start only with the profile", () => {
    const base = { name: "d", duration: "1m", hosts: { app: { count: 1, cores: 1 } }, services: { s: { host: "app", workers: 1, cpu: { exp: "1ms" } } }, workload: { p: { rate: "1/s", to: "s" } } }
    const issue = (fault: object) => {
      const r = validateScenario({ ...base, faults: [fault] })
      return r.success ? null : `${r.issue.path.join(".")}: ${r.issue.message}`
    }
    expect(issue({ at: "0s", action: "replay" })).toMatch(/^faults\.0: replay needs `file: <csv>` or `profile: daily`/)
    expect(issue({ at: "0s", action: "replay", file: "x.csv", profile: "daily" })).toMatch(/one of them/)
    expect(issue({ at: "0s", action: "replay", profile: "weekly" })).toMatch(/^faults\.0\.profile: expected "daily"/)
    expect(issue({ at: "0s", action: "replay", profile: "daily", start: "25:00" })).toMatch(/^faults\.0\.start: expected a time of day like 10:00/)
    expect(issue({ at: "0s", action: "replay", profile: "daily", start: "09:50" })).toBeNull()
  })
})

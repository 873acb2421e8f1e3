// Timeouts cost events only when they can fire: a call site whose tries are all answered in time
// needs no tick per millisecond (docs/model.md §2, the 1 ms timer tick).
import { expect, test } from "vitest"
import { parseScenarioText } from "../../sim/scenario/load.ts"
import { simulate } from "../../sim/simulate.ts"

const scenario = (timeout: string) => `
name: timers
seed: 5
duration: 20s
hosts:
  h: { count: 1, cores: 8 }
services:
  front: { host: h, workers: 100, cpu: { const: 100us } }
  store: { host: h, workers: 100, cpu: { const: 200us } }
workload:
  req:
    rate: 500/s
    call:
      to: front
      calls:
        - { to: store${timeout} }
`

test("a timer that never fires adds at most one event per timeout interval, not one per millisecond", () => {
  const without = simulate(parseScenarioText(scenario(""), "t.yaml"))
  const withTimer = simulate(parseScenarioText(scenario(", timeout: 100ms"), "t.yaml"))
  // Same model, same draws: every request answered in well under 100 ms.
  expect(withTimer.report.requests.req.ok).toBe(without.report.requests.req.ok)
  expect(withTimer.report.requests.req.failed).toBe(0)
  // 20 s of 500 calls/s keep the list's head due every 2 ms: ticking on every deadline would add
  // ~10,000 events; a tick only for tries still waiting adds at most 20 s / 100 ms = 200 (+1).
  expect(withTimer.events - without.events).toBeLessThanOrEqual(201)
})

// Every drill and system scenario runs (at its own short duration) and tells the story its header
// comment tells: the SLOs it says hold do hold, and the ones it says breach do breach.
import { readdirSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, test } from "vitest"
import { loadScenarioFile } from "../../sim/scenario/load.ts"
import { simulate } from "../../sim/simulate.ts"
import { evaluateSlos } from "../../sim/slo/evaluate.ts"

/** Per scenario, the SLO metrics expected to breach (every other SLO must hold). */
const EXPECTED_BREACHES: Readonly<Record<string, ReadonlyArray<string>>> = {
  "drill-access-host-down": ["sendmsg.successRate", "access-2.ports"],
  "drill-logic-host-down": [],
  "drill-storage-host-down": [],
  "drill-storage-group-down": ["sendmsg.successRate", "login.successRate"],
  "drill-ss5-outage": ["push.successRate"],
  "drill-long-conn-blocked": ["push.latency.p99"],
  "drill-slow-disk": [],
  "drill-nic-saturated-by-files": ["access.nic.out.max", "sendmsg.successRate"],
  "drill-retry-storm": ["resilience.retries"],
  "drill-overload-fast-reject": ["sendmsg.successRate"],
  "drill-overload-no-fast-reject": ["sendmsg.successRate", "sendmsg.throughput"],
  "drill-login-storm-after-recovery": [],
  "seed001-ha": [],
  "seed002-pos": [],
  "seed003-single": [],
  "seed003-distributed": [],
  "seed003-load-balanced": [],
  "seed003-ha": [],
}

const files = ["scenarios/drills", "scenarios/systems"].flatMap((dir) =>
  readdirSync(dir).filter((f) => f.endsWith(".yaml")).map((f) => join(dir, f)),
)

describe("the drill and system library", () => {
  test("every file is listed here, with what it should show", () => {
    const names = files.map((f) => loadScenarioFile(f).name).sort()
    expect(names).toEqual(Object.keys(EXPECTED_BREACHES).sort())
  })

  for (const file of files) {
    test(`${file} runs and breaches exactly what its story says`, () => {
      const scenario = loadScenarioFile(file)
      expect(scenario.slo?.length ?? 0).toBeGreaterThan(0)
      const results = evaluateSlos(simulate(scenario).report, scenario.slo ?? [])
      const breached = results.filter((r) => !r.ok).map((r) => r.metric)
      expect(breached.sort()).toEqual([...EXPECTED_BREACHES[scenario.name]].sort())
    })
  }
})

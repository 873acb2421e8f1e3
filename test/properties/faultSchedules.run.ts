/**
 * Run by faults.property.test.ts in a child process (so a hang is killed, not waited for).
 *
 * Issue 14: random valid fault schedules over a short drill always finish within an event
 * budget proportional to the scenario's load, and conserve requests. (Two schedules in 26 hit a
 * livelock before it was fixed: an open-ended long-conn-blocked plus a lossy nic-degrade.)
 *
 * The drill is the wecom-200 preset, 1 s of warm-up and 4 s measured, at ten times its users; the
 * schedules mix every action but `replay` (it needs a file) with random times, lengths and
 * parameters, validated by the scenario schema like any file. The budget is ten times the run
 * estimate `run` checks before it starts (faults included; it runs 1.3–3.5× above the real count
 * on the shipped scenarios), checked after every slice of the engine's events.
 */
import fc from "fast-check"
import { estimateEvents } from "../../sim/cli/runBudget.ts"
import { Engine } from "../../sim/engine/Engine.ts"
import { buildReport } from "../../sim/report/build.ts"
import { loadScenarioFile } from "../../sim/scenario/load.ts"

const BASE = ["warmup=1s", "duration=4s", "users=2000"]
const base = loadScenarioFile("scenarios/wecom-200.yaml", BASE)
const hosts = Object.entries(base.hosts).flatMap(([c, h]) => Array.from({ length: h.count }, (_, i) => `${c}-${i + 1}`))
const services = Object.keys(base.services)
const kinds = Object.keys(base.workload)

const s = (x: number) => `${Math.round(x * 1000) / 1000}s`
const pct = (x: number) => `${Math.round(x * 100)}%`
const time = fc.double({ min: 0, max: 5, noNaN: true }).map(s)
const length = fc.oneof(fc.constant(undefined), fc.double({ min: 0.05, max: 4, noNaN: true }).map(s))
const host = fc.constantFrom(...hosts)
const service = fc.constantFrom(...services)

/** One valid fault of any action but `replay`; `for` absent means to the end of the run. */
const fault: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({ action: fc.constant("host-down"), at: time, for: length, target: fc.tuple(host) }),
  fc.record({ action: fc.constant("service-crash"), at: time, for: length, target: fc.tuple(service) }),
  fc.record({
    action: fc.constant("nic-degrade"), at: time, for: length, target: fc.tuple(host),
    loss: fc.option(fc.double({ min: 0, max: 1, noNaN: true }).map(pct), { nil: undefined }),
    latency: fc.option(fc.double({ min: 0, max: 0.2, noNaN: true }).map(s), { nil: undefined }),
    bandwidth: fc.option(fc.double({ min: 0.01, max: 1, noNaN: true }).map(pct), { nil: undefined }),
  }),
  fc.record({ action: fc.constant("disk-slow"), at: time, for: length, target: fc.tuple(host), factor: fc.double({ min: 1, max: 20, noNaN: true }) }),
  fc.record({ action: fc.constant("partition"), at: time, for: length, target: fc.constant([hosts[0]]), peer: fc.constant([hosts[hosts.length - 1]]) }),
  fc.record({ action: fc.constant("push-outage"), at: time, for: length }),
  fc.record({ action: fc.constant("long-conn-blocked"), at: time, for: length, interval: fc.option(fc.double({ min: 0.1, max: 30, noNaN: true }).map(s), { nil: undefined }) }),
  fc.record({ action: fc.constant("shield"), at: time, for: length, target: fc.tuple(service), percent: fc.option(fc.double({ min: 0, max: 1, noNaN: true }).map(pct), { nil: undefined }) }),
  fc.record({ action: fc.constant("config"), at: time, for: length, target: fc.tuple(service), tries: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ action: fc.constant("load"), at: time, for: length, factor: fc.double({ min: 0.1, max: 5, noNaN: true }) }),
  fc.record({ action: fc.constant("login-storm"), at: time, for: fc.double({ min: 0.1, max: 2, noNaN: true }).map(s), users: fc.integer({ min: 1, max: 500 }), target: fc.constant(kinds.includes("login") ? ["login"] : undefined) }),
).map((f) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)))

/** Runs the property; a counterexample is printed by fast-check and the exit code is 1. */
fc.assert(
  fc.property(fc.array(fault, { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 1000 }), (faults, seed) => {
    const scenario = loadScenarioFile("scenarios/wecom-200.yaml", [...BASE, `seed=${seed}`, `faults=${JSON.stringify(faults)}`])
    const budget = 10 * estimateEvents(scenario)
    const engine = new Engine(scenario)
    while (!engine.runSlice()) {
      if (engine.events > budget) throw new Error(`${engine.events} events, over the budget of ${Math.round(budget)}`)
    }
    if (engine.events > budget) throw new Error(`${engine.events} events, over the budget of ${Math.round(budget)}`)
    for (const [name, k] of Object.entries(buildReport(engine).requests)) {
      if (k.inFlight < 0 || k.ok + k.failed + k.rejected + k.inFlight !== k.issued) {
        throw new Error(`${name}: issued ${k.issued} ≠ ok ${k.ok} + failed ${k.failed} + rejected ${k.rejected} + in flight ${k.inFlight}`)
      }
    }
  }),
  { numRuns: Number(process.argv[2] ?? 25), seed: 14 },
)
console.log("ok")

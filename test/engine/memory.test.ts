/**
 * Issue 14, defect 2: a run that outgrows memory ends with one line naming what filled it,
 * not V8's 23-line abort. The CLI reproduction (1000× overload on an unbounded queue) is in
 * test/cli/hostile.test.ts; here the heap side, with made-up heap figures.
 */
import { describe, expect, it } from "vitest"
import { buildModel } from "../../sim/engine/build.ts"
import { memoryProblem } from "../../sim/engine/MemoryGuard.ts"
import type { Call } from "../../sim/model/Call.ts"
import { parseScenarioText } from "../../sim/scenario/load.ts"

const model = (queue: string) => buildModel(parseScenarioText(`
name: m
duration: 1s
hosts: { app: { count: 2, cores: 1 } }
services: { server: { host: app, workers: 1, cpu: { exp: 10ms }${queue} } }
workload: { ping: { rate: 10/s, to: server } }
`, "m.yaml"))

describe("memoryProblem", () => {
  it("nothing while the heap has room and the queues are short", () => {
    expect(memoryProblem(model(""), 1, { used: 0.84e9, limit: 1e9 })).toBeUndefined()
  })

  it("near the heap limit: the usage and the longest InQueue, with advice when it is unbounded", () => {
    const m = model("")
    const inst = m.services[0].instances[1]
    for (let i = 0; i < 3; i++) inst.inQueue.push({} as Call)
    expect(memoryProblem(m, 12.5, { used: 3.6e9, limit: 4e9 })).toBe(
      "the run ran out of memory at simulated time 12.5s (3.6 GB of the 4.0 GB heap); app-2's InQueue holds 3 calls " +
      "(unbounded: give the service a `queue:` bound, or lower the load)")
  })

  it("a bounded queue gets no advice to bound it", () => {
    const m = model(", queue: 10")
    m.services[0].instances[0].inQueue.push({} as Call)
    expect(memoryProblem(m, 2, { used: 900e6, limit: 1e9 })).toBe(
      "the run ran out of memory at simulated time 2s (900 MB of the 1.0 GB heap); app-1's InQueue holds 1 calls")
  })
})

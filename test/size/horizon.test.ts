// Capacity over a planning horizon, against arithmetic done by hand from the seed's load model.
import { describe, expect, test } from "vitest"
import { DEFAULT_HORIZON, dailyVolume, horizon, parseGrowth, parseMonths, parseRetention, parseSpace } from "../../sim/size/horizon.ts"
import type { Evaluation, RunOutcome } from "../../sim/size/search.ts"

const load = { messageSize: 1000, fileRatio: 0.1, fileSize: 50_000 }

const run = (down: string | null, usage: RunOutcome["usage"]): RunOutcome => ({
  down, ok: true, slo: [], limits: {}, portFailures: 0, cpu: {}, meanMs: {}, usage, offlinePushP99Ms: null,
})
const ev = (runs: RunOutcome[]): Evaluation => ({
  candidate: { access: 3, logic: 3, storage: 0 }, ok: true, slosOk: true, runs, mva: { services: {}, hosts: {}, kinds: {} },
})

describe("storage per day", () => {
  test("50,000 users × 100 messages of 1 KB, two replicas and a parity, over 3 hosts: 5 GB of messages per host per day", () => {
    const v = dailyVolume(50_000, load, 100, 3, 3)
    expect(v.messages).toBe(5_000_000)
    expect(v.messageBytes).toBe(5_000_000 * 1000 * 3) // 15 GB
    expect(v.messageBytesPerHost).toBe(5e9)
    // 10% of them carry a 50 KB file, stored once
    expect(v.fileBytes).toBe(5_000_000 * 0.1 * 50_000) // 25 GB
    expect(v.fileBytesPerHost).toBeCloseTo(25e9 / 3, 0)
  })
})

describe("the month a resource runs out", () => {
  test("disk space, no growth: 150 GB of messages a month plus files capped at 200 GB fill 1 TB in month 5", () => {
    // per host after month m (30-day months): 5 GB × 30 × (m + 1) + min(200 GB, 8.33 GB × 30 × (m + 1))
    // m = 4: 750 + 200 = 950 GB; m = 5: 900 + 200 = 1,100 GB > 1 TB
    const h = horizon(ev([run(null, {})]), 50_000, load, { messages: "logic", files: "logic" }, { ...DEFAULT_HORIZON, months: 12 })
    const space = h.lines.find((l) => l.resource === "disk space")
    expect(space?.runsOutMonth).toBe(5)
    expect(space?.use).toBeCloseTo((150e9 + 200e9) / 1e12, 6)
    expect(h.first).toEqual({ month: 5, tier: "logic", resource: "disk space" })
  })

  test("CPU at 40% in the worst run, 3%/month growth: past the 80% SLO once 1.03^m > 2, month 24", () => {
    const u = { host: "logic-2", resource: "cpu" as const, fraction: 0.4 }
    const h = horizon(ev([run(null, { logic: { cpu: { ...u, fraction: 0.3 } } }), run("logic-1", { logic: { cpu: u } })]), 50_000, load,
      { messages: "logic", files: "logic" }, { ...DEFAULT_HORIZON, months: 36, growth: 0.03, messagesPerUserDay: 0.001 })
    const cpu = h.lines.find((l) => l.resource === "cores")
    expect(cpu?.use).toBe(0.4)
    expect(cpu?.runsOutMonth).toBe(Math.ceil(Math.log(2) / Math.log(1.03)))
    expect(cpu?.headroom[0]).toBeCloseTo(0.5, 9)
  })

  test("ports at 59% with no growth last the horizon", () => {
    const h = horizon(ev([run("access-1", { access: { ports: { host: "access-2", resource: "ports", fraction: 0.59 } } })]), 50_000, load,
      { messages: "logic", files: "logic" }, { ...DEFAULT_HORIZON, months: 36, messagesPerUserDay: 0.001 })
    expect(h.lines.find((l) => l.resource === "ports")?.runsOutMonth).toBeNull()
  })
})

describe("parsing the horizon flags", () => {
  test("growth, months, retention and disk size; nonsense is undefined", () => {
    expect(parseGrowth("3%/m")).toBeCloseTo(0.03, 12)
    expect(parseGrowth("0")).toBe(0)
    expect(parseGrowth("12.68%/y")).toBeCloseTo(0.01, 4)
    expect(parseGrowth("500%/m")).toBeUndefined()
    expect(parseGrowth("fast")).toBeUndefined()
    expect(parseMonths("36m")).toBe(36)
    expect(parseMonths("3y")).toBe(36)
    expect(parseMonths("0m")).toBeUndefined()
    expect(parseRetention("2y")).toBe(730)
    expect(parseRetention("forever")).toBe(Infinity)
    expect(parseRetention("-3d")).toBeUndefined()
    expect(parseSpace("1TB")).toBe(1e12)
    expect(parseSpace("big")).toBeUndefined()
  })
})

// Recovery figures against hand-built series whose dips have a known start, length and depth.
import { describe, expect, test } from "vitest"
import type { FaultReport, SeriesReport } from "../../sim/report/Report.ts"
import { recoveryOf } from "../../sim/report/recovery.ts"

/** A series of `n` steps of `stepS`, one kind per entry: per step, the success ratio (null: nothing ended) at 100 requests/s. */
function series(stepS: number, n: number, kinds: Readonly<Record<string, (t: number) => number | null>>): SeriesReport {
  const t = Array.from({ length: n }, (_, i) => i * stepS)
  return {
    stepS, t,
    kinds: Object.fromEntries(Object.entries(kinds).map(([name, success]) => {
      const s = t.map(success)
      return [name, {
        throughput: s.map((x) => (x === null ? 0 : 100 * x)),
        failed: s.map((x) => (x === null ? 0 : 100 * (1 - x))),
        rejected: t.map(() => 0),
        p50Ms: t.map(() => null), p95Ms: t.map(() => null), p99Ms: t.map(() => null),
      }]
    })),
    services: {}, hosts: {}, resilience: { retries: [], fastRejects: [] },
  }
}

const fault = (fromS: number, toS: number): FaultReport => ({ action: "host-down", target: ["x-1"], fromS, toS })

describe("recovery figures", () => {
  test("a dip of known start, length and depth: impact, recovery after the fault's end, outage, dip", () => {
    // fault 30–60 s; success 40% from 32 s to 71 s (steps 32…70), 100% otherwise
    const s = series(1, 100, { send: (t) => (t >= 32 && t < 71 ? 0.4 : 1) })
    const r = recoveryOf(s, [fault(30, 60)], 100, 10)!
    expect(r.healthy).toBe(0.99)
    expect(r.kinds.send).toEqual([{ fault: 0, impactS: 2, recoveredAtS: 71, recoveryS: 11, outageS: 39, dip: 0.4, baseline: 1 }])
    expect(r.all).toEqual(r.kinds.send)
  })

  test("a fault absorbed: no impact, recovery 0, the dip is the lowest step", () => {
    const s = series(1, 60, { send: (t) => (t === 35 ? 0.995 : 1) })
    expect(recoveryOf(s, [fault(30, 40)], 60, 0)!.kinds.send[0]).toMatchObject({ impactS: null, recoveryS: 0, outageS: 0, dip: 0.995 })
  })

  test("back before the fault ended (a failover): recovery 0, the outage its length", () => {
    // a VIP fails over in 3 s of a 30 s fault
    const s = series(1, 90, { send: (t) => (t >= 40 && t < 43 ? 0 : 1) })
    expect(recoveryOf(s, [fault(40, 70)], 90, 10)!.kinds.send[0]).toMatchObject({ impactS: 0, recoveredAtS: 43, recoveryS: 0, outageS: 3, dip: 0 })
  })

  test("still below at the end of the run: not recovered", () => {
    const s = series(1, 70, { send: (t) => (t >= 30 ? 0.5 : 1) })
    expect(recoveryOf(s, [fault(30, 60)], 70, 10)!.kinds.send[0]).toMatchObject({ impactS: 0, recoveredAtS: null, recoveryS: null, outageS: null, dip: 0.5 })
  })

  test("steps where nothing ended are skipped, not counted as healthy or as a dip", () => {
    const s = series(1, 60, { send: (t) => (t >= 30 && t < 35 ? 0.2 : t >= 35 && t < 40 ? null : 1) })
    expect(recoveryOf(s, [fault(30, 40)], 60, 0)!.kinds.send[0]).toMatchObject({ impactS: 0, recoveredAtS: 35, recoveryS: 0, outageS: 5, dip: 0.2 })
    // nothing ends after the dip: it did not come back
    const silent = series(1, 60, { send: (t) => (t >= 30 && t < 35 ? 0.2 : t >= 35 ? null : 1) })
    expect(recoveryOf(silent, [fault(30, 40)], 60, 0)!.kinds.send[0]).toMatchObject({ recoveredAtS: null, recoveryS: null })
  })

  test("a coarser step: times have its resolution", () => {
    // 5 s steps; success 0 in the steps starting at 30 and 35
    const s = series(5, 20, { send: (t) => (t === 30 || t === 35 ? 0 : 1) })
    expect(recoveryOf(s, [fault(32, 38)], 100, 0)!.kinds.send[0]).toMatchObject({ impactS: 0, recoveredAtS: 40, recoveryS: 2, outageS: 10 })
  })

  test("all kinds together weigh each by its traffic; the threshold is configurable", () => {
    // the same traffic per kind: send at 0% and push at 100% for 10 s is 50% overall
    const s = series(1, 60, { send: (t) => (t >= 30 && t < 40 ? 0 : 1), push: () => 1 })
    const r = recoveryOf(s, [fault(30, 40)], 60, 0, { healthy: 0.4 })!
    expect(r.all[0]).toMatchObject({ impactS: null, dip: 0.5 })
    expect(r.kinds.send[0]).toMatchObject({ impactS: 0, outageS: 10 })
    expect(r.kinds.push[0]).toMatchObject({ impactS: null })
  })

  test("two faults: each is judged up to the next one's start, with its own baseline", () => {
    // dips 20–25 s (fault 20–22) and 50–60 s (fault 50–55); the second's baseline runs from 22 s to 50 s
    const s = series(1, 80, { send: (t) => (t >= 20 && t < 25 ? 0.5 : t >= 50 && t < 60 ? 0.9 : 1) })
    const [a, b] = recoveryOf(s, [fault(20, 22), fault(50, 55)], 80, 0)!.kinds.send
    // the first's range ends where the second begins: its dip is only its own
    expect(a).toMatchObject({ fault: 0, impactS: 0, recoveredAtS: 25, recoveryS: 3, outageS: 5, dip: 0.5 })
    expect(b).toMatchObject({ fault: 1, impactS: 0, recoveredAtS: 60, recoveryS: 5, outageS: 10, dip: 0.9 })
    expect(b.baseline).toBeCloseTo((3 * 50 + 25 * 100) / (28 * 100), 10)
  })

  test("latency bounds: a kind delayed, not lost, is impacted while its steps' p99 is over its bound", () => {
    // fault 30–60 s; push always succeeds, but its p99 is 30 s in steps 40…69 (delivered late), 100 ms otherwise
    const base = series(1, 100, { send: () => 1, push: () => 1 })
    const push = { ...base.kinds.push, p99Ms: base.t.map((t) => (t >= 40 && t < 70 ? 30_000 : 100)) }
    const s: SeriesReport = { ...base, kinds: { ...base.kinds, push } }
    // success alone: absorbed
    expect(recoveryOf(s, [fault(30, 60)], 100, 0)!.kinds.push[0]).toMatchObject({ impactS: null, recoveryS: 0 })
    const bounded = recoveryOf(s, [fault(30, 60)], 100, 0, { healthy: 0.99, p99: { push: 5 } })!
    expect(bounded.p99).toEqual({ push: 5 })
    expect(bounded.kinds.push[0]).toMatchObject({ impactS: 10, recoveredAtS: 70, recoveryS: 10, outageS: 30, dip: 1 })
    // all kinds together: any bounded kind that is slow makes the step unhealthy
    expect(bounded.all[0]).toMatchObject({ impactS: 10, recoveredAtS: 70 })
    // send has no p99 in the series (null): no bound can be exceeded
    expect(bounded.kinds.send[0]).toMatchObject({ impactS: null })
    // one bound for every kind; a bound the p99 does not exceed changes nothing
    expect(recoveryOf(s, [fault(30, 60)], 100, 0, { healthy: 0.99, p99: 5 })!.kinds.push[0]).toMatchObject({ impactS: 10, outageS: 30 })
    expect(recoveryOf(s, [fault(30, 60)], 100, 0, { healthy: 0.99, p99: 30 })!.kinds.push[0]).toMatchObject({ impactS: null })
    // a bound only on send leaves push's delay unseen, for all kinds too
    expect(recoveryOf(s, [fault(30, 60)], 100, 0, { healthy: 0.99, p99: { send: 1 } })!.all[0]).toMatchObject({ impactS: null })
  })

  test("no faults, no figures", () => {
    expect(recoveryOf(series(1, 10, { send: () => 1 }), [], 10, 0)).toBeUndefined()
  })
})

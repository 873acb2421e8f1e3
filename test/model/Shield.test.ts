import fc from "fast-check"
import { describe, expect, test } from "vitest"
import { uinHash } from "../../sim/model/HashRing.ts"
import { ShieldTable, percentSkip } from "../../sim/model/Shield.ts"

/** Shields endpoint `e` at time `t` with five failures at once. */
function trip(table: ShieldTable, t: number, e = 0): void {
  for (let k = 0; k < 5; k++) table.onFailure(t, e)
}

describe("ShieldTable", () => {
  test("five failures at once shield the endpoint, four do not", () => {
    const table = new ShieldTable(2)
    for (let k = 0; k < 4; k++) table.onFailure(0, 0)
    expect(table.isShielded(0, 0)).toBe(false)
    table.onFailure(0, 0)
    expect(table.isShielded(0, 0)).toBe(true)
    expect(table.isShielded(0, 1)).toBe(false)
    expect(table.activations).toBe(1)
  })

  test("one failure a second leaks away as fast as it fills and never shields (by count)", () => {
    // The failure-rate rule off: every call here fails, which that rule would shield.
    const table = new ShieldTable(1, { failureRate: 0 })
    for (let t = 0; t < 100; t++) table.onFailure(t, 0)
    expect(table.isShielded(100, 0)).toBe(false)
    expect(table.levelNow(99, 0)).toBeCloseTo(1, 12)
    expect(table.activations).toBe(0)
  })

  test("ten failures a second fill the bucket at a net 9/s and shield on the 6th", () => {
    const table = new ShieldTable(1)
    let shieldedAt = -1
    for (let k = 0; k < 20 && shieldedAt < 0; k++) {
      table.onFailure(k / 10, 0)
      if (table.stateOf(k / 10, 0) === "shielded") shieldedAt = k
    }
    // Level after failure k (0-based) is (k + 1) − 0.1·k; it first reaches 5 at k = 5 (5.5).
    expect(shieldedAt).toBe(5)
  })

  test("the level decays linearly to zero between failures", () => {
    const table = new ShieldTable(1)
    table.onFailure(0, 0)
    table.onFailure(0, 0)
    table.onFailure(0, 0)
    expect(table.levelNow(1.5, 0)).toBeCloseTo(1.5, 12)
    expect(table.levelNow(10, 0)).toBe(0)
  })

  test("a shield lasts shieldS, then lets exactly one probe through", () => {
    const table = new ShieldTable(1)
    trip(table, 0)
    expect(table.isShielded(9.999, 0)).toBe(true)
    expect(table.stateOf(10, 0)).toBe("probing")
    expect(table.isShielded(10, 0)).toBe(false) // the probe
    expect(table.isShielded(10.1, 0)).toBe(true) // others wait for its reply
    expect(table.stateOf(10.1, 0)).toBe("probing")
  })

  test("a successful probe closes the shield and empties the bucket", () => {
    const table = new ShieldTable(1)
    trip(table, 0)
    table.isShielded(10, 0)
    table.onSuccess(10.2, 0)
    expect(table.stateOf(10.2, 0)).toBe("closed")
    expect(table.isShielded(10.2, 0)).toBe(false)
    expect(table.levelNow(10.2, 0)).toBe(0)
    // A fresh shield needs a full bucket again.
    for (let k = 0; k < 4; k++) table.onFailure(10.3, 0)
    expect(table.isShielded(10.3, 0)).toBe(false)
  })

  test("a failed probe shields again for shieldS without a new activation", () => {
    const table = new ShieldTable(1)
    trip(table, 0)
    table.isShielded(10, 0)
    table.onFailure(10.5, 0)
    expect(table.isShielded(20.4, 0)).toBe(true)
    expect(table.isShielded(20.5, 0)).toBe(false) // next probe
    expect(table.activations).toBe(1)
    expect(table.reshields).toBe(1)
  })

  test("a probe that never answers is given up after shieldS and another is let through", () => {
    const table = new ShieldTable(1)
    trip(table, 0)
    expect(table.isShielded(10, 0)).toBe(false)
    expect(table.isShielded(19.9, 0)).toBe(true)
    expect(table.isShielded(20, 0)).toBe(false)
  })

  test("late replies to calls sent before the shield change nothing", () => {
    const table = new ShieldTable(1)
    trip(table, 0)
    table.onSuccess(1, 0)
    table.onFailure(2, 0)
    expect(table.stateOf(5, 0)).toBe("shielded")
    expect(table.isShielded(9.99, 0)).toBe(true)
    expect(table.isShielded(10, 0)).toBe(false)
    expect(table.activations).toBe(1)
    expect(table.reshields).toBe(0)
  })

  test("successes do not drain the failure bucket of a closed endpoint", () => {
    const table = new ShieldTable(1)
    for (let k = 0; k < 4; k++) table.onFailure(0, 0)
    table.onSuccess(0, 0)
    table.onFailure(0, 0)
    expect(table.isShielded(0, 0)).toBe(true)
  })

  test("an operator's global shield always skips, is not an activation, and lifts cleanly", () => {
    const table = new ShieldTable(3)
    table.globalShield(1, true)
    expect(table.isShielded(0, 1)).toBe(true)
    expect(table.isShielded(1000, 1)).toBe(true)
    expect(table.stateOf(0, 1)).toBe("global")
    expect(table.activations).toBe(0)
    table.globalShield(1, false)
    expect(table.isShielded(1000, 1)).toBe(false)
    expect(table.stateOf(1000, 1)).toBe("closed")
  })

  test("params are configurable", () => {
    const table = new ShieldTable(1, { threshold: 2, shieldS: 1, leakPerS: 0 })
    table.onFailure(0, 0)
    table.onFailure(50, 0) // no leak: level 2
    expect(table.isShielded(50.5, 0)).toBe(true)
    expect(table.isShielded(51, 0)).toBe(false)
  })
})

describe("percentage shield", () => {
  test("skips about percent% of uins, the same ones every time", () => {
    const n = 50_000
    let skipped = 0
    for (let k = 0; k < n; k++) {
      const h = uinHash(2_000_000 + k)
      if (percentSkip(h, 30)) skipped++
    }
    expect(Math.abs(skipped / n - 0.3)).toBeLessThan(0.01)
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 32 - 1 }), fc.double({ min: 0, max: 100, noNaN: true }), (h, pct) => {
        expect(percentSkip(h, pct)).toBe(percentSkip(h, pct))
        expect(percentSkip(h, 0)).toBe(false)
        expect(percentSkip(h, 100)).toBe(true)
        // A larger percentage skips a superset of uins.
        if (percentSkip(h, pct)) expect(percentSkip(h, Math.min(100, pct + 1))).toBe(true)
      }),
    )
  })

  test("isSkipped combines global, percentage and automatic shields", () => {
    const table = new ShieldTable(3)
    table.setPercentSkip(0, 100)
    table.globalShield(1, true)
    trip(table, 0, 2)
    const h = uinHash(42)
    expect(table.isSkipped(0, 0, h)).toBe(true)
    expect(table.isSkipped(0, 1, h)).toBe(true)
    expect(table.isSkipped(0, 2, h)).toBe(true)
    table.setPercentSkip(0, 0)
    expect(table.isSkipped(0, 0, h)).toBe(false)
  })
})

describe("per caller, and by failure rate (seed 004: 进程内/跨进程漏桶, 失败数/失败率)", () => {
  test("each calling host has its own bucket: caller 0's failures shield the endpoint for caller 0 only", () => {
    const table = new ShieldTable(2, {}, 3)
    for (let k = 0; k < 5; k++) table.onFailure(0, 1, 0)
    expect(table.stateOf(0, 1, 0)).toBe("shielded")
    expect(table.stateOf(0, 1, 1)).toBe("closed")
    expect(table.stateOf(0, 0, 0)).toBe("closed")
    // Four failures from each of the other two callers shield nothing: the buckets do not add up.
    for (let k = 0; k < 4; k++) { table.onFailure(0, 1, 1); table.onFailure(0, 1, 2) }
    expect(table.stateOf(0, 1, 1)).toBe("closed")
    expect(table.stateOf(0, 1, 2)).toBe("closed")
    expect(table.activations).toBe(1)
  })

  test("a table with one caller slot is shared: any caller number reads and feeds it", () => {
    const table = new ShieldTable(1, {}, 1)
    for (let k = 0; k < 5; k++) table.onFailure(0, 0, k)
    expect(table.stateOf(0, 0, 7)).toBe("shielded")
  })

  test("failure rate: 6 failures in 10 calls within the window shield; 4 in 10 do not", () => {
    // Failures spread 1 s apart never build the count bucket (it leaks 1/s), so only the rate decides.
    const failFirst = (fails: number) => {
      const table = new ShieldTable(1, { failureRate: 0.5, minCalls: 10, rateWindowS: 100 })
      for (let k = 0; k < 10; k++) {
        if (k < fails) table.onFailure(k, 0)
        else table.onSuccess(k, 0)
      }
      return table
    }
    const failLast = (fails: number) => {
      const table = new ShieldTable(1, { failureRate: 0.5, minCalls: 10, rateWindowS: 100 })
      for (let k = 0; k < 10; k++) {
        if (k >= 10 - fails) table.onFailure(k, 0)
        else table.onSuccess(k, 0)
      }
      return table
    }
    expect(failLast(6).stateOf(9, 0)).toBe("shielded")
    expect(failLast(4).stateOf(9, 0)).toBe("closed")
    // The rate is judged at a failure: failures made before minCalls calls shield nothing.
    expect(failFirst(6).activations).toBe(0)
  })

  test("the failure-rate window is tumbling: calls of an earlier window do not count", () => {
    const table = new ShieldTable(1, { failureRate: 0.5, minCalls: 10, rateWindowS: 10 })
    for (let k = 0; k < 9; k++) table.onSuccess(k * 0.1, 0)
    // From 10 s a new window: 5 failures 2 s apart (the count bucket leaks them), 5 calls < minCalls.
    for (let k = 0; k < 5; k++) table.onFailure(10 + 2 * k, 0)
    expect(table.stateOf(19, 0)).toBe("closed")
  })
})

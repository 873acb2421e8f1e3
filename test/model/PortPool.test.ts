import fc from "fast-check"
import { describe, expect, test } from "vitest"
import { EPHEMERAL_PORTS, PortPool, TIME_WAIT_S } from "../../sim/model/PortPool.ts"

describe("PortPool", () => {
  test("defaults are the seed's port range and Linux TIME_WAIT", () => {
    const pool = new PortPool()
    expect(pool.limit).toBe(61000 - 32768)
    expect(EPHEMERAL_PORTS).toBe(28_232)
    expect(pool.timeWaitS).toBe(TIME_WAIT_S)
    expect(TIME_WAIT_S).toBe(60)
  })

  test("connects fail once every port is open, and count as failures", () => {
    const pool = new PortPool(2)
    expect(pool.tryAcquire(0)).toBe(true)
    expect(pool.tryAcquire(0)).toBe(true)
    expect(pool.tryAcquire(0)).toBe(false)
    expect(pool.failures).toBe(1)
  })

  test("a port we closed stays unusable for the whole TIME_WAIT", () => {
    const pool = new PortPool(1, 60)
    pool.tryAcquire(0)
    pool.release(5)
    expect(pool.inUse(5)).toBe(1)
    expect(pool.timeWait(64.999)).toBe(1)
    expect(pool.tryAcquire(64.999)).toBe(false)
    expect(pool.tryAcquire(65)).toBe(true)
    expect(pool.timeWait(65)).toBe(0)
    expect(pool.openConnections).toBe(1)
  })

  test("a port the peer closed first is free at once", () => {
    const pool = new PortPool(1)
    pool.tryAcquire(0)
    pool.releaseImmediately(1)
    expect(pool.inUse(1)).toBe(0)
    expect(pool.tryAcquire(1)).toBe(true)
  })

  test("short connections at 1,000/s with 60 s TIME_WAIT hold ~60,000 ports, so 28,232 run out", () => {
    const pool = new PortPool()
    let refused = 0
    for (let k = 0; k < 60_000; k++) {
      const t = k / 1000
      if (pool.tryAcquire(t)) pool.release(t + 0.01)
      else refused++
    }
    // Ports free up again from t = 60.01 on; until then everything past 28,232 is refused.
    expect(refused).toBe(60_000 - 28_232)
    expect(pool.failures).toBe(refused)
    expect(pool.max).toBe(28_232)
  })

  test("the time average integrates expired ports at their expiry, not when they are noticed", () => {
    const pool = new PortPool(10, 10)
    pool.startWindow(0)
    pool.tryAcquire(0)
    pool.release(0) // in TIME_WAIT until 10
    // Nothing happens until 100: the port counted for [0, 10) only.
    expect(pool.mean(100)).toBeCloseTo(10 / 100, 12)
    expect(pool.max).toBe(1)
  })

  test("per-step readings are time averages of each step", () => {
    const pool = new PortPool(10, 1.5)
    pool.tryAcquire(0)
    pool.tryAcquire(0)
    pool.release(0) // TIME_WAIT until 1.5
    expect(pool.takeStep(1)).toBeCloseTo(2, 12)
    expect(pool.takeStep(2)).toBeCloseTo(1.5, 12)
    expect(pool.takeStep(3)).toBeCloseTo(1, 12)
  })

  test("the window restarts mean, max and failures", () => {
    const pool = new PortPool(1, 1)
    pool.tryAcquire(0)
    pool.tryAcquire(0)
    pool.releaseImmediately(1)
    pool.startWindow(2)
    expect(pool.failures).toBe(0)
    expect(pool.max).toBe(0)
    expect(pool.mean(4)).toBe(0)
  })

  test("releasing more than was acquired is a bug in the caller", () => {
    expect(() => new PortPool().release(0)).toThrow()
  })

  test("in-use count and time average match a brute-force replay", () => {
    const op = fc.record({
      dt: fc.double({ min: 0, max: 3, noNaN: true }),
      kind: fc.constantFrom("acquire", "release", "immediate", "read"),
    })
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), fc.integer({ min: 1, max: 8 }), (ops, limit) => {
        const tw = 5
        const pool = new PortPool(limit, tw)
        let open = 0
        const freeAt: number[] = [] // TIME_WAIT expiries, brute force
        const inUseAt = (t: number) => open + freeAt.filter((e) => e > t).length
        let now = 0
        let area = 0
        // Exact area: integrate the brute-force in-use count between all change points.
        const integrate = (from: number, to: number) => {
          const cuts = [from, ...freeAt.filter((e) => e > from && e < to).sort((a, b) => a - b), to]
          for (let k = 0; k + 1 < cuts.length; k++) area += inUseAt(cuts[k]) * (cuts[k + 1] - cuts[k])
        }
        let max = 0
        for (const o of ops) {
          integrate(now, now + o.dt)
          now += o.dt
          const before = inUseAt(now)
          if (o.kind === "acquire") {
            const ok = pool.tryAcquire(now)
            expect(ok).toBe(before < limit)
            if (ok) open++
          } else if (o.kind === "release" && open > 0) {
            pool.release(now)
            open--
            freeAt.push(now + tw)
          } else if (o.kind === "immediate" && open > 0) {
            pool.releaseImmediately(now)
            open--
          }
          max = Math.max(max, inUseAt(now))
          expect(pool.inUse(now)).toBe(inUseAt(now))
        }
        integrate(now, now + 7)
        now += 7
        expect(pool.mean(now) * now).toBeCloseTo(area, 6)
        expect(pool.max).toBe(max)
      }),
    )
  })
})

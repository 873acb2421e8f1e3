import fc from "fast-check"
import { describe, expect, test } from "vitest"
import { FastReject } from "../../sim/model/FastReject.ts"
import { uinHash, uinUniform } from "../../sim/model/HashRing.ts"

/** mulberry32: a small seeded uniform stream for the tests. */
function uniform(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** One second of requests that each waited `waitS` in the InQueue, 10 per second. */
function second(fr: FastReject, from: number, waitS: number): void {
  for (let k = 0; k < 10; k++) fr.observeWait(from + k / 10, waitS)
}

describe("FastReject", () => {
  test("a window whose mean wait exceeds 20 ms lowers the pass rate by exactly downStep", () => {
    const fr = new FastReject()
    second(fr, 0, 0.03)
    fr.advance(1)
    expect(fr.passRate).toBeCloseTo(0.95, 12)
  })

  test("the mean decides, not single slow requests", () => {
    const fr = new FastReject()
    fr.observeWait(0.1, 0.1) // one slow request
    for (let k = 0; k < 9; k++) fr.observeWait(0.2, 0.001)
    fr.advance(1)
    expect(fr.passRate).toBe(1) // mean 10.9 ms: healthy
  })

  test("sustained overload for 10 s takes the pass rate from 1 to 0.5", () => {
    const fr = new FastReject()
    for (let t = 0; t < 10; t++) second(fr, t, 0.05)
    fr.advance(10)
    expect(fr.passRate).toBeCloseTo(0.5, 12)
    expect(fr.overloadedWindows).toBe(10)
  })

  test("recovery rises by upStep per healthy window, five times slower than the cut", () => {
    const fr = new FastReject()
    for (let t = 0; t < 10; t++) second(fr, t, 0.05)
    for (let t = 10; t < 20; t++) second(fr, t, 0.001)
    fr.advance(20)
    expect(fr.passRate).toBeCloseTo(0.6, 12)
  })

  test("windows that elapse unobserved are closed lazily, all at once", () => {
    const fr = new FastReject()
    for (let t = 0; t < 10; t++) second(fr, t, 0.05) // pass 0.5
    fr.admit(15.5, 0) // closes [10,11) … [14,15), all without observations
    expect(fr.passRate).toBeCloseTo(0.55, 12)
    fr.advance(1e6) // a long idle period caps at 1
    expect(fr.passRate).toBe(1)
  })

  test("an observation at a window's end belongs to the next window", () => {
    const fr = new FastReject()
    fr.observeWait(1, 1) // first observation of [1, 2)
    fr.advance(1.999)
    expect(fr.passRate).toBe(1)
    fr.advance(2)
    expect(fr.passRate).toBeCloseTo(0.95, 12)
  })

  test("a controller at pass 0 recovers, although it admits nothing and so observes no waits", () => {
    const fr = new FastReject()
    for (let t = 0; t < 20; t++) second(fr, t, 1)
    fr.advance(20)
    expect(fr.passRate).toBe(0)
    expect(fr.admit(20, 0)).toBe(false)
    fr.advance(25)
    expect(fr.passRate).toBeCloseTo(0.05, 12)
  })

  test("CPU over the limit cuts the pass rate, and a busy CPU keeps cutting while unobserved", () => {
    const fr = new FastReject()
    fr.observeCpu(0.5, 0.99)
    fr.advance(1)
    expect(fr.passRate).toBeCloseTo(0.95, 12)
    fr.advance(3) // windows [1,2) and [2,3): CPU still at its last reading
    expect(fr.passRate).toBeCloseTo(0.85, 12)
    fr.observeCpu(3.5, 0.5)
    fr.advance(4)
    expect(fr.passRate).toBeCloseTo(0.86, 12)
  })

  test("the pass rate stays within [minPass, 1]", () => {
    const fr = new FastReject({ minPass: 0.2 })
    for (let t = 0; t < 30; t++) second(fr, t, 1)
    fr.advance(30)
    expect(fr.passRate).toBe(0.2)
  })

  test("admitted fraction follows the pass rate for a uniform stream", () => {
    const fr = new FastReject()
    for (let t = 0; t < 6; t++) second(fr, t, 0.05)
    fr.advance(6) // pass 0.7
    fr.startWindow(6)
    const u = uniform(42)
    const n = 100_000
    for (let k = 0; k < n; k++) fr.admit(6 + k / n / 2, u()) // all within one window
    expect(fr.passRate).toBeCloseTo(0.7, 12)
    expect(fr.admits + fr.rejects).toBe(n)
    // σ of the fraction ≈ √(0.21/n) ≈ 0.0014.
    expect(Math.abs(fr.admits / n - 0.7)).toBeLessThan(0.006)
  })

  test("a disabled controller admits everything", () => {
    const fr = new FastReject({ enabled: false })
    for (let t = 0; t < 10; t++) second(fr, t, 1)
    expect(fr.admit(10, 0.99)).toBe(true)
    expect(fr.passRate).toBeCloseTo(0.5, 12)
    expect(fr.rejects).toBe(0)
  })

  test("windows are aligned to the start time and can be shorter than a second", () => {
    const fr = new FastReject({ windowS: 0.1 }, 5)
    fr.observeWait(5.05, 1)
    fr.advance(5.0999)
    expect(fr.passRate).toBe(1)
    fr.advance(5.1)
    expect(fr.passRate).toBeCloseTo(0.95, 12)
  })

  test("the pass rate after any history equals a window-by-window replay", () => {
    const window = fc.record({
      waits: fc.array(fc.double({ min: 0, max: 0.05, noNaN: true }), { maxLength: 5 }),
      cpu: fc.option(fc.double({ min: 0.5, max: 1, noNaN: true })),
    })
    fc.assert(
      fc.property(fc.array(window, { maxLength: 40 }), (windows) => {
        const fr = new FastReject()
        let pass = 1
        let lastCpu = 0
        windows.forEach((w, t) => {
          w.waits.forEach((x, k) => fr.observeWait(t + (k + 1) / 10, x))
          if (w.cpu !== null) {
            fr.observeCpu(t + 0.9, w.cpu)
            lastCpu = w.cpu
          }
          const mean = w.waits.length > 0 ? w.waits.reduce((a, b) => a + b, 0) / w.waits.length : 0
          pass = mean > 0.02 || lastCpu > 0.95 ? Math.max(0, pass - 0.05) : Math.min(1, pass + 0.01)
        })
        fr.advance(windows.length)
        expect(fr.passRate).toBeCloseTo(pass, 9)
      }),
    )
  })

  test("a priority drawn from the uin gives every call of a request the same fate (DAGOR)", () => {
    // Two hops with different pass rates: a request passes both iff its u is under the smaller.
    const a = new FastReject()
    const b = new FastReject()
    for (let t = 0; t < 4; t++) second(a, t, 0.05) // a at 0.8
    for (let t = 0; t < 8; t++) second(b, t, 0.05) // b at 0.6
    const salt = 0xda90
    let both = 0
    let partial = 0
    const n = 20_000
    for (let k = 0; k < n; k++) {
      const u = uinUniform(uinHash(1_000_000 + k), salt)
      const first = a.admit(8, u)
      const second = first && b.admit(8, u)
      if (second) both++
      else if (first) partial++
    }
    const pa = a.passRate // 0.84: cut to 0.8, then 4 idle windows up
    const pb = b.passRate // 0.6
    expect(pa).toBeCloseTo(0.84, 12)
    expect(pb).toBeCloseTo(0.6, 12)
    // Independent draws would pass pa × pb ≈ 50% end to end; one priority passes min(pa, pb).
    expect(Math.abs(both / n - pb)).toBeLessThan(0.02)
    // Work wasted upstream is what a admits and b refuses: pa − pb, the same users every time.
    expect(Math.abs(partial / n - (pa - pb))).toBeLessThan(0.02)
  })
})

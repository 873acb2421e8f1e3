import fc from "fast-check"
import { describe, expect, test } from "vitest"
import { GROUP_SIZE, uinGroupBase } from "../../sim/model/StorageGroup.ts"
import { HashRing, fmix32, hash2, uinHash, uinUniform } from "../../sim/model/HashRing.ts"

const UINS = 100_000
const BASE_UIN = 1_688_850_000 // WeCom-like uins: large, consecutive

describe("uin hashes", () => {
  test("hash2 is murmur3_32 of the two words' little-endian bytes", () => {
    // Reference values from a byte-wise murmur3_32 implementation.
    expect(hash2(0, 0, 0)).toBe(1669671676)
    expect(hash2(10001, 0, 0)).toBe(3402781366)
    expect(hash2(1, 2, 3)).toBe(3207455560)
    expect(hash2(0xffffffff, 5, 0)).toBe(4284915844)
  })

  test("uinHash is deterministic, unsigned 32-bit, and uses the high word of large uins", () => {
    expect(uinHash(10001)).toBe(hash2(10001, 0))
    expect(uinHash(2 ** 40 + 7)).toBe(4101885666)
    expect(uinHash(2 ** 40 + 7)).not.toBe(uinHash(7))
    fc.assert(
      fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), (uin) => {
        const h = uinHash(uin)
        expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true)
        expect(uinHash(uin)).toBe(h)
      }),
    )
  })

  test("fmix32 is a bijection on a sample (no collisions among 100k inputs)", () => {
    const seen = new Set<number>()
    for (let k = 0; k < UINS; k++) seen.add(fmix32(k))
    expect(seen.size).toBe(UINS)
  })

  test("storage groups split uins evenly", () => {
    const groups = 4
    const count = new Array(groups).fill(0)
    for (let k = 0; k < UINS; k++) count[uinGroupBase(uinHash(BASE_UIN + k), groups * GROUP_SIZE) / GROUP_SIZE]++
    // Binomial noise only: σ ≈ 137 of 25,000, so 2% is ≈ 3.6σ.
    for (const c of count) expect(Math.abs(c / (UINS / groups) - 1)).toBeLessThan(0.02)
  })

  test("salted uniforms lie in [0, 1), differ by salt, and are not tied to ring position", () => {
    let below = 0
    let lowArcBelow = 0
    let lowArc = 0
    let outside = 0
    for (let k = 0; k < UINS; k++) {
      const h = uinHash(BASE_UIN + k)
      const u = uinUniform(h, 1)
      if (!(u >= 0 && u < 1)) outside++
      if (u < 0.3) below++
      if (h < 2 ** 31) {
        lowArc++
        if (u < 0.3) lowArcBelow++
      }
    }
    expect(outside).toBe(0)
    expect(below / UINS).toBeCloseTo(0.3, 2)
    // Among uins of one half of the ring, still 30%.
    expect(lowArcBelow / lowArc).toBeCloseTo(0.3, 1)
    expect(uinUniform(123, 1)).not.toBe(uinUniform(123, 2))
  })
})

describe("HashRing", () => {
  // With v points per instance an instance's share deviates from 1/n by ≈ √((1 − 1/n)/v) (1σ).
  // Measured over 200 seeds: at v = 1000, the worst of n ≤ 24 instances is within ±10% in 95% of
  // layouts (worst seen 11%); at ketama's v = 160 the 95th percentile is 15–23%, so ±10% does not
  // hold there. The default ring (v = 1000, seed 0) is checked against ±10% exactly.
  test.each([2, 3, 4, 6, 9, 12])("the default ring splits uins within ±10%% over %i instances", (n) => {
    const ring = new HashRing(n)
    const shares = ring.shares()
    for (const s of shares) expect(Math.abs(s * n - 1)).toBeLessThan(0.1)
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9)
    const count = new Array(n).fill(0)
    for (let k = 0; k < UINS; k++) count[ring.pick(BASE_UIN + k)]++
    // Sampled counts follow the exact shares up to binomial noise (< 4σ ≈ 0.6% of 100k).
    for (let i = 0; i < n; i++) expect(Math.abs(count[i] / UINS - shares[i])).toBeLessThan(0.006)
    for (const c of count) expect(Math.abs((c * n) / UINS - 1)).toBeLessThan(0.1)
  })

  test.each([
    [3, 160],
    [6, 160],
    [6, 1000],
  ])("the spread of shares over %i instances with %i points matches √((1 − 1/n)/v)", (n, v) => {
    let sq = 0
    const rings = 60
    for (let seed = 0; seed < rings; seed++) for (const s of new HashRing(n, v, seed).shares()) sq += (s * n - 1) ** 2
    const rms = Math.sqrt(sq / (rings * n))
    expect(rms / Math.sqrt((1 - 1 / n) / v)).toBeGreaterThan(0.8)
    expect(rms / Math.sqrt((1 - 1 / n) / v)).toBeLessThan(1.2)
  })

  test("the same inputs build the same ring; another seed builds another", () => {
    const a = new HashRing(6)
    const b = new HashRing(6)
    const c = new HashRing(6, 1000, 7)
    let differ = 0
    for (let k = 0; k < 1000; k++) {
      expect(a.pick(BASE_UIN + k)).toBe(b.pick(BASE_UIN + k))
      if (a.pick(BASE_UIN + k) !== c.pick(BASE_UIN + k)) differ++
    }
    expect(differ).toBeGreaterThan(500)
  })

  test("removing an instance moves only the uins it served", () => {
    const keys = [0, 1, 2, 3, 4, 5]
    const full = new HashRing(keys)
    const removed = 2
    const rest = keys.filter((k) => k !== removed)
    const without = new HashRing(rest)
    const skipRemoved = (i: number) => keys[i] === removed
    let moved = 0
    let wrong = 0
    for (let k = 0; k < 20_000; k++) {
      const uin = BASE_UIN + k
      const before = keys[full.pick(uin)]
      const after = rest[without.pick(uin)]
      if (before === removed) moved++
      else if (after !== before) wrong++
      // Skipping the instance is the same as removing it.
      if (keys[full.pick(uin, skipRemoved)] !== after) wrong++
    }
    expect(wrong).toBe(0)
    expect(moved / 20_000).toBeCloseTo(1 / 6, 1)
  })

  test("a retry that skips tried machines walks to distinct machines, then gives up with -1", () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 40 }), fc.integer({ min: 1, max: 9 }), (uin, n) => {
        const ring = new HashRing(n, 50)
        const tried = new Set<number>()
        for (let t = 0; t < n; t++) {
          const i = ring.pick(uin, (x) => tried.has(x))
          expect(i).toBeGreaterThanOrEqual(0)
          expect(tried.has(i)).toBe(false)
          tried.add(i)
        }
        expect(ring.pick(uin, (x) => tried.has(x))).toBe(-1)
      }),
    )
  })

  test("skip is asked at most once per instance per pick", () => {
    const ring = new HashRing(4, 200)
    const asked = new Map<number, number>()
    const i = ring.pick(BASE_UIN, (x) => {
      asked.set(x, (asked.get(x) ?? 0) + 1)
      return true
    })
    expect(i).toBe(-1)
    expect([...asked.values()]).toEqual([1, 1, 1, 1])
  })

  test("a pick is the owner of the first point clockwise of the hash (linear-scan oracle)", () => {
    const n = 5
    const v = 40
    const seed = 3
    const ring = new HashRing(n, v, seed)
    // The ring's points, rebuilt from its documented layout: point v of instance i is hash2(i, v, seed).
    const pts: Array<[number, number]> = []
    for (let i = 0; i < n; i++) for (let k = 0; k < v; k++) pts.push([hash2(i, k, seed), i])
    const oracle = (h: number) => {
      let best: [number, number] | undefined
      for (const p of pts) if (p[0] >= h && (!best || p[0] < best[0] || (p[0] === best[0] && p[1] < best[1]))) best = p
      if (!best) for (const p of pts) if (!best || p[0] < best[0] || (p[0] === best[0] && p[1] < best[1])) best = p
      return best![1]
    }
    const edges = pts.flatMap(([p]) => [p, p + 1, Math.max(0, p - 1)]).filter((h) => h < 2 ** 32)
    for (const h of [0, 2 ** 32 - 1, ...edges]) expect(ring.pickHash(h)).toBe(oracle(h))
    fc.assert(fc.property(fc.nat({ max: 2 ** 32 - 1 }), (h) => ring.pickHash(h) === oracle(h)))
  })

  test("rejects impossible sizes", () => {
    expect(() => new HashRing(0)).toThrow(RangeError)
    expect(() => new HashRing(3, 0)).toThrow(RangeError)
  })
})

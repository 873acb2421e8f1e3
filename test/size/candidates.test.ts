// The deployments `wwsim size` searches, their order, the seed's table and the port bound.
import { describe, expect, test } from "vitest"
import {
  accessPortBound, compareCandidates, enumerateCandidates, isValidCandidate, seedRow, total,
} from "../../sim/size/candidates.ts"
import { smallerNeighbours } from "../../sim/size/search.ts"

describe("candidate ordering", () => {
  test("fewer machines first; at equal count mixed first, then fewer access hosts", () => {
    const list = enumerateCandidates(9)
    expect(list.slice(0, 7)).toEqual([
      { access: 1, logic: 3, storage: 0 }, // 4 machines
      { access: 2, logic: 3, storage: 0 }, // 5
      { access: 3, logic: 3, storage: 0 }, // 6
      { access: 1, logic: 6, storage: 0 }, // 7: mixed first, fewer access hosts first
      { access: 4, logic: 3, storage: 0 },
      { access: 1, logic: 3, storage: 3 }, // 7: separate storage after the mixed ones
      { access: 2, logic: 6, storage: 0 }, // 8
    ])
    for (let i = 1; i < list.length; i++) {
      expect(total(list[i])).toBeGreaterThanOrEqual(total(list[i - 1]))
      if (total(list[i]) === total(list[i - 1]) && list[i - 1].storage > 0) expect(list[i].storage).toBeGreaterThan(0)
    }
  })

  test("at 7 machines: 4 + 3 mixed, 1 + 6 mixed, then 1 + 3 + 3", () => {
    const seven = enumerateCandidates(7).filter((c) => total(c) === 7)
    expect(seven).toEqual([
      { access: 1, logic: 6, storage: 0 },
      { access: 4, logic: 3, storage: 0 },
      { access: 1, logic: 3, storage: 3 },
    ].sort(compareCandidates))
    expect(seven.map((c) => c.storage)).toEqual([0, 0, 3])
  })

  test("every candidate is valid: logic and storage in threes, storage 0 = mixed, at least one access host", () => {
    for (const c of enumerateCandidates(20)) expect(isValidCandidate(c)).toBe(true)
    expect(isValidCandidate({ access: 0, logic: 3, storage: 0 })).toBe(false)
    expect(isValidCandidate({ access: 2, logic: 4, storage: 0 })).toBe(false)
    expect(isValidCandidate({ access: 2, logic: 3, storage: 2 })).toBe(false)
  })

  test("the next smaller candidate in each tier", () => {
    expect(smallerNeighbours({ access: 3, logic: 6, storage: 3 })).toEqual([
      { access: 2, logic: 6, storage: 3 }, { access: 3, logic: 3, storage: 3 }, { access: 3, logic: 6, storage: 0 },
    ])
    expect(smallerNeighbours({ access: 1, logic: 3, storage: 0 })).toEqual([])
  })
})

describe("the seed's sizing table (docs/model.md §1)", () => {
  test("its rows, and none above 100,000", () => {
    expect(seedRow(200)).toEqual({ access: 1, logic: 1, storage: 0 })
    expect(seedRow(20_000)).toEqual({ access: 2, logic: 3, storage: 0 })
    expect(seedRow(50_000)).toEqual({ access: 2, logic: 3, storage: 3 })
    expect(seedRow(100_000)).toEqual({ access: 4, logic: 6, storage: 6 })
    expect(seedRow(100_001)).toBeNull()
  })
})

describe("the access tier's port bound (27,000 of 28,232 ports per surviving host)", () => {
  test("N-1 adds the host that may fail", () => {
    expect(accessPortBound(20_000, 1, 28_232, false)).toBe(1)
    expect(accessPortBound(20_000, 1, 28_232, true)).toBe(2)
    expect(accessPortBound(50_000, 1, 28_232, true)).toBe(3)
    expect(accessPortBound(100_000, 1, 28_232, true)).toBe(5)
    expect(accessPortBound(100_000, 0.5, 28_232, true)).toBe(3)
    expect(accessPortBound(100_000, 1, null, false)).toBe(1)
    // two devices each: 100,000 connections over 27,000 usable → 4, +1; per destination with 3 upstreams: 81,000 a host → 2, +1
    expect(accessPortBound(50_000, 1, 28_232, true, 0, 2)).toBe(5)
    expect(accessPortBound(100_000, 1, 28_232, true, 0, 1, 3)).toBe(3)
  })
})

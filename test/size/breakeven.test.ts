// Break-even values against arithmetic. With the seed's port rule and no reserve (`reserve: 0`; by
// default the model keeps the seed's 1,232 for short requests, so a port shortage takes users
// offline instead of failing messages), an access host holds at most 28,232 connections; every
// online user holds one on its access host. So at 50,000 users on 2 access hosts:
// - with one host down the survivor holds all online users: it fails above 28,232 / 50,000 = 56.5%
//   online (and above 85% of that with a 15% headroom target);
// - with both up each holds half: 28,232 × 2 / 50,000 = 112.9% online, more than every user, so no
//   online share breaks it, while 1.129 connections per online user does.
// Short windows: the limit is a count, reached at the first second.
import { afterAll, describe, expect, test } from "vitest"
import { WorkerPool } from "../../sim/check/WorkerPool.ts"
import { type SizeOptions, storageServices } from "../../sim/size/search.ts"
import { assumptionsOf, breakEven } from "../../sim/size/sensitivity.ts"

const pool = new WorkerPool(2)
afterAll(() => pool.close())
const run = async (s: Parameters<typeof pool.run>[0]) => (await pool.run(s)).report

const PORTS = 28_232
const USERS = 50_000
const NO_RESERVE = { text: `preset: wecom\nhosts:\n  access:\n    ports: { range: ${PORTS}, reserve: 0 }\n`, file: "no-reserve.yaml" }
const base: SizeOptions = { users: USERS, slos: [], nMinus1: true, warmup: "1s", duration: "3s", maxMachines: 60, headroom: 0, base: NO_RESERVE }
const two = { access: 2, logic: 3, storage: 0 }
const STEPS = 6

const assumption = (options: SizeOptions, id: string) => {
  const a = assumptionsOf(options).find((x) => x.id === id)
  if (a === undefined) throw new Error(`no assumption ${id}`)
  return a
}

describe("break-even of the online share, 2 access hosts at 50,000 users", () => {
  test("N-1 (no reserve): it passes once online share ≤ 28,232 / 50,000 = 56.5%, found within one bisection step", async () => {
    const a = assumption(base, "onlineRatio")
    expect(a.assumed).toBe(1)
    const b = await breakEven(base, two, false, a, run, storageServices(base), STEPS)
    const threshold = PORTS / USERS
    const step = (a.range[1] - a.range[0]) / 2 ** STEPS
    expect(b.outcome).toBe("flips")
    expect(b.direction).toBe("down")
    // first: the largest value seen to pass; last: the smallest seen to fail
    expect(b.first! - step).toBeLessThanOrEqual(threshold)
    expect(b.last! + step).toBeGreaterThanOrEqual(threshold)
    expect(b.last! - b.first!).toBeLessThanOrEqual(step * 1.0001)
  })

  test("N-1 with a 15% headroom target: the threshold is 85% of that, 48.0%", async () => {
    const options = { ...base, headroom: 0.15 }
    // from 30% up: far fewer users online, offline pushes waiting on the vendor fill ss5's
    // workers on the lone survivor (0.95 × 7,500/s × 0.3 s > 2,000), another limit
    const a = { ...assumption(options, "onlineRatio"), range: [0.3, 1] as const }
    const b = await breakEven(options, two, false, a, run, storageServices(options), STEPS)
    const threshold = (0.85 * PORTS) / USERS
    const step = (a.range[1] - a.range[0]) / 2 ** STEPS
    expect(b.outcome).toBe("flips")
    expect(b.first! - step).toBeLessThanOrEqual(threshold)
    expect(b.last! + step).toBeGreaterThanOrEqual(threshold)
  })

  test("both hosts up: no online share breaks it (112.9% > 100%); 1.129 connections per online user does", async () => {
    const options = { ...base, nMinus1: false }
    const online = await breakEven(options, two, true, assumption(options, "onlineRatio"), run, storageServices(options), STEPS)
    expect(online.outcome).toBe("holds")
    const a = assumption(options, "connectionsPerUser")
    const b = await breakEven(options, two, true, a, run, storageServices(options), STEPS)
    const threshold = (2 * PORTS) / USERS
    const step = (a.range[1] - a.range[0]) / 2 ** STEPS
    expect(b.outcome).toBe("flips")
    expect(b.direction).toBe("up")
    expect(b.last! - step).toBeLessThanOrEqual(threshold)
    expect(b.first! + step).toBeGreaterThanOrEqual(threshold)
  })
})

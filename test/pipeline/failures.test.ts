// Issue 11, items 2, 4 and 5: a storage group's failure fails its storage, reads included; a dead
// host is silent (the caller waits its connect timeout) while a crashed process refuses at once;
// shields are kept per calling host. Small deterministic scenarios, oracles worked out by hand.
import { describe, expect, test } from "vitest"
import type { SimReport } from "../../sim/report/Report.ts"
import { parseScenarioText } from "../../sim/scenario/load.ts"
import { simulate } from "../../sim/simulate.ts"

const run = (yaml: string): SimReport => simulate(parseScenarioText(yaml, "test.yaml")).report

/**
 * A WeCom deployment with two storage groups (storage-1…3, storage-4…6) and logins at 300/s
 * (3,000 users, one login every 10 s each): each login reads the user's record from wwlpkv in the
 * uin's group, so about half the logins read from each group.
 */
const wecom = (faults: string, extra = "") => `
name: group-down
preset: wecom
seed: 5
users: 3000
loginInterval: 10s
messageInterval: 1h
duration: 10s
hosts:
  access: { count: 1 }
  logic: { count: 3 }
  storage: { count: 6 }
${extra}
faults: ${faults}
`

describe("a storage group's failure fails the group's storage, reads included (seed 000: 同组两台坏掉会导致存储失败)", () => {
  const share = (r: SimReport) => r.requests.login.codes["-300"] / r.requests.login.issued

  test("two of a group down: the logins of that group's users (about half) fail with -300; the other group's succeed", () => {
    const r = run(wecom("[{ at: 0s, action: host-down, target: [storage-1, storage-2] }]"))
    const login = r.requests.login
    expect(share(r)).toBeGreaterThan(0.45)
    expect(share(r)).toBeLessThan(0.55)
    expect(login.ok + login.codes["-300"]).toBe(login.issued - login.inFlight)
  })

  test("one of a group down: a majority is left and every login is served", () => {
    const r = run(wecom("[{ at: 0s, action: host-down, target: storage-1 }]"))
    expect(r.requests.login.failed).toBe(0)
  })

  test("members lost to service-crash count like members powered off", () => {
    const r = run(wecom("[{ at: 0s, action: service-crash, target: wwlpkv, hosts: [storage-1, storage-2] }]"))
    expect(share(r)).toBeGreaterThan(0.45)
    expect(share(r)).toBeLessThan(0.55)
  })

  test("a member partitioned from the rest of its group is a minority: only the reads it takes fail (a third of its group's)", () => {
    const r = run(wecom("[{ at: 0s, action: partition, target: storage-1, peer: [storage-2, storage-3] }]"))
    // Half the logins read from group 1, a third of those land on storage-1 (chosen by uin).
    expect(share(r)).toBeGreaterThan(1 / 6 - 0.05)
    expect(share(r)).toBeLessThan(1 / 6 + 0.05)
  })

  test("`readQuorum: one` restores reads served by any live member: two down, no login fails", () => {
    const r = run(wecom("[{ at: 0s, action: host-down, target: [storage-1, storage-2] }]", "readQuorum: one"))
    expect(r.requests.login.failed).toBe(0)
  })
})

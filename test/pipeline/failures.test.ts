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

/**
 * A client → front → store chain: `store` on two hosts, round-robin, two tries, a 5 s timeout;
 * constant CPU (front 100 µs, store 200 µs), no network, so a request that meets no failure takes
 * 0.3 ms and one whose first try meets a silent host takes the connect timeout more.
 */
const pair = (faults: string, call = "tries: 2, timeout: 5s", top = "") => `
name: dead-host
seed: 2
duration: 10s
${top}
hosts:
  fronthost: { count: 1, cores: 8 }
  storage: { count: 2, cores: 8 }
services:
  front: { host: fronthost, workers: 1000, cpu: { const: 100us } }
  store: { host: storage, workers: 1000, cpu: { const: 200us }, shield: { threshold: 1000000, failureRate: 0 } }
workload:
  req:
    rate: 100/s
    call: { to: front, calls: [{ to: store, ${call} }] }
faults: ${faults}
`

describe("a dead host is silent, a dead process refuses", () => {
  const down = "[{ at: 0s, action: host-down, target: storage-1 }]"

  test("a powered-off host delays the first try by the connect timeout (1 s by default), then -201 and a retry", () => {
    const report = run(pair(down))
    const r = report.requests.req
    expect(r.failed).toBe(0)
    // A first try to storage-1 costs 1 s (the timer's 1 ms tick rounds it up by < 1 ms) before the
    // retry's 0.3 ms of work; a request retried iff its first try went there.
    expect(r.latencyMs.max).toBeGreaterThanOrEqual(1000.3)
    expect(r.latencyMs.max).toBeLessThan(1001.4)
    // (those still waiting at the end have not retried yet, and carry no latency)
    const retried = report.resilience.retries / r.ok
    expect(retried).toBeGreaterThan(0.4)
    expect(r.latencyMs.mean).toBeGreaterThan(0.99 * (retried * 1000 + 0.3))
    expect(r.latencyMs.mean).toBeLessThan(1.01 * (retried * 1001 + 0.3))
  })

  test("the connect timeout is a call field and a scenario default", () => {
    const call = run(pair(down, "tries: 2, timeout: 5s, connectTimeout: 300ms")).requests.req
    expect(call.latencyMs.max).toBeGreaterThanOrEqual(300.3)
    expect(call.latencyMs.max).toBeLessThan(301.4)
    const scenario = run(pair(down, undefined, "connectTimeout: 2s")).requests.req
    expect(scenario.latencyMs.max).toBeGreaterThanOrEqual(2000.3)
    expect(scenario.latencyMs.max).toBeLessThan(2001.4)
  })

  test("a try timeout shorter than the connect timeout fires first: -202 at the try's timeout", () => {
    const r = run(pair(down, "tries: 1, timeout: 400ms")).requests.req
    expect(r.codes["-202"]).toBeGreaterThan(0.45 * r.issued)
    expect(r.codes["-201"]).toBeUndefined()
    expect(r.latencyMs.max).toBeLessThan(401.4)
  })

  test("a partition is silent too: the try fails with -201 after the connect timeout", () => {
    const r = run(pair("[{ at: 0s, action: partition, target: fronthost, peer: storage-1 }]", "tries: 1, timeout: 5s")).requests.req
    // Half the requests go to storage-1 and fail with -201; those of the last second (100/s × 1 s × ½)
    // still wait for their connect when the run ends.
    expect(r.codes).toEqual({ "0": r.ok, "-201": r.failed })
    expect(Math.abs(r.failed - r.ok)).toBeLessThan(0.1 * r.issued)
    expect(r.inFlight).toBeGreaterThan(35)
    expect(r.inFlight).toBeLessThan(65)
  })

  test("a crashed process on a live host refuses at once: the retry follows without waiting", () => {
    const r = run(pair("[{ at: 0s, action: service-crash, target: store, hosts: [storage-1] }]")).requests.req
    expect(r.failed).toBe(0)
    expect(r.latencyMs.max).toBeLessThan(2)
  })

  test("`connectTimeout: 0s` restores the instant -201 of a down host", () => {
    const r = run(pair(down, undefined, "connectTimeout: 0s")).requests.req
    expect(r.failed).toBe(0)
    expect(r.latencyMs.max).toBeLessThan(2)
  })
})

/**
 * Five calling hosts: users' requests go round-robin to `front` on caller-1 … caller-5, and each
 * calls `store` (two hosts, round-robin, two tries).
 */
const callers = (store: string, faults: string) => `
name: callers
seed: 4
duration: 5s
hosts:
  caller: { count: 5, cores: 8 }
  storage: { count: 2, cores: 8 }
services:
  front: { host: caller, workers: 1000, cpu: { const: 50us } }
  store: { host: storage, ${store} }
workload:
  req:
    rate: 1000/s
    call: { to: front, calls: [{ to: store, tries: 2 }] }
faults: ${faults}
`

describe("shields per caller, as seed 004 draws them (in-process FailCount, aggregated per machine)", () => {
  // store-1's workers crash: every try there fails at once (-218) and is retried on store-2.
  const crash = "[{ at: 0s, action: service-crash, target: store, hosts: [storage-1] }]"
  const store = (scope: string) =>
    `workers: 1000, cpu: { const: 100us }, shield: { threshold: 5, leak: 1/s, for: 1h, scope: ${scope} }`

  test("with 5 caller hosts a failing instance needs 5× the failures to open every caller's shield", () => {
    // A bucket of threshold 5 leaking 1/s, fed ~100 failures a second, reaches 5 on its 6th
    // failure (the 5th leaves it a hair below 5); each failure costs one retry, and the shield (1 h)
    // lets no probe through. One bucket for all callers: 6 failures; one per caller host: 5 × 6.
    const callee = run(callers(store("callee"), crash))
    const caller = run(callers(store("caller"), crash))
    expect(callee.resilience.retries).toBe(6)
    expect(callee.resilience.shieldActivations).toBe(1)
    expect(caller.resilience.retries).toBe(30)
    expect(caller.resilience.shieldActivations).toBe(5)
    expect(caller.requests.req.failed).toBe(0)
  })

  test("the client reject cache is per calling machine: each of the 5 learns each instance's reject from a reply of its own", () => {
    // One worker at 100 µs … 10 ms a call cannot keep up with 1,000/s: the first 1 s window is
    // overloaded, the pass rate drops to 0 (down 100%) and every call is rejected from then on.
    // Each reject reply is cached for the rest of the run (1 h) on the machine that got it, so
    // the servers themselves reject exactly one call per (calling machine, instance): 5 × 2; with
    // the cache per instance, one per instance: 2.
    const overloaded = (scope: string) => callers(
      `workers: 1, cpu: { const: 10ms }, fastReject: { down: 100%, waitThreshold: 1ms, clientCache: 1h, clientCacheScope: ${scope} }`,
      "[]",
    ).replace("tries: 2", "tries: 1")
    const caller = run(overloaded("caller"))
    const callee = run(overloaded("callee"))
    expect(callee.resilience.fastRejects).toBe(2)
    expect(caller.resilience.fastRejects).toBe(10)
    expect(caller.resilience.clientRejects).toBeGreaterThan(1000)
  })
})

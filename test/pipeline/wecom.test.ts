// The WeCom pipeline against the seed's numbers (docs/model.md §1) and the Svrkit rules (§2).
// Runs are short (tens of simulated seconds); each tolerance below is justified by its run length.
import { describe, expect, test } from "vitest"
import type { SimReport } from "../../sim/report/Report.ts"
import { loadScenarioFile } from "../../sim/scenario/load.ts"
import { simulate } from "../../sim/simulate.ts"

function run(file: string, sets: ReadonlyArray<string>): SimReport {
  return simulate(loadScenarioFile(file, sets)).report
}

const successRate = (r: SimReport, kind: string) => r.requests[kind].ok / r.requests[kind].issued

describe("the seed's load arithmetic at 20,000 users (seed 000, 评估)", () => {
  // 60 s measured: 180,000 messages and 18,000 file downloads expected. Poisson counts, so the
  // relative standard deviation is 1/√180000 ≈ 0.24% and 1/√18000 ≈ 0.75%: ±1.5% and ±3% are
  // over four standard deviations.
  const r = run("scenarios/wecom-20k.yaml", ["warmup=10s", "duration=60s"])

  test("message upload into the access tier is 6,000 × 0.5/s × 1 KB ≈ 24 Mbps", () => {
    expect(r.requests.sendmsg.edgeMbps!.up).toBeGreaterThan(24 * 0.985)
    expect(r.requests.sendmsg.edgeMbps!.up).toBeLessThan(24 * 1.015)
  })

  test("file download out of the access tier is 6,000 × 0.5/s × 10% × 50 KB × 8 ≈ 120 Mbps", () => {
    expect(r.requests.file.edgeMbps!.down).toBeGreaterThan(120 * 0.97)
    expect(r.requests.file.edgeMbps!.down).toBeLessThan(120 * 1.03)
  })

  test("the access hosts' NICs carry at least the edge traffic, split evenly by uin", () => {
    const access = ["access-1", "access-2"].map((h) => r.hosts[h].nicMbps!)
    const outTotal = access.reduce((s, n) => s + n.out.mean, 0)
    expect(outTotal).toBeGreaterThan(r.requests.file.edgeMbps!.down + r.requests.push.edgeMbps!.down)
    // uins hash to the two hosts: 10,000 ± 1% each (binomial sd 0.35%).
    expect(Math.abs(access[0].out.mean - access[1].out.mean) / outTotal).toBeLessThan(0.05)
  })

  test("every message is pushed to its one-to-one recipient and all succeed at this size", () => {
    expect(successRate(r, "sendmsg")).toBeGreaterThan(0.9999)
    // Pushes are counted when the message arrived in the window; a few sent at its very end are still in flight.
    expect(Math.abs(r.requests.push.issued - r.requests.sendmsg.ok) / r.requests.sendmsg.ok).toBeLessThan(0.001)
  })
})

describe("ephemeral ports on the access hosts (28,232 each, seed 000)", () => {
  test("70,000 users on 2 access hosts: long connections stop at the seed's ~27,000 and short requests keep the reserve", () => {
    const r = run("scenarios/wecom-20k.yaml", ["users=70000", "warmup=0s", "duration=5s"])
    for (const h of ["access-1", "access-2"]) {
      // 27,000 long connections (28,232 less the 1,232 reserve), plus short requests in flight
      expect(r.hosts[h].portsInUse!.max).toBeGreaterThanOrEqual(27_000)
      expect(r.hosts[h].portsInUse!.max).toBeLessThan(27_500)
      expect(r.hosts[h].portsInUse!.failures).toBeGreaterThan(0)
    }
    expect(r.requests.sendmsg.codes["-201"] ?? 0).toBe(0)
  })

  test("70,000 users with no reserve: long connections take every port and connects fail with -201", () => {
    const r = run("scenarios/wecom-20k.yaml", ["users=70000", "warmup=0s", "duration=5s", "hosts.access.ports={range: 28232, reserve: 0}"])
    for (const h of ["access-1", "access-2"]) expect(r.hosts[h].portsInUse!.max).toBe(28_232)
    expect(r.requests.sendmsg.codes["-201"]).toBeGreaterThan(0)
  })

  test("40,000 users: no connect fails for lack of a port", () => {
    const r = run("scenarios/wecom-20k.yaml", ["users=40000", "warmup=0s", "duration=10s"])
    for (const h of ["access-1", "access-2"]) {
      expect(r.hosts[h].portsInUse!.max).toBeLessThan(28_232)
      expect(r.hosts[h].portsInUse!.failures).toBe(0)
    }
    for (const kind of ["sendmsg", "login", "file"]) expect(r.requests[kind].codes["-201"] ?? 0).toBe(0)
    // A push whose recipient's connection churns while it is in flight finds no wwlconn holding it
    // (route: connection): -201, rare (40,000 connections / 30 min ≈ 22/s, each away ≤ 20 s).
    expect(r.requests.push.codes["-201"] ?? 0).toBeLessThan(r.requests.push.issued * 1e-4)
  })
})

describe("storage groups of three (seed 000: two down in a group and its storage fails)", () => {
  const sixStorage = ["users=20000", "hosts.storage.count=6", "warmup=5s", "duration=30s"]

  test("two hosts down in one of two groups: about half of sendmsg fails, as a logic failure", () => {
    const r = run("scenarios/wecom-50k.yaml", [...sixStorage, "faults=[{at: 0s, action: host-down, target: [storage-1, storage-2]}]"])
    const failed = r.requests.sendmsg.failed / r.requests.sendmsg.issued
    // Senders (6,000 active uins) hash to the two groups: binomial sd of the split ≈ 0.65%; ±5%.
    expect(failed).toBeGreaterThan(0.45)
    expect(failed).toBeLessThan(0.55)
    expect(r.requests.sendmsg.codes["-300"]).toBe(r.requests.sendmsg.failed)
  })

  test("one host down in each group: no message fails", () => {
    const r = run("scenarios/wecom-50k.yaml", [...sixStorage, "faults=[{at: 0s, action: host-down, target: [storage-1, storage-4]}]"])
    expect(r.requests.sendmsg.failed).toBe(0)
    expect(successRate(r, "sendmsg")).toBeGreaterThan(0.9999)
  })
})

// A host that refuses at once (`connectTimeout: 0s`): a silent one, the default, costs every try a
// 1 s connect timeout and is the logic-host-down drill's story (README, "Model corrections").
describe("one logic host down that refuses at once: the Svrkit client routes around it", () => {
  const r = run("scenarios/wecom-20k.yaml", ["warmup=5s", "duration=60s", "connectTimeout=0s", "faults=[{at: 20s, for: 30s, action: host-down, target: logic-1}]"])

  test("sendmsg success stays ≥ 99% over the window", () => {
    expect(successRate(r, "sendmsg")).toBeGreaterThanOrEqual(0.99)
  })

  test("the report counts the retries and shield activations that did it", () => {
    expect(r.resilience.retries).toBeGreaterThan(0)
    expect(r.resilience.shieldActivations).toBeGreaterThan(0)
    expect(r.hosts["logic-1"].downS).toBe(30)
  })
})

// The push is one synchronous chain from the MQ down (README, "The MQ delays instead of losing"),
// so each caller on it must wait longer than its callee may legitimately take: wwlpush waits up to
// 5 s for a vendor push through ss5 (exponential, mean 300 ms: 3.6% take over 1 s, and a 5 s tail
// has probability e^(−5/0.3) ≈ 6·10⁻⁸). A caller that gave up at 1 s abandoned each slow push,
// sent it again through another wwlpush (a duplicate notification) and counted the slowness
// against a healthy wwlpush in its shields: with a third of the users offline after a logic host
// died, that shielded every wwlpush and sent a third of the pushes back to the dead host.
describe("the push chain waits out a slow vendor push (its timeouts nest)", () => {
  // Every user offline: ~3,000 pushes a second, all to the vendor; ~30,000 in the window.
  const r = run("scenarios/wecom-20k.yaml", ["onlineRatio=0%", "warmup=2s", "duration=10s"])

  test("no push is abandoned and sent again, and no healthy machine is shielded", () => {
    expect(r.requests.push.issued).toBeGreaterThan(25_000)
    expect(r.requests.push.ok).toBe(r.requests.push.issued - r.requests.push.inFlight)
    // Before: ~3.6% of pushes timed out at the MQ (about a thousand retries) and shields tripped.
    expect(r.resilience.retries).toBe(0)
    expect(r.resilience.shieldActivations).toBe(0)
    expect(r.requests.push.redelivery!.redelivered).toBe(0)
  })
})

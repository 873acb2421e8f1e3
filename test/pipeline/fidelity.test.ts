// The WeCom model where an expert read of seeds 000 and 004 found it optimistic or wrong: each
// correction on a small deterministic run, with its oracle from the seeds' own numbers.
import { describe, expect, test } from "vitest"
import { expandPreset } from "../../sim/presets/wecom.ts"
import type { SimReport } from "../../sim/report/Report.ts"
import { loadScenarioFile } from "../../sim/scenario/load.ts"
import { simulate } from "../../sim/simulate.ts"

function run(file: string, sets: ReadonlyArray<string>): SimReport {
  return simulate(loadScenarioFile(file, sets)).report
}

type Data = Record<string, any>
const expand = (extra: Data): Data =>
  (expandPreset({ name: "w", preset: "wecom", duration: "10s", hosts: { access: { count: 2 }, logic: { count: 3 }, storage: { count: 3 } }, ...extra }) as { data: Data }).data

describe("files live on the logic hosts (seed 000 拓扑, 磁盘情况)", () => {
  // 50,000 users: 15,000 active × 0.5 msg/s × 10% files × 50 KB = 37.5 MB/s of file reads, over 3
  // logic hosts by storage group: 12.5 MB/s each. 10 s measured ≈ 7,500 downloads: ±10% is > 8 sd.
  const r = run("scenarios/wecom-50k.yaml", ["warmup=2s", "duration=10s"])

  test("wwlfile's disk reads land on the logic hosts at the seed's file rate", () => {
    const logicRead = ["logic-1", "logic-2", "logic-3"].reduce((s, h) => s + r.hosts[h].diskMBps!.read.mean, 0)
    expect(logicRead).toBeGreaterThan(37.5 * 0.9)
    expect(logicRead).toBeLessThan(37.5 * 1.1)
  })

  test("the storage tier reads messages clients pull and logins' records, not files", () => {
    const storageRead = ["storage-1", "storage-2", "storage-3"].reduce((s, h) => s + r.hosts[h].diskMBps!.read.mean, 0)
    // The sync pull: 7,500 messages/s × 1 KB = 7.5 MB/s (every user online); logins: 50,000 users /
    // 8 h = 1.7/s × 2 KB, under 0.01 MB/s. Files (37.5 MB/s) would be five times more.
    expect(storageRead).toBeGreaterThan(7.5 * 0.9)
    expect(storageRead).toBeLessThan(7.5 * 1.1)
  })

  test("`fileStore: storage` puts it back on the storage tier, and logic hosts then have no disk", () => {
    const d = expand({ users: 50000, fileStore: "storage" })
    expect(d.services.wwlfile.host).toBe("storage")
    expect(d.hosts.logic.disk).toBeUndefined()
    expect(expand({ users: 50000 }).services.wwlfile.host).toBe("logic")
  })
})

describe("disk bandwidth is a hardware field, not a function of the user count", () => {
  test("10,000 and 10,001 users get the same disks: no cliff in a sweep", () => {
    expect(expand({ users: 10001 }).hosts.storage.disk).toEqual(expand({ users: 10000 }).hosts.storage.disk)
  })

  test("the default is the seed's 500 MB/s; `diskBandwidth` sets every disk", () => {
    expect(expand({ users: 20000 }).hosts.storage.disk).toEqual({ write: "500MB/s", read: "500MB/s" })
    const slow = expand({ users: 20000, diskBandwidth: "100MB/s" })
    expect(slow.hosts.storage.disk).toEqual({ write: "100MB/s", read: "100MB/s" })
    expect(slow.hosts.logic.disk).toEqual({ write: "100MB/s", read: "100MB/s" })
  })
})

import { describe, expect, it } from "vitest"
import type { Report } from "../../sim/report/Report.ts"
import { renderSummary } from "../../sim/report/summary.ts"
import { sampleReport } from "./sampleReport.ts"

describe("renderSummary", () => {
  const text = renderSummary(sampleReport(), { color: false })

  it("heads the summary with scenario, seed, window and run speed", () => {
    expect(text.split("\n")[0]).toBe(
      "mm8-example · seed 7 · warm-up 1m + 30m measured · 2,683,163 events in 0.99 s (2.7M events/s)")
  })

  it("shows one row per request kind with counts and latency in ms", () => {
    const row = text.split("\n").find((l) => l.includes("ping"))
    expect(row?.split("│").map((c) => c.trim()).filter((c) => c !== "")).toEqual(
      ["ping", "1,297,264", "1,297,235", "0", "3", "18.8", "15.1", "69.9", "177"])
  })

  it("shows one row per service with utilization, queue wait and queue depth", () => {
    const row = text.split("\n").find((l) => l.includes("server"))
    expect(row?.split("│").map((c) => c.trim()).filter((c) => c !== "")).toEqual(
      ["server", "1,297,247", "3", "90.1%", "8.82", "6.36", "86"])
  })

  it("has no colour codes when colour is off", () => {
    expect(text).not.toMatch(/\u001b\[/)
  })

  it("shows a dash for latencies of a kind with no ok requests", () => {
    const r = sampleReport()
    const none = { ...r.requests.ping, ok: 0, latencyMs: { ...r.requests.ping.latencyMs, mean: Number.NaN, p50: null as unknown as number } }
    const out = renderSummary({ ...r, requests: { ping: none } } as Report, { color: false })
    const row = out.split("\n").find((l) => l.includes("ping"))
    expect(row?.split("│").map((c) => c.trim()).filter((c) => c !== "").slice(5, 7)).toEqual(["-", "-"])
  })

  it("says how large an MQ's backlog grew, when a kind has one that was used", () => {
    const r = sampleReport()
    expect(text).not.toContain("MQ backlog")
    const ping = { ...r.requests.ping, redelivery: { redelivered: 12_345, backlogMean: 1_234.6, backlogMax: 5_000, backlogEnd: 0 } }
    const out = renderSummary({ ...r, requests: { ping } } as Report, { color: false })
    expect(out.split("\n")).toContain("MQ backlog (ping): 12,345 redelivered · waiting 1,235 on average, 5,000 at most, 0 at the end")
  })

  it("is the same text for the same report", () => {
    expect(renderSummary(sampleReport(), { color: false })).toBe(text)
  })
})

import { describe, expect, test } from "vitest"
import { renderCheckSummary } from "../../sim/check/summary.ts"
import { renderSlos } from "../../sim/report/summary.ts"
import { breachLine, describeMeasured, describeSlo, formatValue } from "../../sim/slo/format.ts"
import type { SloResult } from "../../sim/slo/Slo.ts"

const p99: SloResult = { metric: "sendmsg.latency.p99", op: "below", threshold: 200, value: 183.21, unit: "ms", ok: true }
const rate: SloResult = { metric: "sendmsg.successRate", op: "above", threshold: 0.999, value: 0.99896, unit: "ratio", ok: false }
const cpu: SloResult = {
  metric: "logic.cpu", op: "below", threshold: 0.7, value: 0.8213, unit: "ratio", ok: false,
  everyS: 10, worstAt: { fromS: 430, toS: 440 }, instance: "logic-2",
}
const push: SloResult = {
  metric: "push.latency.p99", op: "below", threshold: 1000, value: 740, unit: "ms", ok: true,
  during: { fromS: 360, toS: 600 }, approximate: true,
}

describe("SLO text", () => {
  test("an SLO reads as written", () => {
    expect(describeSlo(p99)).toBe("sendmsg.latency.p99 below 200ms")
    expect(describeSlo(rate)).toBe("sendmsg.successRate above 99.9%")
    expect(describeSlo(cpu)).toBe("logic.cpu below 70% every 10s")
    expect(describeSlo(push)).toBe("push.latency.p99 below 1s during 6m–10m")
  })

  test("the measured value says where and whether it is approximate", () => {
    expect(describeMeasured(p99)).toBe("183ms")
    expect(describeMeasured(cpu)).toBe("82.1% (logic-2, 430s–440s)")
    expect(describeMeasured(push)).toBe("≈ 740ms")
    expect(describeMeasured({ ...p99, value: null, ok: false, note: "no ok requests" })).toBe("no data (no ok requests)")
  })

  test("a value never prints like its threshold unless it is equal", () => {
    expect(formatValue(0.99896, "ratio", 0.999)).toBe("99.896%")
    expect(formatValue(0.9996, "ratio", 0.999)).toBe("99.96%")
    expect(formatValue(200.0004, "ms", 200)).toBe("200.0004ms")
    expect(formatValue(200, "ms", 200)).toBe("200ms")
    expect(formatValue(2500, "ms")).toBe("2.5s")
    expect(formatValue(12345, "count")).toBe("12,345")
  })

  test("the breach line names every breached SLO", () => {
    expect(breachLine("wecom-20k", [p99, rate, cpu])).toBe(
      "error: wecom-20k: 2 of 3 SLOs breached: sendmsg.successRate above 99.9%: measured 99.896%; " +
      "logic.cpu below 70% every 10s: measured 82.1% (logic-2, 430s–440s)")
  })
})

describe("summaries", () => {
  test("run: a row per SLO with ✓/✗ and the measured value, then the count", () => {
    const text = renderSlos([p99, rate], { color: false })
    const rows = text.split("\n").filter((l) => l.includes("sendmsg")).map((l) => l.split("│").map((c) => c.trim()).filter((c) => c !== ""))
    expect(rows).toEqual([["✓", "sendmsg.latency.p99 below 200ms", "183ms"], ["✗", "sendmsg.successRate above 99.9%", "99.896%"]])
    expect(text.split("\n").at(-1)).toBe("SLOs: 1 of 2 breached")
    expect(renderSlos([p99], { color: false }).split("\n").at(-1)).toBe("SLOs: all 1 hold")
  })

  test("check: a row per scenario, the breaches, and one verdict", () => {
    const text = renderCheckSummary([
      { file: "a.yaml", name: "a", slo: [p99, push], wallS: 1.234 },
      { file: "b.yaml", name: "b", slo: [rate], wallS: 2 },
      { file: "c.yaml", name: "c", slo: [], wallS: 0.5 },
    ], 3.5, { color: false })
    const row = (name: string) => text.split("\n").find((l) => l.startsWith(`│ ${name} `))?.split("│").map((c) => c.trim()).filter((c) => c !== "")
    expect(row("a")).toEqual(["a", "a.yaml", "2/2", "pass", "1.23"])
    expect(row("b")).toEqual(["b", "b.yaml", "0/1", "FAIL", "2.00"])
    expect(row("c")).toEqual(["c", "c.yaml", "0/0", "ran (no SLOs)", "0.50"])
    expect(text).toContain("✗ b: sendmsg.successRate above 99.9%: measured 99.896%")
    expect(text.split("\n").at(-1)).toBe("check: 3 scenarios · 2 of 3 SLOs hold · FAIL (1 scenario) · 3.50 s")
  })
})

import { describe, expect, test } from "vitest"
import { renderCheckSummary } from "../../sim/check/summary.ts"
import { renderSlos } from "../../sim/report/summary.ts"
import { breachLine, describeExpect, describeMeasured, describeSlo, describeVerdict, formatValue } from "../../sim/slo/format.ts"
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

  test("the error line names every unexpected verdict and why", () => {
    expect(breachLine("wecom-20k", [p99, rate, cpu])).toBe(
      "error: wecom-20k: 2 of 3 SLOs unexpected: sendmsg.successRate above 99.9%: breached (measured 99.896%); " +
      "logic.cpu below 70% every 10s: breached (measured 82.1% (logic-2, 430s–440s))")
    const expectedBreach: SloResult = { ...rate, verdict: "expected", expect: { breach: true } }
    const heldAgainstStory: SloResult = { ...p99, verdict: "unexpected", expect: { breach: true }, why: "held; expected a breach" }
    expect(breachLine("drill", [expectedBreach, heldAgainstStory])).toBe(
      "error: drill: 1 of 2 SLOs unexpected: sendmsg.latency.p99 below 200ms: held; expected a breach (measured 183ms)")
  })

  test("the verdict and the expectation read as words", () => {
    expect(describeVerdict(p99)).toBe("held")
    expect(describeVerdict(rate)).toBe("unexpected: breached")
    expect(describeVerdict({ ...rate, verdict: "expected", expect: { breach: true } })).toBe("breached as expected")
    expect(describeExpect(p99)).toBe("")
    expect(describeExpect({ ...rate, expect: { breach: true, within: [0.6, 0.75] } })).toBe("expect breach within 60%–75%")
    expect(describeExpect({ ...p99, expect: { breach: false, within: [100, 200] } })).toBe("expect held within 100ms–200ms")
  })
})

describe("summaries", () => {
  const cells = (text: string, match: string) =>
    text.split("\n").filter((l) => l.includes(match)).map((l) => l.split("│").map((c) => c.trim()).filter((c) => c !== ""))

  test("run: a row per SLO with ✓/✗, the measured value and the verdict, then the count", () => {
    const text = renderSlos([p99, rate], { color: false })
    expect(cells(text, "sendmsg")).toEqual([
      ["✓", "sendmsg.latency.p99 below 200ms", "183ms", "held"],
      ["✗", "sendmsg.successRate above 99.9%", "99.896%", "unexpected: breached"],
    ])
    expect(text.split("\n").at(-1)).toBe("SLOs: 1 held, 0 breached as expected, 1 unexpected")
    expect(renderSlos([p99], { color: false }).split("\n").at(-1)).toBe("SLOs: all 1 hold")
  })

  test("run: a breach the scenario expects is ✓, with what it expected", () => {
    const story: SloResult = { ...rate, value: 0.62, verdict: "expected", expect: { breach: true, within: [0.6, 0.75] } }
    const text = renderSlos([p99, story], { color: false })
    expect(cells(text, "sendmsg")).toEqual([
      ["✓", "sendmsg.latency.p99 below 200ms", "183ms", "held"],
      ["✓", "sendmsg.successRate above 99.9%", "62%", "breached as expected", "breach within 60%–75%"],
    ])
    expect(text.split("\n").at(-1)).toBe("SLOs: 1 held, 1 breached as expected, 0 unexpected")
  })

  test("check: a row per scenario counting verdicts, the unexpected ones, and one verdict", () => {
    const story: SloResult = { ...rate, value: 0.62, verdict: "expected", expect: { breach: true } }
    const text = renderCheckSummary([
      { file: "a.yaml", name: "a", slo: [p99, push], wallS: 1.234 },
      { file: "b.yaml", name: "b", slo: [rate], wallS: 2 },
      { file: "c.yaml", name: "c", slo: [], wallS: 0.5 },
      { file: "d.yaml", name: "d", slo: [p99, story], wallS: 1 },
    ], 3.5, { color: false })
    const row = (name: string) => text.split("\n").find((l) => l.startsWith(`│ ${name} `))?.split("│").map((c) => c.trim()).filter((c) => c !== "")
    expect(row("a")).toEqual(["a", "a.yaml", "2", "0", "0", "pass", "1.23"])
    expect(row("b")).toEqual(["b", "b.yaml", "0", "0", "1", "FAIL", "2.00"])
    expect(row("c")).toEqual(["c", "c.yaml", "0", "0", "0", "ran (no SLOs)", "0.50"])
    expect(row("d")).toEqual(["d", "d.yaml", "1", "1", "0", "pass", "1.00"])
    expect(text).toContain("✗ b: sendmsg.successRate above 99.9%: unexpected: breached (measured 99.896%)")
    expect(text).not.toContain("✗ d:")
    expect(text.split("\n").at(-1)).toBe("check: 4 scenarios · 5 SLOs: 3 held, 1 breached as expected, 1 unexpected · FAIL (1 scenario) · 3.50 s")
  })
})

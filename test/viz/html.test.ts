// The self-contained HTML report: what it accepts as a report, and that data cannot break out.
import { describe, expect, it } from "vitest"
import { BASELINE_DATA_ID, jsonForScript, REPORT_DATA_ID, reportProblem, selfContainedHtml } from "../../sim/report/html.ts"
import { fixture, withChanges } from "./fixture.ts"

const hostile = "</script><img src=x onerror=alert(1)><!--"

const assets = {
  html: `<!doctype html><html><head><title>t</title>
  <script type="module" crossorigin src="./viz.js"></script>
  <link rel="stylesheet" crossorigin href="./viz.css">
</head><body><main></main></body></html>`,
  js: `console.log("$& and $1 stay as written", "</script>")`,
  css: `body { color: red }`,
}

describe("reportProblem", () => {
  it("accepts a report as the engine writes it", () => {
    expect(reportProblem(fixture)).toBeUndefined()
  })

  it.each([
    [null, "expected a JSON object"],
    [[], "expected a JSON object"],
    [{ scenario: 1 }, "scenario: expected a string"],
    [withChanges((r) => delete r.window), "window: expected an object"],
    [withChanges((r) => (r.series.t = "x")), "series.t: expected an array of numbers"],
    [withChanges((r) => (r.series.stepS = 0)), "series.stepS: expected a positive number"],
    [withChanges((r) => r.series.kinds.ping.p99Ms.pop()), "series.kinds.ping.p99Ms: 9 points, series.t has 10"],
    [withChanges((r) => (r.faults = {})), "faults: expected an array"],
  ])("names what is wrong with %j", (value, message) => {
    expect(reportProblem(value)).toContain(message)
  })
})

describe("jsonForScript", () => {
  it("escapes <, > and & so no string can close the script element, and parses back unchanged", () => {
    const text = jsonForScript({ name: hostile, amp: "a&b", sep: "\u2028" })
    expect(text).not.toMatch(/[<>&\u2028]/)
    expect(JSON.parse(text)).toEqual({ name: hostile, amp: "a&b", sep: "\u2028" })
  })
})

describe("selfContainedHtml", () => {
  const report = withChanges((r) => {
    r.services[hostile] = r.services.front
    delete r.services.front
  })
  const html = selfContainedHtml(assets, report, fixture)

  it("inlines the script and stylesheet and drops their external references", () => {
    expect(html).not.toContain('src="./viz.js"')
    expect(html).not.toContain("viz.css")
    expect(html).toContain("<style>body { color: red }</style>")
    expect(html).toContain('<script type="module">console.log("$& and $1 stay as written", "<\\/script>")</script>')
  })

  it("embeds report and baseline as JSON that parses back to the same data", () => {
    const grab = (id: string) => html.match(new RegExp(`<script type="application/json" id="${id}">([^<]*)</script>`))?.[1]
    expect(JSON.parse(grab(REPORT_DATA_ID)!)).toEqual(report)
    expect(JSON.parse(grab(BASELINE_DATA_ID)!)).toEqual(fixture)
  })

  it("lets no hostile name end a script element or open a tag", () => {
    expect(html).not.toContain("<img")
    expect(html.match(/<\/script>/g)).toHaveLength(3) // report, baseline, code
  })
})

// End to end, in real headless chromium: simulate a drill with a host-down fault (and the same
// run without it as the baseline), rename a service to a hostile string in the report, build the
// self-contained HTML with `wwsim report`, open it from disk and check every chart drew its data,
// the fault is shaded, the hostile name is text, and nothing ran. Saves a screenshot to
// results/visualiser.png (WWSIM_SCREENSHOT=FILE elsewhere; the README's picture is a drill's:
// `npm run screenshot`, scripts/visualiser-screenshot.mjs).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import type { Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { removeTempDirs, tempDir, wwsim } from "../cli/wwsim.ts"
import { launch, requireChromium } from "./browser.ts"

const root = fileURLToPath(new URL("../../", import.meta.url))
const scenario = join(root, "scenarios", "wecom-20k.yaml")
const hostile = "<img src=x onerror=alert(1)>"
const renamed = "wwlproxy"
const screenshot = join(root, process.env.WWSIM_SCREENSHOT ?? join("results", "visualiser.png"))
const short = ["--set", "duration=40s", "--set", "warmup=5s", "--quiet"]
const fault = ["--set", "faults=[{at: 20s, for: 10s, action: host-down, target: [logic-1, logic-2]}]"]

let page: Page
let close: () => Promise<void> = async () => {}
const dialogs: string[] = []
const pageErrors: string[] = []
let report: Record<string, any>

afterAll(async () => {
  await close()
  removeTempDirs()
})

beforeAll(async () => {
  requireChromium()
  const dir = tempDir()
  const [candidate, baseline] = await Promise.all([
    wwsim(["run", scenario, "--out", join(dir, "candidate"), ...short, ...fault]),
    wwsim(["run", scenario, "--out", join(dir, "baseline"), ...short]),
  ])
  expect(candidate.stderr).toBe("")
  expect(baseline.stderr).toBe("")

  // any report must be safe to view: rename a service to markup the schema would never allow
  const file = join(dir, "candidate", "report.json")
  report = JSON.parse(readFileSync(file, "utf8"))
  for (const part of [report.services, report.series.services]) {
    part[hostile] = part[renamed]
    delete part[renamed]
  }
  // the SLO table draws the verdicts a report carries: one, computed from this report's own counts
  const s = report.requests.sendmsg
  const success = s.ok / (s.ok + s.failed + s.rejected)
  report.slo = [{ metric: "sendmsg.successRate", op: "above", threshold: 0.999, value: success, unit: "ratio", ok: success >= 0.999 }]
  writeFileSync(file, JSON.stringify(report))

  const html = join(dir, "drill.html")
  const built = await wwsim(["report", file, "--baseline", join(dir, "baseline", "report.json"), "--out", html])
  expect(built.stderr).toBe("")
  expect(built.code).toBe(0)

  const browser = await launch({ width: 1280, height: 900 })
  close = browser.close
  page = browser.context.pages()[0] ?? (await browser.context.newPage())
  page.on("dialog", (d) => {
    dialogs.push(d.message())
    void d.dismiss()
  })
  page.on("pageerror", (e) => pageErrors.push(String(e)))
  await page.goto(pathToFileURL(html).href)
  await page.waitForSelector("body[data-state=ready]", { timeout: 15_000 })
}, 90_000)

/** `data-points` of the element matching `selector`, 0 when absent. */
const pointsOf = (selector: string) =>
  page.$eval(selector, (e) => Number(e.getAttribute("data-points"))).catch(() => 0)

describe("the HTML report in chromium", () => {
  it("opens from disk with no errors and names the scenario", async () => {
    expect(pageErrors).toEqual([])
    expect(await page.textContent("#scenario")).toBe("wecom-20k")
  })

  it("draws p50, p95 and p99 of every kind, and the baseline's", async () => {
    for (const kind of Object.keys(report.series.kinds)) {
      for (const p of ["p50", "p95", "p99"]) {
        expect(await pointsOf(`#latency path[data-series="${p}:${kind}"]`), `${p}:${kind}`).toBeGreaterThan(0)
        expect(await pointsOf(`#latency path[data-series="baseline:${p}:${kind}"]`), `baseline ${p}:${kind}`).toBeGreaterThan(0)
      }
    }
  })

  it("shades and labels the fault window on the time charts", async () => {
    const kinds = Object.keys(report.series.kinds).length
    expect(await page.locator("#latency rect.band-fault").count()).toBe(kinds)
    expect(await page.locator("#throughput rect.band-fault").count()).toBe(1)
    expect(await page.locator("#queues rect.band-fault").count()).toBe(1)
    expect(await page.locator("#latency .band-label-fault").first().textContent()).toBe("host-down logic-1, logic-2")
  })

  it("draws throughput and outcomes, with sendmsg failing during the fault", async () => {
    const steps = report.series.t.length
    for (const id of ["ok", "rejected", "failed", "retries", "fastRejects"]) {
      expect(await pointsOf(`#throughput path[data-series="${id}"]`), id).toBe(steps)
    }
    expect(await pointsOf('#throughput path[data-series="baseline:ok"]')).toBeGreaterThan(0)
    expect(Math.max(...report.series.kinds.sendmsg.failed)).toBeGreaterThan(0)
  })

  it("draws one queue depth line per service", async () => {
    const services = Object.keys(report.series.services)
    expect(await page.locator("#queues path.line").count()).toBe(services.length)
    for (const name of services) {
      expect(await pointsOf(`#queues path[data-series=${JSON.stringify(`queueDepth:${name}`)}]`), name).toBe(report.series.t.length)
    }
  })

  it("draws a heatmap row per host for CPU, and switches to NIC, ports and disk", async () => {
    const hosts = Object.keys(report.series.hosts)
    expect(await page.locator("#heatmap g.heat-row").count()).toBe(hosts.length)
    expect(await page.locator("#heatmap rect.cell").count()).toBeGreaterThanOrEqual(hosts.length * 10)
    const expected: Record<string, string> = { nic: "nicInMbps", ports: "ports", disk: "diskWriteMBps" }
    for (const [metric, field] of Object.entries(expected)) {
      await page.click(`#heat-metric button[data-metric=${metric}]`)
      const withField = hosts.filter((h) => report.series.hosts[h][field] !== undefined).length
      expect(withField, metric).toBeGreaterThan(0)
      expect(await page.locator("#heatmap g.heat-row").count(), metric).toBe(withField)
      expect(await page.locator("#heatmap rect.cell").count(), metric).toBeGreaterThanOrEqual(withField * 10)
    }
    await page.click("#heat-metric button[data-metric=cpu]")
  })

  it("draws the topology: a column per tier, a box per host, edges sized by traffic", async () => {
    const classes = new Set(Object.values(report.hosts).map((h: any) => h.class))
    expect(await page.locator("#topology g.tier").count()).toBe(classes.size + 1)
    expect(await page.locator("#topology g.host").count()).toBe(Object.keys(report.hosts).length)
    expect(await page.locator("#topology path.edge").count()).toBe(classes.size)
    expect(await page.locator("#topology rect.host-down").count()).toBe(2)
  })

  it("shows the SLO verdict", async () => {
    expect(await page.locator("#slo tbody tr").count()).toBe(1)
    expect(await page.textContent("#slo")).toContain("sendmsg.successRate")
  })

  it("shows the hostile service name as text: no element injected, no dialog", async () => {
    const labels = await page.locator("#queues .legend-label").allTextContents()
    expect(labels).toContain(hostile)
    expect(await page.locator("img").count()).toBe(0)
    expect(await page.evaluate(() => document.body.innerText.includes("<img src=x onerror=alert(1)>"))).toBe(true)
    expect(dialogs).toEqual([])
  })

  it("zooms every time chart to a brushed interval, and resets", async () => {
    const overlay = page.locator("#throughput svg .brush .overlay")
    await overlay.scrollIntoViewIfNeeded()
    const box = (await overlay.boundingBox())!
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 4 })
    await page.mouse.up()
    await page.waitForSelector("#reset-zoom:not([hidden])", { timeout: 5_000 })
    expect(await pointsOf('#throughput path[data-series="ok"]')).toBeLessThan(report.series.t.length / 2)
    expect(await pointsOf('#latency path[data-series="p99:sendmsg"]')).toBeLessThan(report.series.t.length / 2)
    await page.click("#reset-zoom")
    expect(await pointsOf('#throughput path[data-series="ok"]')).toBe(report.series.t.length)
  })

  it("saves a screenshot (results/visualiser.png; the README's is npm run screenshot)", async () => {
    mkdirSync(dirname(screenshot), { recursive: true })
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.screenshot({ path: screenshot, fullPage: true })
    expect(readFileSync(screenshot).subarray(1, 4).toString()).toBe("PNG")
  })
})

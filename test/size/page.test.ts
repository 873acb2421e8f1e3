// The `size --html` page end to end: a small sizing run writes it, headless chromium opens it from
// disk, and it shows one tornado bar per assumption the run lists, a horizon line per tier, and no
// console error.
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { afterAll, expect, test } from "vitest"
import { removeTempDirs, tempDir, wwsim } from "../cli/wwsim.ts"
import { launch, requireChromium } from "../viz/browser.ts"

let close: () => Promise<void> = async () => {}
afterAll(async () => {
  await close()
  removeTempDirs()
})

test("the tornado page opens with no console errors and one bar per assumption", async () => {
  requireChromium()
  const html = join(tempDir(), "size.html")
  const r = await wwsim(["size", "--users", "1000", "--no-n-1", "--warmup", "1s", "--window", "3s", "--json", "--html", html, "--horizon", "12m", "--growth", "3%/m"])
  expect(r.code).toBe(0)
  const out = JSON.parse(r.stdout)
  const assumptions: Array<{ id: string }> = out.sensitivity.assumptions
  expect(assumptions.length).toBeGreaterThan(5)

  const browser = await launch()
  close = browser.close
  const page = await browser.context.newPage()
  const errors: string[] = []
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()) })
  page.on("pageerror", (e) => errors.push(e.message))
  await page.goto(pathToFileURL(html).href)
  await page.waitForSelector("#tornado svg")
  const bars = await page.$$eval("#tornado rect.bar", (els) => els.map((e) => e.getAttribute("data-id")))
  expect(bars.sort()).toEqual(assumptions.map((a) => a.id).sort())
  // each bar's row marks the assumed value
  expect(await page.$$eval("#tornado path.assumed", (els) => els.length)).toBe(assumptions.length)
  const tiers = await page.$$eval("#horizon path.tier", (els) => els.length)
  expect(tiers).toBe(new Set(out.horizon.lines.map((l: { tier: string }) => l.tier)).size)
  expect(errors).toEqual([])
})

/**
 * Headless Debian chromium for the end-to-end test, driven by playwright-core (which never
 * downloads a browser): a fresh profile per launch, removed on close.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { chromium } from "playwright-core"
import type { BrowserContext } from "playwright-core"

export const CHROMIUM = "/usr/bin/chromium"

/** Throws a message saying what is missing and how to get it, when chromium is not installed. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: the visualiser's end-to-end test drives Debian's chromium. ` +
      "Run `npm install` (its postinstall, scripts/ensure-chromium.mjs, installs it as root), " +
      "or install it yourself: apt-get update && apt-get install -y chromium",
    )
  }
}

/** Launches headless chromium with a new user-data-dir; `close` ends it and removes the profile. */
export async function launch(viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  requireChromium()
  const profile = mkdtempSync(join(tmpdir(), "wwsim-chromium-"))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run",
    ],
    viewport,
  })
  return {
    context,
    close: async () => {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

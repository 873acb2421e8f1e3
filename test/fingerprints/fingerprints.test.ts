// Refactors must not change results: each run's report is compared byte for byte with the golden
// file committed before the refactor. A mismatch names the first line that differs.
import { readFileSync } from "node:fs"
import { describe, expect, test } from "vitest"
import { CASES, fingerprint, goldenPath } from "./cases.ts"

/** The first differing line, with its number, or null when the texts are equal. */
function firstDifference(actual: string, expected: string): string | null {
  if (actual === expected) return null
  const a = actual.split("\n"), e = expected.split("\n")
  for (let i = 0; i < Math.max(a.length, e.length); i++) {
    if (a[i] !== e[i]) return `line ${i + 1}: expected ${JSON.stringify(e[i])}, got ${JSON.stringify(a[i])}`
  }
  return "same lines, different bytes"
}

describe("reports match their golden fingerprints byte for byte", () => {
  for (const c of CASES) {
    test(`${c.name} (${[c.file, ...c.sets].join(" ")})`, () => {
      const expected = readFileSync(goldenPath(c), "utf8")
      expect(firstDifference(fingerprint(c), expected)).toBeNull()
    })
  }
})

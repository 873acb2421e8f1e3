// The README's Performance table and `npm run bench` name the same rows, so each figure can be
// traced to the line the bench prints for it (the bench's last block, "README figures").
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { expect, test } from "vitest"

const read = (path: string) => readFileSync(fileURLToPath(new URL(`../../${path}`, import.meta.url)), "utf8")

test("every row of the README's performance table but the hand-timed one is a row the bench prints", () => {
  const readme = read("README.md")
  const table = readme.slice(readme.indexOf("<!-- performance figures"), readme.indexOf("<!-- end of performance figures -->"))
  const rows = [...table.matchAll(/^\| ([^|]+?) \|/gm)].map((m) => m[1]!).filter((r) => r !== "benchmark" && r !== "---")
  const handTimed = rows.filter((r) => r.startsWith("`size"))
  const bench = read("bench/run.ts")
  expect(rows.length).toBeGreaterThanOrEqual(6)
  expect(handTimed).toHaveLength(1)
  expect(rows.filter((r) => !handTimed.includes(r) && !bench.includes(`"${r}"`))).toEqual([])
})

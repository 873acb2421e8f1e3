// Rewrites the golden fingerprints: `npx tsx test/fingerprints/regenerate.ts`.
import { writeFileSync } from "node:fs"
import { CASES, fingerprint, goldenPath } from "./cases.ts"

for (const c of CASES) {
  writeFileSync(goldenPath(c), fingerprint(c))
  console.log(`wrote ${goldenPath(c)}`)
}

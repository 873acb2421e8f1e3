/**
 * What identifies a shard for `wwsim merge`: a hash of the fully resolved scenario (every field
 * after presets, overlays, `--set` and `--seed`), and a digest of the shard's own report. Shards
 * whose scenarios differ in anything (a `duration`, a service's `workers`) have different hashes;
 * a shard edited after it was written no longer matches its digest.
 */
import { createHash } from "node:crypto"
import type { PartialReport } from "../report/Report.ts"
import { stableStringify } from "../report/json.ts"
import type { Scenario } from "../scenario/Scenario.ts"

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex")

/** Object keys sorted, so the hash does not depend on the order fields were written in. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v)

/**
 * The resolved scenario's hash (hex SHA-256 of its canonical JSON).
 *
 * @example
 * scenarioHash(scenario) // "3f2a…"
 */
export const scenarioHash = (scenario: Scenario): string => sha256(canonical(scenario))

/** The report without its digest, as the digest covers it. */
const withoutDigest = (report: PartialReport): PartialReport => {
  const { digest: _, ...replications } = report.replications
  return { ...report, replications }
}

/**
 * The shard's report with `replications.digest` set: a hash of everything else in it.
 *
 * @example
 * sink.write(dir, sealed(partial))
 */
export const sealed = (report: PartialReport): PartialReport => {
  const digest = sha256(stableStringify(withoutDigest(report)))
  return { ...report, replications: { ...report.replications, digest } }
}

/**
 * Whether the shard's report is as it was written (its digest matches).
 *
 * @example
 * if (!intact(shard)) fail("was changed after it was written")
 */
export const intact = (report: PartialReport): boolean =>
  report.replications.digest === sha256(stableStringify(withoutDigest(report)))

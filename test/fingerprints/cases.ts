/**
 * The runs whose reports are fingerprinted: the report of each (everything but `run`, which holds
 * wall-clock figures) is stored under `golden/` and must stay byte for byte the same across
 * refactors. Regenerate after a change that is meant to alter results, and say why in the commit:
 *
 *   npx tsx test/fingerprints/regenerate.ts
 */
import { loadScenarioFile } from "../../sim/scenario/load.ts"
import { simulate } from "../../sim/simulate.ts"

export interface FingerprintCase {
  /** The golden file's name, without `.json`. */
  readonly name: string
  readonly file: string
  readonly sets: ReadonlyArray<string>
}

/**
 * A queueing model (the direct fast path), the WeCom preset shortened (every pipeline stage), and
 * two drills: a host down (timeouts, retries, shields, reconnects, a cold return) and a load spike
 * against fast reject (thinning, server and client-side rejects).
 */
export const CASES: ReadonlyArray<FingerprintCase> = [
  { name: "mm1", file: "scenarios/mm1.yaml", sets: ["duration=2m"] },
  { name: "wecom-20k", file: "scenarios/wecom-20k.yaml", sets: ["warmup=5s", "duration=15s"] },
  { name: "drill-logic-host-down", file: "scenarios/drills/logic-host-down.yaml", sets: [] },
  { name: "drill-overload-fast-reject", file: "scenarios/drills/overload-fast-reject.yaml", sets: [] },
]

/** The report's bytes as `report.json` lays them out, without `run`. */
export function fingerprint(c: FingerprintCase): string {
  return JSON.stringify(simulate(loadScenarioFile(c.file, c.sets)).report, null, 2) + "\n"
}

export const goldenPath = (c: FingerprintCase): string => new URL(`golden/${c.name}.json`, import.meta.url).pathname

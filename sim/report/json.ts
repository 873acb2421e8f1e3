/**
 * The exact bytes of `report.json`.
 *
 * Determinism comes from the engine inserting keys in a fixed order; this only fixes the layout
 * (2-space indent, trailing newline). Numbers are written as they are.
 */
import type { PartialReport, Report } from "./Report.ts"

/**
 * Serialises a report for `report.json`.
 *
 * @example
 * await fs.writeFile("report.json", stableStringify(report))
 */
export const stableStringify = (report: Report | PartialReport): string => JSON.stringify(report, null, 2) + "\n"

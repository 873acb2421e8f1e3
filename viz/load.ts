/**
 * Where the page gets its reports: data embedded by `wwsim report`, a `?report=<url>` (and
 * `?baseline=<url>`), a file picked or dropped. Every source goes through `parseReport`.
 */
import type { Report } from "../sim/report/Report.ts"
import { BASELINE_DATA_ID, REPORT_DATA_ID, reportProblem } from "../sim/report/html.ts"

export type Parsed = { readonly ok: true; readonly report: Report } | { readonly ok: false; readonly error: string }

/**
 * Parses and checks a report's text; `source` names it in the error.
 *
 * @example
 * parseReport("{}", "x.json") // { ok: false, error: "x.json: scenario: expected a string" }
 */
export function parseReport(text: string, source: string): Parsed {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    return { ok: false, error: `${source}: not JSON (${e instanceof Error ? e.message : String(e)})` }
  }
  const problem = reportProblem(value)
  return problem === undefined ? { ok: true, report: value as Report } : { ok: false, error: `${source}: not a wwsim report: ${problem}` }
}

/** The report (or baseline) `wwsim report` embedded in the page, if any. */
export function embedded(doc: Document, which: "report" | "baseline"): Parsed | undefined {
  const el = doc.getElementById(which === "report" ? REPORT_DATA_ID : BASELINE_DATA_ID)
  const text = el?.textContent ?? ""
  return text.trim() === "" ? undefined : parseReport(text, `embedded ${which}`)
}

/** Fetches and parses a report from a URL (`?report=`). */
export async function fromUrl(url: string): Promise<Parsed> {
  try {
    const res = await fetch(url)
    if (!res.ok) return { ok: false, error: `${url}: HTTP ${res.status}` }
    return parseReport(await res.text(), url)
  } catch (e) {
    return { ok: false, error: `${url}: ${e instanceof Error ? e.message : String(e)}` }
  }
}

/** Reads and parses a picked or dropped file. */
export async function fromFile(file: File): Promise<Parsed> {
  try {
    return parseReport(await file.text(), file.name)
  } catch (e) {
    return { ok: false, error: `${file.name}: ${e instanceof Error ? e.message : String(e)}` }
  }
}

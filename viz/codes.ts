/**
 * Return codes as the page names them: the Svrkit codes wwsim's requests end with (the README's
 * "The Svrkit client"; -216, -217, -218 and -300 are wwsim's assignment; the overload codes with
 * the -1233/-1234/-1235 clients see, as the report's `clientCodes`), and the rows of the
 * return-code table, one per request kind.
 */
import type { Report } from "../sim/report/Report.ts"

/** What each code means, in a few words. */
export const CODE_MEANING: Readonly<Record<string, string>> = {
  "0": "ok",
  "-201": "connect failed",
  "-202": "timed out",
  "-203": "write failed (ss5)",
  "-206": "InQueue full (client: -1233)",
  "-216": "client-side reject (client: -1235)",
  "-217": "fast reject (client: -1234)",
  "-218": "worker crash",
  "-300": "quorum lost",
  "-301": "MQ backlog full",
  "-302": "MQ gave up (too old)",
}

export interface CodeTable {
  /** Codes that occur in any kind: 0 first, then failures from -201 downwards. */
  readonly codes: ReadonlyArray<string>
  readonly rows: ReadonlyArray<{ readonly kind: string; readonly counts: ReadonlyArray<number>; readonly issued: number }>
}

/**
 * Each kind's final return codes as a table: a column per code that occurs anywhere.
 *
 * @example
 * codeTable(report).codes // ["0", "-201", "-206"]
 */
export function codeTable(report: Report): CodeTable {
  const seen = new Set<string>()
  for (const k of Object.values(report.requests)) for (const c of Object.keys(k.codes ?? {})) seen.add(c)
  const codes = [...seen].sort((a, b) => (a === "0" ? -1 : b === "0" ? 1 : Number(b) - Number(a)))
  return {
    codes,
    rows: Object.entries(report.requests).map(([kind, k]) => ({
      kind, issued: k.issued, counts: codes.map((c) => k.codes?.[c] ?? 0),
    })),
  }
}

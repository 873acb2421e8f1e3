/**
 * Which files `wwsim check` runs: the files named, and every `*.yaml`, `*.yml` and `*.json` under
 * the folders named (recursively; hidden folders and `node_modules` are skipped).
 */
import { readdirSync, statSync } from "node:fs"
import { join, resolve } from "node:path"

const SCENARIO_FILE = /\.(ya?ml|json)$/i

export interface Discovered {
  /** Scenario files, in the order given (folders sorted by path), each once. */
  readonly files: ReadonlyArray<string>
  /** One `error: …` line per path that is missing or a folder without scenario files. */
  readonly problems: ReadonlyArray<string>
}

function walk(dir: string, out: string[]): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const e of entries) {
    if (e.name.startsWith(".") || e.name === "node_modules") continue
    const p = join(dir, e.name)
    if (e.isDirectory()) walk(p, out)
    else if (SCENARIO_FILE.test(e.name) && (e.isFile() || (e.isSymbolicLink() && statSync(p, { throwIfNoEntry: false })?.isFile()))) out.push(p)
  }
}

const reason = (e: unknown): string => {
  const code = (e as { code?: unknown } | null)?.code
  return code === "ENOENT" ? "no such file or folder" : code === "EACCES" ? "permission denied" : e instanceof Error ? e.message : String(e)
}

/**
 * Expands `paths` (files or folders) into scenario files.
 *
 * @example
 * discoverScenarioFiles(["scenarios/drills", "scenarios/mm1.yaml"])
 * // { files: ["scenarios/drills/access-down.yaml", …, "scenarios/mm1.yaml"], problems: [] }
 */
export function discoverScenarioFiles(paths: ReadonlyArray<string>): Discovered {
  const files: string[] = []
  const problems: string[] = []
  const seen = new Set<string>()
  const add = (f: string) => {
    const key = resolve(f)
    if (!seen.has(key)) {
      seen.add(key)
      files.push(f)
    }
  }
  for (const p of paths) {
    try {
      if (statSync(p).isDirectory()) {
        const found: string[] = []
        walk(p, found)
        if (found.length === 0) problems.push(`error: ${p}: no scenario files (*.yaml, *.yml, *.json) in this folder`)
        found.forEach(add)
      } else {
        add(p)
      }
    } catch (e) {
      problems.push(`error: cannot read ${p}: ${reason(e)}`)
    }
  }
  return { files, problems }
}

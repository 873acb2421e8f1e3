import { readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

/**
 * The package root: the nearest directory above this module (or the CLI bundle, which sits in
 * `dist/`) with wwsim's package.json; undefined when there is none (a copied bundle). Built pages'
 * assets are found from it.
 *
 * @example
 * const root = packageRoot() // "/home/me/wwsim"
 */
export function packageRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    try {
      if (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name === "wwsim") return dir
    } catch {
      // no package.json here, or not ours: keep looking
    }
    const up = dirname(dir)
    if (up === dir) return undefined
    dir = up
  }
}

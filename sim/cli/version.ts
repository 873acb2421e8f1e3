/**
 * wwsim's own version, from package.json so `--version` and `run.version` never drift.
 * Imported (not read at run time) so the bundle in dist/ carries it.
 */
import pkg from "../../package.json" with { type: "json" }

/**
 * The `version` field of wwsim's package.json.
 *
 * @example
 * packageVersion() // "0.1.0"
 */
export const packageVersion = (): string => pkg.version

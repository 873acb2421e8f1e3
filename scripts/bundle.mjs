// Bundles the CLI (sim/ and its dependencies) into dist/wwsim.mjs with esbuild.
// Why: run through tsx's loader, every one of effect's modules passes a loader hook and the CLI
// takes ~3 s to start; the bundle starts in ~0.3 s. `npm install` builds it (the `prepare`
// script) and bin/wwsim.js rebuilds it whenever a source file is newer, so it is never stale.
import { buildSync } from "esbuild"
import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

export const root = join(dirname(fileURLToPath(import.meta.url)), "..")
export const bundlePath = join(root, "dist", "wwsim.mjs")

/** Newest modification time among the sources the bundle is made of. */
export function newestSource(dir = join(root, "sim")) {
  let newest = statSync(join(root, "package.json")).mtimeMs
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    const t = entry.isDirectory() ? newestSource(p) : statSync(p).mtimeMs
    if (t > newest) newest = t
  }
  return newest
}

/** Whether dist/wwsim.mjs is missing or older than a source. */
export function isStale() {
  try {
    return statSync(bundlePath).mtimeMs < newestSource()
  } catch {
    return true
  }
}

/** Builds the bundle; written to a temporary file and renamed, so concurrent runs never see half of it. */
export function bundle() {
  const result = buildSync({
    entryPoints: [join(root, "sim", "cli", "main.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    write: false,
    outfile: bundlePath,
    logLevel: "error",
    // CommonJS dependencies inside an ES module bundle still call require().
    banner: { js: "import { createRequire as __wwsimRequire } from 'node:module'; const require = __wwsimRequire(import.meta.url);" },
  })
  mkdirSync(dirname(bundlePath), { recursive: true })
  const tmp = `${bundlePath}.${process.pid}.tmp`
  writeFileSync(tmp, result.outputFiles[0].contents)
  renameSync(tmp, bundlePath)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) bundle()

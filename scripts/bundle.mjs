// Bundles the CLI (sim/ and its dependencies) into dist/wwsim.mjs with esbuild, and the worker
// thread `wwsim check` runs scenarios on into dist/wwsim-worker.mjs (Node 20 cannot load
// TypeScript in a worker thread, so the worker is always a bundle, even under tsx or vitest).
// Why: run through tsx's loader, every one of effect's modules passes a loader hook and the CLI
// takes ~3 s to start; the bundle starts in ~0.3 s. `npm install` builds it (the `prepare`
// script) and bin/wwsim.js rebuilds it whenever a source file is newer, so it is never stale.
import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

export const root = join(dirname(fileURLToPath(import.meta.url)), "..")
export const bundlePath = join(root, "dist", "wwsim.mjs")
export const workerBundlePath = join(root, "dist", "wwsim-worker.mjs")

const ENTRIES = [
  { entry: join(root, "sim", "cli", "main.ts"), out: bundlePath },
  { entry: join(root, "sim", "check", "worker.ts"), out: workerBundlePath },
]

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

/** Whether dist/wwsim.mjs or dist/wwsim-worker.mjs is missing or older than a source. */
export function isStale() {
  try {
    const newest = newestSource()
    return ENTRIES.some(({ out }) => statSync(out).mtimeMs < newest)
  } catch {
    return true
  }
}

/**
 * Builds the bundles; each is written to a temporary file and renamed, so concurrent runs never
 * see half of one. The worker is written first: a fresh CLI bundle implies a fresh worker.
 */
export async function bundle() {
  // Loaded only when a build is due: importing esbuild costs start-up on every run otherwise.
  const { buildSync } = await import("esbuild")
  for (const { entry, out } of [...ENTRIES].reverse()) {
    const result = buildSync({
      entryPoints: [entry],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      write: false,
      outfile: out,
      logLevel: "error",
      // Start-up is dominated by V8 parsing the bundle: minified, it parses in about half the time.
      minify: true,
      // CommonJS dependencies inside an ES module bundle still call require().
      banner: { js: "import { createRequire as __wwsimRequire } from 'node:module'; const require = __wwsimRequire(import.meta.url);" },
    })
    mkdirSync(dirname(out), { recursive: true })
    const tmp = `${out}.${process.pid}.tmp`
    writeFileSync(tmp, result.outputFiles[0].contents)
    renameSync(tmp, out)
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundle()

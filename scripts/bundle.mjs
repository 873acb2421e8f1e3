// Bundles the CLI (sim/ and its dependencies) into dist/wwsim.cjs with esbuild, and the worker
// thread `wwsim check` runs scenarios on into dist/wwsim-worker.mjs (Node 20 cannot load
// TypeScript in a worker thread, so the worker is always a bundle, even under tsx or vitest).
// Why a bundle: run through tsx's loader, every one of effect's modules passes a loader hook and
// the CLI takes ~3 s to start; the bundle starts in ~0.2 s. Why CommonJS and minified: start-up is
// mostly V8 compiling the bundle; minified it compiles in about half the time, and as CommonJS
// the launcher (bin/wwsim.js) can keep V8's code cache for it between runs, which Node 20 cannot
// do for an ES module. `npm install` builds it (the `prepare` script) and bin/wwsim.js rebuilds it
// whenever a source file is newer, so it is never stale.
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

export const root = join(dirname(fileURLToPath(import.meta.url)), "..")
export const distDir = join(root, "dist")
export const bundlePath = join(distDir, "wwsim.cjs")
export const workerBundlePath = join(distDir, "wwsim-worker.mjs")
/** V8 code caches of the CLI bundle end with this; the name carries the bundle's mtime and size. */
export const CODE_CACHE_SUFFIX = ".v8cache"

const ESM_REQUIRE = "import { createRequire as __wwsimRequire } from 'node:module'; const require = __wwsimRequire(import.meta.url);"
const CJS_IMPORT_META_URL = "const __wwsimImportMetaUrl = require('node:url').pathToFileURL(__filename).href;"

const ENTRIES = [
  {
    entry: join(root, "sim", "cli", "main.ts"),
    out: bundlePath,
    format: "cjs",
    // The sources locate the worker bundle and the visualiser from import.meta.url.
    define: { "import.meta.url": "__wwsimImportMetaUrl" },
    banner: CJS_IMPORT_META_URL,
  },
  // CommonJS dependencies inside an ES module bundle still call require().
  { entry: join(root, "sim", "check", "worker.ts"), out: workerBundlePath, format: "esm", define: {}, banner: ESM_REQUIRE },
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

/** Whether dist/wwsim.cjs or dist/wwsim-worker.mjs is missing or older than a source. */
export function isStale() {
  try {
    const newest = newestSource()
    return ENTRIES.some(({ out }) => statSync(out).mtimeMs < newest)
  } catch {
    return true
  }
}

/** Removes every code cache of the CLI bundle but `keep`. */
export function removeCodeCaches(keep = "") {
  let names = []
  try {
    names = readdirSync(distDir)
  } catch {
    return
  }
  for (const name of names) if (name.endsWith(CODE_CACHE_SUFFIX) && name !== keep) rmSync(join(distDir, name), { force: true })
}

/**
 * Builds the bundles; each is written to a temporary file and renamed, so concurrent runs never
 * see half of one. The worker is written first: a fresh CLI bundle implies a fresh worker.
 */
export async function bundle() {
  // Loaded only when a build is due: importing esbuild costs start-up on every run otherwise.
  const { buildSync } = await import("esbuild")
  for (const { entry, out, format, define, banner } of [...ENTRIES].reverse()) {
    const result = buildSync({
      entryPoints: [entry],
      bundle: true,
      platform: "node",
      format,
      target: "node20",
      write: false,
      outfile: out,
      logLevel: "error",
      minify: true,
      define,
      banner: { js: banner },
    })
    mkdirSync(dirname(out), { recursive: true })
    const tmp = `${out}.${process.pid}.tmp`
    writeFileSync(tmp, result.outputFiles[0].contents)
    renameSync(tmp, out)
  }
  removeCodeCaches()
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundle()

/**
 * The `size --html FILE` page: built from viz/size/ with Vite (into dist/viz-size/, rebuilt when a
 * source is newer), then written as one self-contained file with the data inlined, so it opens from
 * disk with no server. Written to a temporary file and renamed.
 */
import { makeDirectories } from "../report/directories.ts"
import { readdirSync, statSync } from "node:fs"
import { readFile, rename, rm, stat, writeFile } from "node:fs/promises"
import { dirname, join, resolve } from "node:path"
import { runtimeImport } from "../runtimeImport.ts"
import { jsonForScript } from "../report/html.ts"
import { SIZE_DATA_ID, type SizePageData } from "./pageData.ts"
import { packageRoot } from "../packageRoot.ts"

const ASSETS = ["size.js", "size.css", "index.html"] as const

/** The package root, or the error that says it was not found. */
function packageRootOrFail(): string {
  const root = packageRoot()
  if (root === undefined) throw new Error("cannot find wwsim's package root")
  return root
}

const mtime = (f: string): number => {
  try {
    return statSync(f).mtimeMs
  } catch {
    return 0
  }
}

function newest(dir: string): number {
  let t = 0
  try {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name)
      t = Math.max(t, e.isDirectory() ? newest(p) : mtime(p))
    }
  } catch {
    // absent
  }
  return t
}

/** Builds viz/size/ into dist/viz-size/ when missing or older than its sources. */
async function ensureBuilt(root: string): Promise<string> {
  const out = join(root, "dist", "viz-size")
  const built = Math.min(...ASSETS.map((a) => mtime(join(out, a))))
  const sources = Math.max(newest(join(root, "viz", "size")), mtime(join(root, "sim", "size", "pageData.ts")))
  if (built > 0 && built >= sources) return out
  if (newest(join(root, "viz", "size")) === 0) throw new Error(`no built page in ${out} and no viz/size/ sources to build it from`)
  // a computed specifier: the CLI bundle loads Vite from node_modules at run time
  const vite = (await runtimeImport(["vi", "te"].join(""))) as typeof import("vite")
  const tmp = join(root, "dist", `.viz-size-build-${process.pid}`)
  try {
    await vite.build({
      configFile: false,
      root: join(root, "viz", "size"),
      base: "./",
      logLevel: "error",
      build: {
        outDir: tmp, emptyOutDir: true, modulePreload: false, cssCodeSplit: false, assetsInlineLimit: Number.MAX_SAFE_INTEGER,
        rolldownOptions: { output: { entryFileNames: "size.js", assetFileNames: "size[extname]", codeSplitting: false } },
      },
    })
    await makeDirectories(out)
    for (const a of ASSETS) await rename(join(tmp, a), join(out, a))
  } finally {
    await rm(tmp, { recursive: true, force: true })
  }
  return out
}

/**
 * Writes the page for `data` to `file`.
 *
 * @example
 * await writeSizePage("size.html", sizePageData(result, sensitivity, plan, text))
 */
/**
 * Fails as writing the page would — an unmakeable directory, no write permission, a directory in
 * the way — by writing and removing an empty temporary file beside it: `size` checks `--html`
 * before a search of minutes, not after.
 */
export async function probeSizePage(file: string): Promise<void> {
  const target = resolve(file)
  await makeDirectories(dirname(target))
  const info = await stat(target).catch(() => undefined)
  if (info?.isDirectory()) throw new Error("is a directory")
  const tmp = `${target}.tmp-${process.pid}`
  await writeFile(tmp, "")
  await rm(tmp, { force: true })
}

export async function writeSizePage(file: string, data: SizePageData): Promise<void> {
  const dir = await ensureBuilt(packageRootOrFail())
  const [js, css, html] = await Promise.all(ASSETS.map((a) => readFile(join(dir, a), "utf8")))
  const page = html
    .replace(/<script\b[^>]*\bsrc="[^"]*"[^>]*>\s*<\/script>\s*/gi, "")
    .replace(/<link\b[^>]*\brel="(stylesheet|modulepreload)"[^>]*>\s*/gi, "")
    .replace(/<\/head>/i, () => `<style>${css.replace(/<\/(style)/gi, "<\\/$1")}</style>\n</head>`)
    .replace(/<\/body>/i, () =>
      `<script type="application/json" id="${SIZE_DATA_ID}">${jsonForScript(data)}</script>\n` +
      `<script type="module">${js.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--")}</script>\n</body>`)
  const target = resolve(file)
  await makeDirectories(dirname(target))
  const tmp = `${target}.tmp-${process.pid}`
  try {
    await writeFile(tmp, page)
    await rename(tmp, target)
  } catch (e) {
    await rm(tmp, { force: true })
    throw e
  }
}

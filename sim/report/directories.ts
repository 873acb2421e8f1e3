/**
 * `mkdir -p` that cannot hang. Node's own recursive `mkdir` retries forever when a parent refuses
 * new entries with ENOENT, as /proc does (`--out /proc/x` hung); here each missing level is made
 * once, and any failure is an error (ENOENT, EACCES, …) for the caller to word.
 */
import { mkdirSync, promises as fsp, statSync, type Stats } from "node:fs"
import { dirname, resolve } from "node:path"

/** The missing directories from `path` up to the first that exists, outermost first. */
function missingLevels(path: string, stat: (dir: string) => Stats | undefined): string[] {
  const missing: string[] = []
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    const s = stat(dir)
    if (s !== undefined) {
      if (!s.isDirectory()) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}'`), { code: "ENOTDIR", syscall: "mkdir", path: dir })
      break
    }
    missing.push(dir)
    if (dirname(dir) === dir) break
  }
  return missing.reverse()
}

const statOrNone = (dir: string): Stats | undefined => {
  try {
    return statSync(dir)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined
    throw e
  }
}

/**
 * Synchronous `mkdir -p path`.
 *
 * @example
 * makeDirectoriesSync("results/x") // then write results/x/report.json
 */
export function makeDirectoriesSync(path: string, mode?: number): void {
  for (const dir of missingLevels(path, statOrNone)) {
    try {
      mkdirSync(dir, { mode })
    } catch (e) {
      // made meanwhile by another process: fine
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e
    }
  }
}

/**
 * Asynchronous `mkdir -p path` (the stat walk is synchronous: a few calls).
 *
 * @example
 * await makeDirectories("results/x")
 */
export async function makeDirectories(path: string, mode?: number): Promise<void> {
  for (const dir of missingLevels(path, statOrNone)) {
    await fsp.mkdir(dir, { mode }).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== "EEXIST") throw e
    })
  }
}

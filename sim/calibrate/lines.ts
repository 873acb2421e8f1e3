/**
 * Streams a text file line by line — gzip'd or not, detected by its magic bytes — so a log of any
 * size is read in bounded memory. Reports the raw bytes read, for a progress bar.
 */
import { createReadStream, openSync, readSync, closeSync, statSync } from "node:fs"
import { createInterface } from "node:readline"
import { createGunzip } from "node:zlib"
import type { Readable } from "node:stream"
import { ScenarioUnreadable } from "../scenario/errors.ts"

/** True when the file starts with gzip's magic bytes 1f 8b. */
export function isGzip(file: string): boolean {
  const fd = openSync(file, "r")
  try {
    const head = Buffer.alloc(2)
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b
  } finally {
    closeSync(fd)
  }
}

const reason = (e: unknown): string => {
  const code = (e as { code?: unknown } | null)?.code
  if (code === "ENOENT") return "no such file"
  if (code === "EACCES" || code === "EPERM") return "permission denied"
  if (code === "EISDIR") return "it is a directory"
  return e instanceof Error ? e.message : String(e)
}

/** The file's size in bytes; throws `ScenarioUnreadable` when it cannot be read. */
export function fileSize(file: string): number {
  try {
    const s = statSync(file)
    if (s.isDirectory()) throw Object.assign(new Error("directory"), { code: "EISDIR" })
    return s.size
  } catch (e) {
    throw new ScenarioUnreadable({ file, reason: reason(e) })
  }
}

/**
 * Calls `onLine(text, lineNumber)` for every line of `file` (1-based numbers), decompressing gzip
 * on the fly; `onBytes(n)` gets each chunk's raw (compressed) size. Resolves when the file ends.
 *
 * @example
 * await forEachLine("access.log.gz", (line, n) => { … })
 */
export async function forEachLine(
  file: string,
  onLine: (line: string, lineNumber: number) => void,
  onBytes: (n: number) => void = () => {},
): Promise<number> {
  fileSize(file)
  const raw = createReadStream(file, { highWaterMark: 1 << 20 })
  raw.on("data", (chunk) => onBytes(chunk.length))
  let input: Readable = raw
  if (isGzip(file)) {
    const gunzip = createGunzip()
    raw.on("error", (e) => gunzip.destroy(e))
    input = raw.pipe(gunzip)
  }
  const lines = createInterface({ input, crlfDelay: Infinity })
  let n = 0
  try {
    for await (const line of lines) onLine(line, ++n)
  } catch (e) {
    throw new ScenarioUnreadable({ file, reason: reason(e) })
  } finally {
    raw.destroy()
  }
  return n
}

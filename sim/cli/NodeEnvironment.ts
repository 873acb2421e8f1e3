/**
 * The services `effect/cli` needs (`Command.Environment`), built on Node 20 built-ins.
 *
 * `@effect/platform-node` 4.x requires Node ≥ 22.19, so wwsim provides its own small layer.
 * It implements what wwsim uses: argv and stdio, a terminal that can print but not prompt,
 * `node:path`, and the file-system calls below. Anything else (child processes, prompts, file
 * watching, …) dies with a message naming the missing capability, so a future caller learns it
 * here rather than from a silent no-op.
 */
import * as nodeFs from "node:fs"
import * as nodePath from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { Effect, FileSystem, Layer, Option, Path, Sink, Stdio, Stream, Terminal, ByteSize } from "effect"
import * as PlatformError from "effect/PlatformError"
import { ChildProcessSpawner } from "effect/process"
import { makeDirectories } from "../report/directories.ts"

const unsupported = (what: string) =>
  new Error(`${what} is not available in wwsim's Node environment (sim/cli/NodeEnvironment.ts)`)

const errnoTag = (code: string | undefined): PlatformError.SystemErrorTag => {
  switch (code) {
    case "ENOENT": return "NotFound"
    case "EACCES": case "EPERM": case "EROFS": return "PermissionDenied"
    case "EEXIST": case "ENOTEMPTY": return "AlreadyExists"
    case "EBUSY": return "Busy"
    case "ETIMEDOUT": return "TimedOut"
    case "EISDIR": case "ENOTDIR": case "EBADF": return "BadResource"
    default: return "Unknown"
  }
}

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory", EACCES: "permission denied", EPERM: "operation not permitted",
  EROFS: "read-only file system", ENOSPC: "no space left on the device", EISDIR: "it is a directory",
  ENOTDIR: "a part of the path is not a directory", EEXIST: "it already exists", EDQUOT: "disk quota exceeded",
  ENAMETOOLONG: "the name is too long", EBUSY: "busy", EMFILE: "too many open files",
}

/** Our wording of a Node file-system error: "mkdir /proc/x: no such file or directory". */
const describeErrno = (err: NodeJS.ErrnoException): string => {
  const text = err.code === undefined ? undefined : ERRNO_TEXT[err.code]
  if (text === undefined) return err.message
  return err.path === undefined ? text : `${err.syscall ?? "access"} ${err.path}: ${text}`
}

/** Runs one `node:fs/promises` call, turning its rejection into a `PlatformError`. */
const fsCall = <A>(method: string, path: string, run: () => Promise<A>) =>
  Effect.tryPromise({
    try: run,
    catch: (cause) => {
      const err = cause as NodeJS.ErrnoException
      return PlatformError.systemError({
        _tag: errnoTag(err.code),
        module: "FileSystem",
        method,
        pathOrDescriptor: path,
        syscall: err.syscall,
        description: describeErrno(err),
        cause,
      })
    },
  })

const fileType = (s: nodeFs.Stats): FileSystem.File.Type =>
  s.isFile() ? "File"
  : s.isDirectory() ? "Directory"
  : s.isSymbolicLink() ? "SymbolicLink"
  : s.isBlockDevice() ? "BlockDevice"
  : s.isCharacterDevice() ? "CharacterDevice"
  : s.isFIFO() ? "FIFO"
  : s.isSocket() ? "Socket"
  : "Unknown"

const fileInfo = (s: nodeFs.Stats): FileSystem.File.Info => ({
  type: fileType(s),
  mtime: Option.some(s.mtime),
  atime: Option.some(s.atime),
  birthtime: Option.some(s.birthtime),
  dev: BigInt(s.dev),
  ino: Option.some(BigInt(s.ino)),
  mode: s.mode,
  nlink: Option.some(BigInt(s.nlink)),
  uid: Option.some(s.uid),
  gid: Option.some(s.gid),
  rdev: Option.some(BigInt(s.rdev)),
  size: ByteSize.bytes(s.size),
  blksize: Option.some(ByteSize.bytes(s.blksize)),
  blocks: Option.some(BigInt(s.blocks)),
})

const fsp = nodeFs.promises

// Effect-returning methods wwsim does not implement: each dies with a clear message.
const missingFsMethods = [
  "chmod", "chown", "copy", "copyFile", "glob", "link", "makeTempDirectory", "makeTempDirectoryScoped",
  "makeTempFile", "makeTempFileScoped", "open", "readDirectoryEntries", "readLink", "symlink",
  "truncate", "utimes",
] as const

/**
 * A `FileSystem` on `node:fs/promises` covering what the CLI and `ReportSink` use.
 *
 * @example
 * Effect.gen(function* () { const fs = yield* FileSystem.FileSystem; yield* fs.makeDirectory("out", { recursive: true }) })
 *   .pipe(Effect.provideService(FileSystem.FileSystem, nodeFileSystem))
 */
export const nodeFileSystem: FileSystem.FileSystem = FileSystem.makeNoop({
  ...Object.fromEntries(missingFsMethods.map((m) => [m, () => Effect.die(unsupported(`FileSystem.${m}`))])),
  stream: () => Stream.die(unsupported("FileSystem.stream")),
  sink: () => Sink.die(unsupported("FileSystem.sink")),
  watch: () => Stream.die(unsupported("FileSystem.watch")),
  access: (path, options) => {
    const mode = (options?.readable ? nodeFs.constants.R_OK : 0) | (options?.writable ? nodeFs.constants.W_OK : 0)
    return fsCall("access", path, () => fsp.access(path, mode || nodeFs.constants.F_OK))
  },
  exists: (path) => Effect.sync(() => nodeFs.existsSync(path)),
  stat: (path) => Effect.map(fsCall("stat", path, () => fsp.stat(path)), fileInfo),
  lstat: (path) => Effect.map(fsCall("lstat", path, () => fsp.lstat(path)), fileInfo),
  realPath: (path) => fsCall("realPath", path, () => fsp.realpath(path)),
  readDirectory: (path, options) =>
    fsCall("readDirectory", path, () => fsp.readdir(path, { recursive: options?.recursive ?? false })),
  readFile: (path) => fsCall("readFile", path, () => fsp.readFile(path)),
  readFileString: (path, encoding) =>
    fsCall("readFileString", path, () => fsp.readFile(path, { encoding: (encoding ?? "utf8") as BufferEncoding })),
  writeFile: (path, data, options) =>
    fsCall("writeFile", path, () => fsp.writeFile(path, data, { flag: options?.flag, mode: options?.mode })),
  writeFileString: (path, data, options) =>
    fsCall("writeFileString", path, () => fsp.writeFile(path, data, { flag: options?.flag, mode: options?.mode })),
  makeDirectory: (path, options) =>
    fsCall("makeDirectory", path, () =>
      options?.recursive === true ? makeDirectories(path, options.mode) : fsp.mkdir(path, { mode: options?.mode })),
  rename: (from, to) => fsCall("rename", from, () => fsp.rename(from, to)),
  remove: (path, options) =>
    fsCall("remove", path, () => fsp.rm(path, { recursive: options?.recursive ?? false, force: options?.force ?? false })),
})

/** `Path` backed by `node:path` (platform separators, unlike effect's portable `Path.layer`). */
export const nodePathService: Path.Path = Path.make({
  sep: nodePath.sep,
  basename: nodePath.basename,
  dirname: nodePath.dirname,
  extname: nodePath.extname,
  format: nodePath.format,
  isAbsolute: nodePath.isAbsolute,
  join: nodePath.join,
  normalize: nodePath.normalize,
  parse: nodePath.parse,
  relative: nodePath.relative,
  resolve: nodePath.resolve,
  toNamespacedPath: nodePath.toNamespacedPath,
  fromFileUrl: (url) => Effect.sync(() => fileURLToPath(url)),
  toFileUrl: (path) => Effect.sync(() => pathToFileURL(path)),
})

const writeTo = (stream: NodeJS.WriteStream) => () =>
  Sink.forEach((chunk: string | Uint8Array) => Effect.sync(() => void stream.write(chunk)))

/** `Stdio` for this process: arguments after the script, and the real stdout/stderr/stdin. */
export const nodeStdio: Stdio.Stdio = Stdio.make({
  args: Effect.sync(() => process.argv.slice(2)),
  stdinIsTerminal: Effect.sync(() => process.stdin.isTTY === true),
  stdoutIsTerminal: Effect.sync(() => process.stdout.isTTY === true),
  stderrIsTerminal: Effect.sync(() => process.stderr.isTTY === true),
  stdout: writeTo(process.stdout),
  stderr: writeTo(process.stderr),
  // lazy: touching process.stdin opens it
  stdin: Stream.suspend(() =>
    Stream.fromAsyncIterable(process.stdin as AsyncIterable<Uint8Array>, (cause) =>
      PlatformError.systemError({ _tag: "Unknown", module: "Stdio", method: "stdin", cause }))),
})

/** A terminal that can print but not read keys: wwsim has no interactive prompts. */
export const nodeTerminal: Terminal.Terminal = Terminal.make({
  columns: Effect.sync(() => process.stdout.columns ?? 80),
  rows: Effect.sync(() => process.stdout.rows ?? 24),
  size: Effect.die(unsupported("Terminal.size")),
  readInput: Effect.die(unsupported("Terminal.readInput")),
  readLine: Effect.die(unsupported("Terminal.readLine")),
  display: (text) => Effect.sync(() => void process.stdout.write(text)),
})

/**
 * Everything `Command.run` requires, for a Node 20 process.
 *
 * @example
 * Command.run(wwsim, { version }).pipe(Effect.provide(NodeEnvironment))
 */
export const NodeEnvironment = Layer.mergeAll(
  Layer.succeed(FileSystem.FileSystem, nodeFileSystem),
  Layer.succeed(Path.Path, nodePathService),
  Layer.succeed(Stdio.Stdio, nodeStdio),
  Layer.succeed(Terminal.Terminal, nodeTerminal),
  Layer.succeed(
    ChildProcessSpawner.ChildProcessSpawner,
    ChildProcessSpawner.make(() => Effect.die(unsupported("spawning child processes"))),
  ),
)

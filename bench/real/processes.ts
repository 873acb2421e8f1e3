/**
 * Every process the experiment starts, pinned with taskset where it exists, and ended by its pid:
 * at exit, on failure and on SIGINT/SIGTERM. Children get a stdin pipe they watch, so the Node
 * ones also leave if this process dies without cleaning up.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"

export const TASKSET = "/usr/bin/taskset"

const live = new Map<number, { name: string; child: ChildProcess | undefined }>()
let hooked = false

export const hasTaskset = (): boolean => existsSync(TASKSET) && spawnSync(TASKSET, ["-p", String(process.pid)]).status === 0

let niceness: number | undefined

/**
 * Niceness for the processes started from now on (inherited by their threads and forks). On a
 * machine others use too, a negative one (root only) keeps the pinned cores nearly to ourselves:
 * CFS gives nice −19 about 70× the weight of nice 0. With autogroup scheduling (Linux's default)
 * niceness only counts inside a session's group, so each process then gets a session of its own
 * (setsid) whose group gets the same niceness (/proc/<pid>/autogroup): measured on a loaded
 * 2-core VM, a pinned spinner went from 22% of its core to 98%.
 */
export function setNiceness(n: number | undefined): void {
  niceness = n !== undefined && process.getuid?.() === 0 ? n : n !== undefined && n >= 0 ? n : undefined
}

/** Starts `cmd args` on the given core (when taskset exists), recorded for `stopAll`. */
export function start(name: string, core: number | undefined, cmd: string, args: ReadonlyArray<string>, cwd?: string): ChildProcess {
  hookExit()
  const pinned = core !== undefined && hasTasksetCached()
  // taskset and nice exec the command, so the child's pid is the command's own.
  let argv = [cmd, ...args]
  if (niceness !== undefined) argv = ["/usr/bin/nice", "-n", String(niceness), ...argv]
  if (pinned) argv = [TASKSET, "-c", String(core), ...argv]
  const child = spawn(argv[0], argv.slice(1), { cwd, stdio: ["pipe", "pipe", "pipe"], detached: niceness !== undefined })
  if (child.pid === undefined) throw new Error(`could not start ${name} (${cmd})`)
  if (niceness !== undefined) {
    try {
      writeFileSync(`/proc/${child.pid}/autogroup`, String(niceness))
    } catch { /* no autogroup: plain niceness is all there is */ }
  }
  live.set(child.pid, { name, child })
  child.on("exit", () => live.delete(child.pid!))
  child.stdin?.on("error", () => {})
  // Drain output so a chatty child never blocks on a full pipe.
  child.stdout?.resume()
  child.stderr?.resume()
  return child
}

/** Records a process started by another (nginx's workers), so it is ended too. */
export function adopt(name: string, pid: number): void {
  hookExit()
  if (!live.has(pid)) live.set(pid, { name, child: undefined })
}

let tasksetKnown: boolean | undefined
function hasTasksetCached(): boolean {
  if (tasksetKnown === undefined) tasksetKnown = process.platform === "linux" && hasTaskset()
  return tasksetKnown
}

export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Sends `signal` to one process by pid; waits up to `graceMs` for it to go, then SIGKILL. */
export async function stop(pid: number, signal: NodeJS.Signals = "SIGTERM", graceMs = 2000): Promise<void> {
  try {
    process.kill(pid, signal)
  } catch {
    live.delete(pid)
    return
  }
  const until = Date.now() + graceMs
  while (isAlive(pid) && !isZombie(pid) && Date.now() < until) await sleep(20)
  if (isAlive(pid) && !isZombie(pid)) {
    try {
      process.kill(pid, "SIGKILL")
    } catch { /* already gone */ }
  }
  live.delete(pid)
}

/** Ends every recorded process by its pid, children of ours last (nginx's master ends its workers). */
export async function stopAll(): Promise<void> {
  const entries = [...live.entries()]
  await Promise.all(entries.filter(([, e]) => e.child !== undefined).map(([pid]) => stop(pid)))
  await Promise.all([...live.keys()].map((pid) => stop(pid, "SIGKILL", 500)))
}

/** The same, synchronously, for `process.on("exit")`: SIGKILL by pid, nothing to wait for. */
function killAllNow(): void {
  for (const pid of live.keys()) {
    try {
      process.kill(pid, "SIGKILL")
    } catch { /* gone */ }
  }
  live.clear()
}

function hookExit(): void {
  if (hooked) return
  hooked = true
  process.on("exit", killAllNow)
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.once(sig, () => {
      console.error(`\n${sig}: stopping ${live.size} process(es) by pid`)
      void stopAll().finally(() => process.exit(130))
    })
  }
}

/** Pids whose parent is `ppid` (from /proc), e.g. nginx's workers. */
export function childrenOf(ppid: number): number[] {
  const out: number[] = []
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8")
      // The command may hold spaces and parentheses: fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
      if (Number(fields[1]) === ppid) out.push(Number(name))
    } catch { /* gone meanwhile */ }
  }
  return out
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")
  } catch {
    return false
  }
}

/** CPU time a process has used, in seconds, over all its threads (/proc/<pid>/task/<tid>/schedstat, ns). */
export function cpuSeconds(pid: number): number {
  let ns = 0
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0])
      } catch { /* thread gone */ }
    }
  } catch {
    return 0
  }
  return ns / 1e9
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

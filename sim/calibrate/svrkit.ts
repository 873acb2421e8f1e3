/**
 * Svrkit queue-log lines (seed 000, 队列日志): `RUN <queue ms> <worker ms> <uin> CMD <cmd> ip <caller ip>
 * io <request bytes> <reply bytes>`, anywhere in a line of a module's error log.
 */
export interface RunRecord {
  readonly queueMs: number
  readonly workerMs: number
  readonly uin: string
  readonly cmd: number
  /** The caller's address: the tier one level up. */
  readonly ip: string
  readonly requestBytes: number
  readonly replyBytes: number
}

const RUN = /\bRUN (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\S+) CMD (-?\d+) ip (\S+) io (\d+) (\d+)/

/**
 * The RUN record in `line`, or undefined when the line has none.
 *
 * @example
 * parseRunLine("RUN 0 34 1234567 CMD 41 ip 10.0.0.1 io 18 67999")?.workerMs // 34
 */
export function parseRunLine(line: string): RunRecord | undefined {
  const m = RUN.exec(line)
  if (m === null) return undefined
  return {
    queueMs: Number(m[1]), workerMs: Number(m[2]), uin: m[3], cmd: Number(m[4]), ip: m[5],
    requestBytes: Number(m[6]), replyBytes: Number(m[7]),
  }
}

/** True when the line is meant to be a RUN line (so a malformed one counts as garbage). */
export const looksLikeRun = (line: string): boolean => /\bRUN \S/.test(line)

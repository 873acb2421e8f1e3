/**
 * Svrkit return codes the model produces (seed 004 "返回码", seed 000 "常见错误码"; docs/model.md).
 *
 * - `timeout` −202: read failure or client read/write timeout.
 * - `write` −203: write-socket failure; operators also see it as the ss5 proxy timeout on vendor push.
 * - `overload` −206 (InQueue full), `clientReject` −216 (a caller's cached reject reply: rejected
 *   locally, client-side fast reject), `overloadReject` −217 (server fast reject): overload. The seeds
 *   do not say which of the three is which; this is our assignment.
 * - `workerCrash` −218: the seeds say a worker core dump "also answers with a fast reject" but
 *   give no code. −218 is ours, next to the framework's overload codes and distinct from −217 so
 *   reports can tell crashes from overload; it is a system failure like them.
 * - `quorumLost` −300: a storage group with two of its three machines down. Ours too; a logic
 *   failure, because another machine of the caller's choosing cannot hold that uin's data.
 *
 * - `backlogFull` −301 and `expired` −302: a message the MQ drops, because the instance that holds
 *   it has `redeliver.backlog` messages waiting already, or because it is older than
 *   `redeliver.maxAge` (`sim/request/redeliver.ts`). Ours; logic failures, never retried.
 *
 * The retry rule that reads these is `sim/request/retry.ts`.
 *
 * @example
 * if (code === Code.ok) …; else if (isSystemFailure(code)) … // may be retried elsewhere
 */
export const Code = {
  ok: 0,
  connect: -201,
  timeout: -202,
  write: -203,
  overload: -206,
  clientReject: -216,
  overloadReject: -217,
  workerCrash: -218,
  quorumLost: -300,
  backlogFull: -301,
  expired: -302,
} as const

export type Code = (typeof Code)[keyof typeof Code]

/** A framework failure (network, overload, crash): a caller may retry it on another machine. */
export function isSystemFailure(code: number): boolean {
  switch (code) {
    case Code.connect:
    case Code.timeout:
    case Code.write:
    case Code.overload:
    case Code.clientReject:
    case Code.overloadReject:
    case Code.workerCrash:
      return true
    default:
      return false
  }
}

/** Overload: the request was refused, not failed (the report's `rejected`). */
export function isOverload(code: number): boolean {
  return code === Code.overload || code === Code.clientReject || code === Code.overloadReject
}

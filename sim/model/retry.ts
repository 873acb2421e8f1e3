/**
 * Svrkit return codes the model produces (seed 004 "返回码", seed 000 "常见错误码").
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
 * @example
 * if (isSystemFailure(code) && nextTry(tries, MAX_TRIES) > 0) retryOnAnotherMachine()
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
} as const

export type Code = (typeof Code)[keyof typeof Code]

/** Svrkit's default: a call is tried at most three times (失败默认三次重试). */
export const MAX_TRIES = 3

/** A framework failure (network, overload, crash): retried on another machine. */
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

/** A business error returned by the service: never retried. */
export function isLogicFailure(code: number): boolean {
  return code !== Code.ok && !isSystemFailure(code)
}

/**
 * The number (1-based) of the next try after `triesSoFar` tries, or 0 when the budget is spent.
 *
 * @example
 * nextTry(1, 3) // 2
 * nextTry(3, 3) // 0: give up and return the last code
 */
export function nextTry(triesSoFar: number, maxTries = MAX_TRIES): number {
  return triesSoFar < maxTries ? triesSoFar + 1 : 0
}

/** Whether a call that returned `code` after `triesSoFar` tries is tried again (elsewhere). */
export function shouldRetry(code: number, triesSoFar: number, maxTries = MAX_TRIES): boolean {
  return isSystemFailure(code) && triesSoFar < maxTries
}

import type { Call } from "../model/Call.ts"
import type { CallNode } from "../model/CallNode.ts"
import { isSystemFailure } from "../model/Code.ts"
import { endRequest } from "./arrive.ts"
import { complete } from "./reply.ts"
import { tryCall } from "./send.ts"
import type { Sim } from "./Sim.ts"

/**
 * The Svrkit client's retry rule, in one place: a try that failed with a system failure (network,
 * overload, crash: `isSystemFailure`) that it met itself, not one propagated from further down, is
 * retried on another machine while the call site has tries left (`tries`, 1 by default; the WeCom
 * preset's Svrkit calls 3). Logic failures (quorum lost) and propagated failures end the call.
 * The route never picks a machine this call already tried (`route.ts`); a retry budget may refuse
 * the retry (`mayRetry`).
 */
export function childFailed(sim: Sim, parent: Call, node: CallNode, code: number, propagated: boolean, now: number): void {
  parent.waiting = null
  if (!propagated && isSystemFailure(code) && parent.tries < node.tries) {
    tryCall(sim, parent, node, now, code)
    return
  }
  giveUp(sim, parent, code, true, now)
}

/**
 * Whether this try may go ahead under the call site's retry budget (a token bucket: retries as a
 * share of first tries). A first try always may, and earns the budget its share.
 */
export function mayRetry(parent: Call, node: CallNode): boolean {
  const budget = node.retryBudget
  if (budget === null) return true
  if (parent.tries === 0) {
    budget.onFirstTry()
    return true
  }
  return budget.tryRetry()
}

/** The caller's current child failed for good: the caller fails with its code. */
export function giveUp(sim: Sim, parent: Call, code: number, propagated: boolean, now: number): void {
  parent.waiting = null
  if (parent.instance === null) endRequest(sim, parent, code)
  else complete(sim, parent, code, propagated)
}

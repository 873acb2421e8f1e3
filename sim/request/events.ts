/**
 * The event types of a request's life, as the engine's dispatch switch reads them (the queue packs
 * a type into 6 bits beside the id it names). Each names what happens, once: a new request from a
 * user is not a call coming in at a server.
 */

/** A workload's next arrival is due: a new request from a user. The id is the kind's index. */
export const NEW_REQUEST = 0
/** A call's request reaches its callee over the network. The id is the call's. */
export const CALL_IN = 1
/** A call's CPU time is over. */
export const CPU_DONE = 2
/** A call's disk, external or push-to-user wait is over. */
export const IO_DONE = 3
/** A call's reply reaches its caller. */
export const REPLY_IN = 4
/** The 1 ms timer tick of a call site with a deadline due. The id is its timer list's. */
export const TIMER_TICK = 5
/** A request's result reaches a user at the user's next poll (long connection blocked). The id is the origin's. */
export const POLL_DELIVERY = 6
/** The next call on a `scheduling: ps` host finishes its CPU. The id is the host's. */
export const CPU_SHARED_DONE = 7
/** A request waiting in its MQ's backlog is sent again (`redeliver.ts`). The id is the origin's. */
export const REDELIVER = 8
/** A client's long connection reconnects (after a drop, churn or a failed connect). The id is its slot. */
export const RECONNECT = 9
/** The next long connection may reach the end of its life (churn). */
export const CHURN = 10
/** The first type the engine may use for its own events. */
export const FIRST_ENGINE_EVENT = 11

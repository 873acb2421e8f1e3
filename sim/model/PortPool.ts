import { TimeWeighted } from "../stats/TimeWeighted.ts"

/** Ephemeral ports of `ip_local_port_range = 32768 61000`, as the seed counts them (61000 − 32768). */
export const EPHEMERAL_PORTS = 28_232
/** Linux TIME_WAIT length (fixed in the kernel); with tcp_tw_recycle=0 a port waits it out. */
export const TIME_WAIT_S = 60

/**
 * The ephemeral ports of an access host. A connection holds a port while open; the side that
 * closes first keeps it in TIME_WAIT for `timeWaitS` more. When every port is open or in
 * TIME_WAIT, a connect fails (the caller answers −201).
 *
 * TIME_WAIT is lazy: released ports go into a FIFO of expiry times (in order, since the wait is
 * constant) and are reclaimed at the next reading, with the in-use statistic integrated at each
 * port's true expiry time, so there are no events and the time average is exact.
 *
 * Every method takes `now`, which must not decrease between calls.
 *
 * @example
 * const ports = new PortPool()
 * if (!ports.tryAcquire(now)) return fail(-201)
 * …
 * ports.release(later)           // we closed first: TIME_WAIT until later + 60
 */
export class PortPool {
  /** Connect attempts refused for lack of a port since the window started. */
  failures = 0
  /** Connections currently open (holding a port, not in TIME_WAIT). */
  private open = 0
  private readonly inUseTw = new TimeWeighted()
  private readonly expiries = new TimeRing()
  private windowStart = 0
  private stepAt = 0

  constructor(
    readonly limit = EPHEMERAL_PORTS,
    readonly timeWaitS = TIME_WAIT_S,
  ) {
    if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`port limit must be a non-negative integer, got ${limit}`)
    if (!(timeWaitS >= 0)) throw new RangeError(`TIME_WAIT must be ≥ 0 s, got ${timeWaitS}`)
  }

  /** Takes a port for a new connection; false (and one more failure) when none is free. */
  tryAcquire(now: number): boolean {
    this.reclaim(now)
    if (this.open + this.expiries.length >= this.limit) {
      this.failures++
      return false
    }
    this.open++
    this.inUseTw.add(now, 1)
    return true
  }

  /** This host closed the connection first: its port stays in TIME_WAIT until now + timeWaitS. */
  release(now: number): void {
    this.reclaim(now)
    this.takeOpen()
    if (this.timeWaitS === 0) {
      this.inUseTw.add(now, -1)
      return
    }
    this.expiries.push(now + this.timeWaitS)
  }

  /** The peer closed first (TIME_WAIT is on the other host): the port is free at once. */
  releaseImmediately(now: number): void {
    this.reclaim(now)
    this.takeOpen()
    this.inUseTw.add(now, -1)
  }

  /** Ports unavailable at `now`: open connections plus TIME_WAIT. */
  inUse(now: number): number {
    this.reclaim(now)
    return this.open + this.expiries.length
  }

  /** Ports in TIME_WAIT at `now`. */
  timeWait(now: number): number {
    this.reclaim(now)
    return this.expiries.length
  }

  /** Open connections (not counting TIME_WAIT). */
  get openConnections(): number {
    return this.open
  }

  /** Starts the measured window: the mean, the max and `failures` start here. */
  startWindow(now: number): void {
    this.reclaim(now)
    this.inUseTw.startWindow(now)
    this.windowStart = now
    this.failures = 0
  }

  /** Time-average of ports in use over the measured window. */
  mean(now: number): number {
    this.reclaim(now)
    const span = now - this.windowStart
    return span > 0 ? this.inUseTw.windowArea(now) / span : this.inUseTw.value
  }

  /** Most ports in use at any instant of the measured window. */
  get max(): number {
    return this.inUseTw.max
  }

  /** Time-average of ports in use since the previous call (or time 0), for one series step. */
  takeStep(now: number): number {
    this.reclaim(now)
    const area = this.inUseTw.takeStep(now)
    const span = now - this.stepAt
    this.stepAt = now
    return span > 0 ? area / span : this.inUseTw.value
  }

  /** The host went down: every connection and TIME_WAIT entry is gone with its kernel. */
  reset(now: number): void {
    this.reclaim(now)
    while (this.expiries.length > 0) this.expiries.shift()
    this.open = 0
    this.inUseTw.set(now, 0)
  }

  private takeOpen(): void {
    if (this.open === 0) throw new Error("PortPool: release without a matching acquire")
    this.open--
  }

  // Frees every port whose TIME_WAIT ended by `now`, stepping the statistic at each expiry.
  private reclaim(now: number): void {
    const q = this.expiries
    while (q.length > 0 && q.peek() <= now) this.inUseTw.add(q.shift(), -1)
  }
}

/** A FIFO of times in a growable Float64Array ring: no allocation per push, unlike boxed numbers. */
class TimeRing {
  length = 0
  private items = new Float64Array(64)
  private head = 0

  push(t: number): void {
    if (this.length === this.items.length) {
      const next = new Float64Array(this.items.length * 2)
      for (let k = 0; k < this.length; k++) next[k] = this.items[(this.head + k) & (this.items.length - 1)]
      this.items = next
      this.head = 0
    }
    this.items[(this.head + this.length) & (this.items.length - 1)] = t
    this.length++
  }

  peek(): number {
    return this.items[this.head]
  }

  shift(): number {
    const t = this.items[this.head]
    this.head = (this.head + 1) & (this.items.length - 1)
    this.length--
    return t
  }
}

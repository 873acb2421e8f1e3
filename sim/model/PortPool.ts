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
 * `destinations` > 1 counts ports per upstream destination (`ports.per: destination`): Linux's
 * connect() reuses a local port toward another destination ip:port, so each destination has its
 * own `limit`. Long connections may hold at most `limit − reserve` of a destination's ports: the
 * reserve stays for short requests (seed 000: 28,232 ports, about 27,000 clients "after the reserve").
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
  /** Per destination: ports open or in TIME_WAIT. */
  private readonly held: Int32Array
  private readonly inUseTw = new TimeWeighted()
  private readonly expiries = new TimeRing()
  private windowStart = 0
  private stepAt = 0
  private rr = 0

  constructor(
    readonly limit = EPHEMERAL_PORTS,
    readonly timeWaitS = TIME_WAIT_S,
    readonly destinations = 1,
    readonly reserve = 0,
  ) {
    if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`port limit must be a non-negative integer, got ${limit}`)
    if (!(timeWaitS >= 0)) throw new RangeError(`TIME_WAIT must be ≥ 0 s, got ${timeWaitS}`)
    if (!Number.isInteger(destinations) || destinations < 1) throw new RangeError(`destinations must be a positive integer, got ${destinations}`)
    if (!Number.isInteger(reserve) || reserve < 0 || reserve > limit) throw new RangeError(`reserve must be an integer in [0, ${limit}], got ${reserve}`)
    this.held = new Int32Array(destinations)
  }

  /** Ports the host has for all destinations together: what the report's limit reads. */
  get capacity(): number {
    return this.limit * this.destinations
  }

  /** The destination of the next short request: nginx spreads them round-robin over its upstreams. */
  nextDestination(): number {
    const d = this.rr
    this.rr = d + 1 === this.destinations ? 0 : d + 1
    return d
  }

  /**
   * Takes a port toward `destination` for a new connection; false (and one more failure) when none
   * is free. A long connection may not take the reserve.
   */
  tryAcquire(now: number, destination = 0, long = false): boolean {
    this.reclaim(now)
    if (this.held[destination] >= (long ? this.limit - this.reserve : this.limit)) {
      this.failures++
      return false
    }
    this.held[destination]++
    this.open++
    this.inUseTw.add(now, 1)
    return true
  }

  /** This host closed the connection first: its port stays in TIME_WAIT until now + timeWaitS. */
  release(now: number, destination = 0): void {
    this.reclaim(now)
    this.takeOpen()
    if (this.timeWaitS === 0) {
      this.held[destination]--
      this.inUseTw.add(now, -1)
      return
    }
    this.expiries.push(now + this.timeWaitS, destination)
  }

  /** The peer closed first (TIME_WAIT is on the other host): the port is free at once. */
  releaseImmediately(now: number, destination = 0): void {
    this.reclaim(now)
    this.takeOpen()
    this.held[destination]--
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
    this.held.fill(0)
    this.inUseTw.set(now, 0)
  }

  private takeOpen(): void {
    if (this.open === 0) throw new Error("PortPool: release without a matching acquire")
    this.open--
  }

  // Frees every port whose TIME_WAIT ended by `now`, stepping the statistic at each expiry.
  private reclaim(now: number): void {
    const q = this.expiries
    while (q.length > 0 && q.peek() <= now) {
      this.held[q.peekDestination()]--
      this.inUseTw.add(q.shift(), -1)
    }
  }
}

/** A FIFO of (time, destination) in growable typed-array rings: no allocation per push, unlike boxed numbers. */
class TimeRing {
  length = 0
  private items = new Float64Array(64)
  private dests = new Int32Array(64)
  private head = 0

  push(t: number, destination: number): void {
    if (this.length === this.items.length) {
      const next = new Float64Array(this.items.length * 2)
      const nextDests = new Int32Array(this.items.length * 2)
      for (let k = 0; k < this.length; k++) {
        const at = (this.head + k) & (this.items.length - 1)
        next[k] = this.items[at]
        nextDests[k] = this.dests[at]
      }
      this.items = next
      this.dests = nextDests
      this.head = 0
    }
    const at = (this.head + this.length) & (this.items.length - 1)
    this.items[at] = t
    this.dests[at] = destination
    this.length++
  }

  peek(): number {
    return this.items[this.head]
  }

  peekDestination(): number {
    return this.dests[this.head]
  }

  shift(): number {
    const t = this.items[this.head]
    this.head = (this.head + 1) & (this.items.length - 1)
    this.length--
    return t
  }
}

/**
 * A caller's own protections against overload, per call site: a retry budget and Google SRE's
 * client-side adaptive throttling. Both are plain counters updated lazily: no events.
 */

/**
 * Retries allowed as a share of first tries: each first try earns `ratio` of a token, each retry
 * spends one; at most `cap` tokens are saved, so a long calm spell cannot fund a storm.
 *
 * @example
 * const b = new RetryBudget(0.1); b.onFirstTry(); b.tryRetry() // false until 10 first tries
 */
export class RetryBudget {
  private tokens = 0

  constructor(
    readonly ratio: number,
    readonly cap = 10,
  ) {}

  onFirstTry(): void {
    this.tokens = Math.min(this.cap, this.tokens + this.ratio)
  }

  /** Spends a token if there is one. */
  tryRetry(): boolean {
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }
}

/**
 * Adaptive throttling (Google SRE book, "Handling Overload"): over the recent window the client
 * counts requests and accepts (calls the backend did not reject for overload), and rejects a new
 * call locally with probability max(0, (requests − k·accepts) / (requests + 1)). Counts decay
 * exponentially with the window as time constant — a smooth stand-in for a sliding window.
 *
 * @example
 * const t = new Throttle(2, 120)
 * if (u < t.rejectProbability(now)) failLocally()
 */
export class Throttle {
  private requests = 0
  private accepts = 0
  private at = 0

  constructor(
    readonly k: number,
    readonly windowS: number,
  ) {}

  private decay(now: number): void {
    if (now <= this.at) return
    const f = Math.exp(-(now - this.at) / this.windowS)
    this.requests *= f
    this.accepts *= f
    this.at = now
  }

  rejectProbability(now: number): number {
    this.decay(now)
    return Math.max(0, (this.requests - this.k * this.accepts) / (this.requests + 1))
  }

  onRequest(now: number): void {
    this.decay(now)
    this.requests++
  }

  onAccept(now: number): void {
    this.decay(now)
    this.accepts++
  }
}

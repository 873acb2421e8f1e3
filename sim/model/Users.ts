import type { Host } from "../model/Host.ts"
import { uinHash } from "../model/HashRing.ts"

/**
 * The user population: which access host holds each user's connection and whether the user is
 * online (holds a long connection, so pushes go over wwlconn rather than a vendor's push service).
 *
 * Each online user's long connection takes one ephemeral port on its access host for as long as
 * it lasts; a user who finds no free port stays offline. When an access host goes down its users
 * reconnect to the others (and may find those full).
 *
 * @example
 * const users = new Users(20000, 1, accessHosts)
 * users.accessOf(42) // index of the access host holding uin 42
 */
export class Users {
  /** Users with a long connection right now. */
  onlineCount = 0
  /** long-conn-blocked: how often clients poll instead of holding a long connection; 0 = not blocked. */
  pollInterval = 0
  private readonly access: Int32Array
  private readonly online: Uint8Array

  constructor(
    readonly count: number,
    readonly onlineRatio: number,
    private readonly accessHosts: ReadonlyArray<Host>,
  ) {
    this.access = new Int32Array(count)
    this.online = new Uint8Array(count)
    if (accessHosts.length === 0) {
      this.online.fill(1)
      return
    }
    for (let uin = 0; uin < count; uin++) {
      const h = uinHash(uin)
      this.access[uin] = h % accessHosts.length
      // The online fraction is chosen by hash, so it does not depend on uin order.
      if ((Math.floor(h / accessHosts.length) % 10_000) / 10_000 < onlineRatio) this.connect(uin, 0)
    }
  }


  isOnline(uin: number): boolean {
    return this.count === 0 || this.online[uin] === 1
  }

  /** Index (within the access class) of the host that holds the user's connections. */
  accessOf(uin: number): number {
    return this.access[uin]
  }

  private connect(uin: number, now: number): void {
    const host = this.accessHosts[this.access[uin]]
    if (host.ports === null || host.ports.tryAcquire(now)) {
      this.online[uin] = 1
      this.onlineCount++
    }
  }

  /** The access host's users lose their connections and reconnect to the hosts still up. */
  hostDown(host: Host, now: number): void {
    if (!this.accessHosts.includes(host)) return
    const up = this.accessHosts.filter((h) => !h.down)
    for (let uin = 0; uin < this.count; uin++) {
      if (this.accessHosts[this.access[uin]] !== host) continue
      const wasOnline = this.online[uin] === 1
      if (wasOnline) {
        this.online[uin] = 0
        this.onlineCount--
      }
      if (up.length === 0) continue
      this.access[uin] = up[uinHash(uin) % up.length].index
      if (wasOnline) this.connect(uin, now)
    }
  }

  /** A returning access host takes no users back by itself: clients stay where they reconnected. */
  hostUp(_host: Host, _now: number): void {}

  /** The user's next poll at or after `now` while long connections are blocked; each user polls at its own phase. */
  nextPoll(uin: number, now: number): number {
    const p = this.pollInterval
    const phase = ((uinHash(uin) % 10_000) / 10_000) * p
    return phase + Math.ceil((now - phase) / p) * p
  }
}

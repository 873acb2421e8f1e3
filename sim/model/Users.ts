import type { Uniform } from "../kernel/Random.ts"
import type { Host } from "../model/Host.ts"
import { uinHash } from "../model/HashRing.ts"
import type { Kind } from "./Kind.ts"
import type { Service } from "./Service.ts"

/** How long connections live and where a (re)connecting client lands (scenario `longConnections`). */
export interface LongConnectionPolicy {
  /** Long connections per online user (devices online at once). */
  readonly perUser: number
  /** The service whose instance (by uin, skipping hosts that are down) terminates the connection. */
  readonly via: Service | null
  readonly balance: "least-connections" | "hash"
  /** Mean lifetime, s (exponential); 0: held until a fault drops it. */
  readonly lifetime: number
}

const NO_POLICY: LongConnectionPolicy = { perUser: 1, via: null, balance: "least-connections", lifetime: 0 }

/**
 * The user population: which access host holds each user's connections and whether the user is
 * online (holds a long connection, so pushes go over wwlconn rather than a vendor's push service).
 *
 * Each of a user's `perUser` long connections (a "slot": PC, phone) takes one ephemeral port on its
 * access host toward the wwlconn that terminates it, for as long as it lasts, and may not take the
 * port reserve. A connection ends when its access host or its wwlconn's host goes down, or at the
 * end of its lifetime (churn); the client then reconnects after a delay, through the load balancer
 * (`balance`), and a client that finds no free port tries again later. Reconnects are scheduled by
 * `sim/request/connect.ts`, which drains `dropped`.
 *
 * @example
 * const users = new Users(20000, 1, accessHosts)
 * users.accessOf(42) // index of the access host holding uin 42
 */
export class Users {
  /** Users with at least one long connection right now. */
  onlineCount = 0
  /** long-conn-blocked: how often clients poll instead of holding a long connection; 0 = not blocked. */
  pollInterval = 0
  /** Slots whose connection dropped (or never connected) and await a reconnect to be scheduled. */
  readonly dropped: number[] = []
  /** Connection slots: users × connections per user. */
  readonly slots: number
  /** Set by the builder: the delay before a reconnect, the churn draws, the request a reconnect makes. */
  reconnectDelay: (() => number) | null = null
  churnGap: (() => number) | null = null
  churnPick: Uniform | null = null
  login: Kind | null = null
  readonly perUser: number
  private readonly access: Int32Array
  /** Per slot: the `via` instance its connection goes to, −1 when not connected. */
  private readonly dest: Int32Array
  /** Per slot: a reconnect is scheduled. */
  private readonly pending: Uint8Array
  /** Per user: connections held. */
  private readonly devices: Uint8Array
  /** Per user: holds long connections at all (the online share). */
  private readonly member: Uint8Array
  /** Per access host: long connections open (what least-connections compares). */
  private readonly held: Int32Array

  constructor(
    readonly count: number,
    readonly onlineRatio: number,
    private readonly accessHosts: ReadonlyArray<Host>,
    readonly policy: LongConnectionPolicy = NO_POLICY,
  ) {
    const k = policy.perUser
    this.perUser = k
    this.slots = accessHosts.length === 0 ? 0 : count * k
    this.access = new Int32Array(count * k)
    this.dest = new Int32Array(this.slots).fill(-1)
    this.pending = new Uint8Array(this.slots)
    this.devices = new Uint8Array(count)
    this.member = new Uint8Array(count)
    this.held = new Int32Array(accessHosts.length)
    const n = accessHosts.length
    if (n === 0) {
      this.devices.fill(1)
      return
    }
    for (let uin = 0; uin < count; uin++) {
      const h = uinHash(uin)
      // At start-up clients are spread by hash; a user's devices on consecutive hosts.
      for (let j = 0; j < k; j++) this.access[uin * k + j] = (h + j) % n
      // The online fraction is chosen by hash, so it does not depend on uin order.
      if ((Math.floor(h / n) % 10_000) / 10_000 >= onlineRatio) continue
      this.member[uin] = 1
      for (let j = 0; j < k; j++) {
        const slot = uin * k + j
        if (!this.connect(slot, 0)) this.markDropped(slot)
      }
    }
  }

  isOnline(uin: number): boolean {
    return this.count === 0 || this.devices[uin] > 0
  }

  /** Index (within the access class) of the host that holds the user's (first device's) connections. */
  accessOf(uin: number): number {
    return this.access[uin * this.perUser]
  }

  /** The `via` instance holding one of the user's long connections, −1 when none is open. */
  connectionOf(uin: number): number {
    const k = this.perUser
    for (let j = 0; j < k; j++) {
      const d = this.dest[uin * k + j]
      if (d >= 0) return d
    }
    return -1
  }

  /** Long connections open on access host `i` (by index in the class). */
  heldOn(i: number): number {
    return this.held[i]
  }

  /** The `via` instance a slot's connection goes to, −1 when it is not connected. */
  destinationOf(slot: number): number {
    return this.dest[slot]
  }

  /**
   * The host(s) going down: their long connections drop; the clients are queued to reconnect. A
   * host down from time 0 was never connected to: its users start on the others (what `size`'s N-1
   * runs mean), with no reconnect delay and no login.
   */
  hostDown(host: Host, now: number): void {
    const a = this.accessHosts.indexOf(host)
    if (a >= 0) this.accessDown(a)
    const via = this.policy.via
    if (via !== null) {
      for (const inst of via.instances) {
        if (inst.host !== host) continue
        for (let slot = 0; slot < this.slots; slot++) {
          if (this.dest[slot] !== inst.index) continue
          // nginx closes the upstream side: its port waits out TIME_WAIT on the access host.
          this.disconnect(slot, now, now > 0)
          this.markDropped(slot)
        }
      }
    }
    if (now === 0) for (const slot of this.dropped.splice(0)) if (!this.reconnect(slot, 0)) this.markDropped(slot)
  }

  /**
   * A host returns. Long connections come back by themselves (clients retrying, churn through the
   * load balancer); users without one are sent back to their home access host by the balancer.
   */
  hostUp(host: Host, _now: number): void {
    const a = this.accessHosts.indexOf(host)
    if (a < 0) return
    const n = this.accessHosts.length
    const k = this.perUser
    for (let uin = 0; uin < this.count; uin++) {
      if (this.member[uin] === 1 || uinHash(uin) % n !== a) continue
      for (let j = 0; j < k; j++) this.access[uin * k + j] = (uinHash(uin) + j) % n
    }
  }

  /**
   * A scheduled reconnect of `slot` is due: placed by the balancer, it takes a port. False when it
   * did not connect (no access host up, no port, no `via` instance up): the client tries again later.
   */
  reconnect(slot: number, now: number): boolean {
    this.pending[slot] = 0
    if (this.dest[slot] >= 0) return true
    const a = this.place(slot)
    if (a < 0) return false
    this.access[slot] = a
    return this.connect(slot, now)
  }

  /** Whether the slot's user holds long connections at all (a failed reconnect is retried). */
  wantsConnection(slot: number): boolean {
    return this.member[Math.floor(slot / this.perUser)] === 1
  }

  /** Churn: the connection of `slot` (if any) reaches the end of its life; true if one ended. */
  expire(slot: number, now: number): boolean {
    if (this.dest[slot] < 0 || this.pending[slot] === 1) return false
    this.disconnect(slot, now, true)
    return true
  }

  /** The reconnect of `slot` is scheduled (so a later drop does not schedule it twice). */
  markPending(slot: number): void {
    this.pending[slot] = 1
  }

  /** The user's next poll at or after `now` while long connections are blocked; each user polls at its own phase. */
  nextPoll(uin: number, now: number): number {
    const p = this.pollInterval
    const phase = ((uinHash(uin) % 10_000) / 10_000) * p
    return phase + Math.ceil((now - phase) / p) * p
  }

  private markDropped(slot: number): void {
    if (this.pending[slot] === 1 || this.member[Math.floor(slot / this.perUser)] === 0) return
    this.pending[slot] = 1
    this.dropped.push(slot)
  }

  /** Access host `a` is gone with its kernel (its ports reset): its clients go to the hosts still up. */
  private accessDown(a: number): void {
    const k = this.perUser
    for (let slot = 0; slot < this.access.length; slot++) {
      if (this.access[slot] !== a) continue
      const uin = Math.floor(slot / k)
      if (this.dest[slot] >= 0) {
        this.dest[slot] = -1
        if (--this.devices[uin] === 0) this.onlineCount--
      }
      // The balancer sends the user's short requests to a host still up at once.
      const to = this.hashPlace(slot)
      if (to >= 0) this.access[slot] = to
      this.markDropped(slot)
    }
    this.held[a] = 0
  }

  private connect(slot: number, now: number): boolean {
    const uin = Math.floor(slot / this.perUser)
    const a = this.access[slot]
    const host = this.accessHosts[a]
    if (host.down) return false
    const d = this.viaInstance(uin)
    if (d < 0) return false
    const ports = host.ports
    if (ports !== null && !ports.tryAcquire(now, ports.destinations > 1 ? d : 0, true)) return false
    this.dest[slot] = d
    this.held[a]++
    if (this.devices[uin]++ === 0) this.onlineCount++
    return true
  }

  private disconnect(slot: number, now: number, timeWait: boolean): void {
    const d = this.dest[slot]
    if (d < 0) return
    const a = this.access[slot]
    const uin = Math.floor(slot / this.perUser)
    this.dest[slot] = -1
    this.held[a]--
    if (--this.devices[uin] === 0) this.onlineCount--
    const ports = this.accessHosts[a].ports
    if (ports === null) return
    const pd = ports.destinations > 1 ? d : 0
    if (timeWait) ports.release(now, pd)
    else ports.releaseImmediately(now, pd)
  }

  /** The `via` instance for the uin: its ring owner, or the next one clockwise whose host is up; 0 without `via`. */
  private viaInstance(uin: number): number {
    const via = this.policy.via
    if (via === null || via.ring === null) return 0
    const own = via.ring.pick(uin)
    if (!via.instances[own].host.down) return own
    return via.ring.pick(uin, (i) => via.instances[i].host.down)
  }

  /** The access host the balancer gives a connecting client, −1 when none is up. */
  private place(slot: number): number {
    if (this.policy.balance === "hash") return this.hashPlace(slot)
    const n = this.accessHosts.length
    // Least connections; ties go the client's hash way, so equal hosts share the clients.
    const start = (uinHash(Math.floor(slot / this.perUser)) + (slot % this.perUser)) % n
    let best = -1
    for (let k = 0; k < n; k++) {
      const i = (start + k) % n
      if (this.accessHosts[i].down) continue
      if (best < 0 || this.held[i] < this.held[best]) best = i
    }
    return best
  }

  /** The slot's home host by hash if it is up, else one of the hosts up by the same hash. */
  private hashPlace(slot: number): number {
    const n = this.accessHosts.length
    const h = uinHash(Math.floor(slot / this.perUser)) + (slot % this.perUser)
    const home = h % n
    if (!this.accessHosts[home].down) return home
    let up = 0
    for (const host of this.accessHosts) if (!host.down) up++
    if (up === 0) return -1
    let pick = h % up
    for (let i = 0; i < n; i++) {
      if (this.accessHosts[i].down) continue
      if (pick-- === 0) return i
    }
    return -1
  }
}

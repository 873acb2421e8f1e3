import type { Call } from "../model/Call.ts"
import { uinHash } from "../model/HashRing.ts"
import type { Instance, Service } from "../model/Service.ts"
import type { ShieldTable } from "../model/Shield.ts"
import { GROUP_SIZE, groupSize, uinGroupBase } from "../model/StorageGroup.ts"
import type { Users } from "../model/Users.ts"
import type { Route } from "../scenario/Scenario.ts"

/** Whether the current child call already went to instance `i`. */
function triedBefore(parent: Call, i: number): boolean {
  if (parent.tries === 0) return false
  for (let k = 0; k < parent.tries; k++) if (parent.tried[k] === i) return true
  return false
}

/**
 * The shields a caller consults: a Svrkit process's client (a server, or an MQ hand-off) keeps
 * them; a user's phone calling nginx does not.
 */
export function shieldsOf(service: Service, parent: Call): ShieldTable | null {
  return parent.instance !== null || parent.from !== null ? service.shields : null
}

/**
 * The caller's slot in a shield table (`ShieldTable.callers`): the calling host's id. A table kept
 * per callee (`scope: callee`) has one slot, which every caller number reads.
 */
export function shieldCaller(parent: Call): number {
  const host = parent.instance !== null ? parent.instance.host : parent.from
  return host === null ? 0 : host.id
}

/**
 * Whether the call may go to instance `i`: not tried yet, not under an operator's shield (global or
 * percentage: skipped by every caller, and even when nothing else is left), and — unless every
 * candidate is — not automatically shielded by this caller.
 */
function usable(service: Service, parent: Call, i: number, now: number, ignoreShields: boolean): boolean {
  if (parent.tries > 0 && triedBefore(parent, i)) return false
  const table = service.shields
  if (table !== null && table.operatorShields > 0 && table.isOperatorSkipped(i, uinHash(parent.uin))) return false
  if (ignoreShields) return true
  const shields = shieldsOf(service, parent)
  return shields === null || !shields.isShielded(now, i, shieldCaller(parent))
}

/** The next round-robin instance the call may use; `ignoreShields` on the second pass. */
function roundRobin(service: Service, parent: Call, now: number, ignoreShields: boolean): Instance | null {
  const n = service.instances.length
  for (let k = 0; k < n; k++) {
    const i = service.next
    service.next = i + 1 === n ? 0 : i + 1
    if (usable(service, parent, i, now, ignoreShields)) return service.instances[i]
  }
  return null
}

function byUin(service: Service, parent: Call, now: number, ignoreShields: boolean): Instance | null {
  const ring = service.ring!
  // The common case first: the uin's own machine is usable; no closure allocated.
  const memo = service.ringOwner
  let own: number
  if (memo !== null && parent.uin < memo.length) {
    own = memo[parent.uin] - 1
    if (own < 0) {
      own = ring.pick(parent.uin)
      memo[parent.uin] = own + 1
    }
  } else {
    own = ring.pick(parent.uin)
  }
  if (usable(service, parent, own, now, ignoreShields)) return service.instances[own]
  const i = ring.pick(parent.uin, (j) => !usable(service, parent, j, now, ignoreShields))
  return i >= 0 ? service.instances[i] : null
}

function byGroup(service: Service, parent: Call, now: number, ignoreShields: boolean): Instance | null {
  const n = service.instances.length
  const groups = Math.max(1, Math.floor(n / GROUP_SIZE))
  const h = uinHash(parent.uin)
  const base = uinGroupBase(h, n)
  const size = groupSize(base, n)
  const first = Math.floor(h / groups) % size
  for (let k = 0; k < size; k++) {
    const i = base + ((first + k) % size)
    if (usable(service, parent, i, now, ignoreShields)) return service.instances[i]
  }
  return null
}

/**
 * Picks the instance for the next try of a call, as the caller's Svrkit client does: by the
 * call's route, never a machine this call already tried, and skipping shielded machines unless
 * every candidate is shielded. Returns `null` when no candidate is left.
 *
 * @example
 * const inst = route("uin", service, parentCall, users, now)
 */
export function route(kind: Route, service: Service, parent: Call, users: Users, now: number): Instance | null {
  switch (kind) {
    case "round-robin": {
      if (parent.tries === 0 && service.shields === null && service.instances.length > 0) {
        // A first try with no shields: nothing can make the next instance unusable.
        const i = service.next
        service.next = i + 1 === service.instances.length ? 0 : i + 1
        return service.instances[i]
      }
      return roundRobin(service, parent, now, false) ?? roundRobin(service, parent, now, true)
    }
    case "uin":
      return byUin(service, parent, now, false) ?? byUin(service, parent, now, true)
    case "group":
      return byGroup(service, parent, now, false) ?? byGroup(service, parent, now, true)
    case "vip": {
      // keepalived: the VIP stays on a failed host until the standby takes over `failover` later.
      const active = service.instances[service.vipActive]
      if (active.host.down && now - active.host.downAt >= (service.vipFailover ?? 0)) {
        const next = service.instances.find((i) => !i.host.down)
        if (next !== undefined) service.vipActive = next.index
      }
      const inst = service.instances[service.vipActive]
      return triedBefore(parent, inst.index) ? null : inst
    }
    case "connection": {
      // The instance holding the user's long connection; none while the user is reconnecting.
      const i = users.connectionOf(parent.uin)
      return i >= 0 && !triedBefore(parent, i) ? service.instances[i] : null
    }
    case "user": {
      // One instance per host of the class, in host order: the host's index is the instance's.
      const inst = service.instances[users.accessOf(parent.uin)]
      return inst !== undefined && !triedBefore(parent, inst.index) ? inst : null
    }
  }
}

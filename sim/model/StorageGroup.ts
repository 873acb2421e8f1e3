/**
 * Storage groups: consecutive threes of a service's instances (two replicas and a parity, or
 * Paxos; docs/model.md). A uin's data lives in one group, chosen by its hash; a write reaches the
 * members of the group of the instance that took it.
 */

/** Members per group. */
export const GROUP_SIZE = 3

/** The first instance index of the group holding instance `index`. */
export function groupBase(index: number): number {
  return Math.floor(index / GROUP_SIZE) * GROUP_SIZE
}

/** How many instances the group starting at `base` has, out of `n` (the last group may be short). */
export function groupSize(base: number, n: number): number {
  return Math.min(GROUP_SIZE, n - base)
}

/**
 * The first instance index of the group holding the data of the uin with hash `hash`, out of `n`
 * instances: the hash mod the number of whole groups (at least one).
 *
 * @example
 * uinGroupBase(uinHash(uin), 6) // 0 or 3
 */
export function uinGroupBase(hash: number, n: number): number {
  const groups = Math.max(1, Math.floor(n / GROUP_SIZE))
  return (hash % groups) * GROUP_SIZE
}

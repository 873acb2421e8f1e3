/**
 * The deployments `wwsim size` chooses among, their order, the seed's sizing table and the port
 * bound on the access tier.
 */

/** A WeCom deployment: access hosts, logic hosts, storage hosts (0: storage on the logic hosts, "mixed"). */
export interface Candidate {
  readonly access: number
  readonly logic: number
  readonly storage: number
}

export const total = (c: Candidate): number => c.access + c.logic + c.storage

export const candidateKey = (c: Candidate): string => `${c.access}+${c.logic}+${c.storage}`

/**
 * "2 access + 3 mixed", "2 access + 3 logic + 3 storage".
 *
 * @example
 * describeCandidate({ access: 2, logic: 3, storage: 0 }) // "2 access + 3 logic/storage mixed"
 */
export const describeCandidate = (c: Candidate): string =>
  c.storage === 0
    ? `${c.access} access + ${c.logic} logic/storage mixed`
    : `${c.access} access + ${c.logic} logic + ${c.storage} storage`

/**
 * The search order: fewer machines first; at equal count, mixed (no storage class) first, then
 * fewer access hosts, then fewer logic hosts.
 *
 * @example
 * [c1, c2].sort(compareCandidates)
 */
export function compareCandidates(a: Candidate, b: Candidate): number {
  return total(a) - total(b)
    || Number(a.storage > 0) - Number(b.storage > 0)
    || a.access - b.access
    || a.logic - b.logic
}

/** Whether `c` is a valid deployment: access ≥ 1; logic a positive multiple of 3; storage 0 or a multiple of 3. */
export const isValidCandidate = (c: Candidate): boolean =>
  Number.isInteger(c.access) && c.access >= 1 && c.logic >= 3 && c.logic % 3 === 0 && c.storage >= 0 && c.storage % 3 === 0

/**
 * Every valid deployment of at most `maxMachines` machines with at least the given counts, in
 * search order.
 *
 * @example
 * enumerateCandidates(7, { access: 1, logic: 3 })[0] // { access: 1, logic: 3, storage: 0 }
 */
export function enumerateCandidates(maxMachines: number, min: Partial<Candidate> = {}): Candidate[] {
  const out: Candidate[] = []
  for (let access = Math.max(1, min.access ?? 1); access <= maxMachines; access++) {
    for (let logic = Math.max(3, Math.ceil((min.logic ?? 3) / 3) * 3); access + logic <= maxMachines; logic += 3) {
      for (let storage = Math.ceil((min.storage ?? 0) / 3) * 3; access + logic + storage <= maxMachines; storage += 3) {
        out.push({ access, logic, storage })
      }
    }
  }
  return out.sort(compareCandidates)
}

/**
 * The seed's sizing table (docs/model.md §1, seed 000): its row for `users`, or null above 100,000.
 * The ≤ 200 row's "1 test" host is one all-in-one logic host (logic: 1).
 *
 * @example
 * seedRow(50_000) // { access: 2, logic: 3, storage: 3 }
 */
export function seedRow(users: number): Candidate | null {
  if (users <= 200) return { access: 1, logic: 1, storage: 0 }
  if (users <= 20_000) return { access: 2, logic: 3, storage: 0 }
  if (users <= 50_000) return { access: 2, logic: 3, storage: 3 }
  if (users <= 100_000) return { access: 4, logic: 6, storage: 6 }
  return null
}

/**
 * Ports an access host keeps in reserve: docs/model.md §1 says an access host holds at most 28,232
 * connections (the ephemeral range), "about 27,000 after a reserve" (the simulation's default
 * `ports.reserve` too).
 */
export const PORT_RESERVE = 28_232 - 27_000

/**
 * The fewest access hosts whose ports hold every online user's long connections (uin-hashed
 * evenly; `perUser` each) with `ports − PORT_RESERVE` usable per host — or `ports × (1 − headroom)`
 * when that is fewer — times `destinations` when ports count per upstream destination, with one of
 * them down when `nMinus1`.
 *
 * @example
 * accessPortBound(50_000, 1, 28_232, true) // 3: two survivors hold 25,000 each
 * accessPortBound(50_000, 1, 28_232, true, 0.15) // 4: 25,000 is above 85% of 28,232
 */
export function accessPortBound(
  users: number, onlineRatio: number, ports: number | null | undefined, nMinus1: boolean, headroom = 0, perUser = 1, destinations = 1,
): number {
  const perDestination = ports == null ? Infinity : Math.max(1, Math.min(ports - PORT_RESERVE, Math.floor(ports * (1 - headroom))))
  const usable = perDestination * destinations
  const needed = Math.max(1, Math.ceil((users * onlineRatio * perUser) / usable))
  return needed + (nMinus1 ? 1 : 0)
}

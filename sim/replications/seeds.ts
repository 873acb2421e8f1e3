/**
 * Seeds of independent replications, derived from the scenario's seed.
 */

const MASK = (1n << 64n) - 1n
const GOLDEN = 0x9e3779b97f4a7c15n

/**
 * The seed of replication `i` (0-based): replication 0 uses the scenario's own seed, so its
 * report is the one a plain `run` writes; replication i ≥ 1 uses the i-th output of a SplitMix64
 * generator seeded with the scenario's seed, keeping its top 53 bits (a safe integer, which the
 * scenario schema accepts as a seed).
 *
 * Why not `seed + i`: replications of seed 1 and of seed 2 would then share all but one of their
 * runs, so two "independent" experiments would not be. SplitMix64's outputs for different seeds
 * and indices are scattered over 2^53 values; the engine then derives every component's stream
 * from (seed, component name), so each replication has its own stream per component.
 *
 * @example
 * replicationSeed(7, 0) // 7
 * replicationSeed(7, 1) // a 53-bit integer, the same on every machine
 */
export function replicationSeed(seed: number, i: number): number {
  if (!(Number.isSafeInteger(seed) && seed >= 0)) throw new RangeError(`seed must be a non-negative safe integer, got ${seed}`)
  if (!(Number.isInteger(i) && i >= 0)) throw new RangeError(`replication index must be a non-negative integer, got ${i}`)
  if (i === 0) return seed
  let z = (BigInt(seed) + BigInt(i) * GOLDEN) & MASK
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK
  z ^= z >> 31n
  return Number(z >> 11n)
}

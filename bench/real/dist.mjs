// Seeded draws of a CPU demand (microseconds) from `const`, `exp` or `lognormal` (mean, cv), the
// distributions the backends spin for. Shared by the backends and the harness's option parser.
import seedrandom from "seedrandom"

/** Parses `const:2ms`, `exp:2ms`, `lognormal:2ms:1.5` (units us, ms) into { kind, meanUs, cv }. */
export function parseDist(text) {
  const m = /^(const|exp|lognormal):([0-9.]+)(us|ms)(?::([0-9.]+))?$/.exec(text)
  if (m === null) return undefined
  const meanUs = Number(m[2]) * (m[3] === "ms" ? 1000 : 1)
  const cv = m[1] === "const" ? 0 : m[1] === "exp" ? 1 : Number(m[4] ?? NaN)
  if (!(meanUs > 0) || !(cv >= 0) || (m[1] === "lognormal" && m[4] === undefined)) return undefined
  return { kind: m[1], meanUs, cv }
}

/** A function drawing the next demand in microseconds from the distribution, seeded. */
export function sampler(dist, seed) {
  const rng = seedrandom.alea(String(seed))
  if (dist.kind === "const") return () => dist.meanUs
  if (dist.kind === "exp") return () => -dist.meanUs * Math.log(1 - rng())
  // Lognormal with the given mean and coefficient of variation: σ² = ln(1 + cv²), μ = ln(mean) − σ²/2.
  const s2 = Math.log(1 + dist.cv * dist.cv)
  const mu = Math.log(dist.meanUs) - s2 / 2
  const sigma = Math.sqrt(s2)
  return () => {
    const z = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng())
    return Math.exp(mu + sigma * z)
  }
}

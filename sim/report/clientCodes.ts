/**
 * What a WeCom client (and the operator reading its logs) sees for a request's final Svrkit code.
 * Seed 000 (常见错误码) lists -1233/-1234/-1235 as "service overload" codes operators meet, while
 * seed 004 names the framework's own overload codes -206/-216/-217 on calls. The seeds do not say
 * which maps to which; this assignment is ours, one client code per way of being refused:
 *
 * - −206 (a server's InQueue full) → −1233
 * - −217 (a server's fast reject) → −1234
 * - −216 (the caller's cached reject: refused before reaching the server) → −1235
 *
 * Every other code reaches the client unchanged (−201/−202/−203 are what operators grep for too).
 */
const CLIENT_CODE: Readonly<Record<string, string>> = { "-206": "-1233", "-217": "-1234", "-216": "-1235" }

/**
 * A kind's final codes as the client sees them; counts of codes that map to the same client code
 * add up. Keys stay in the order of `codes` (0 first, then failures from -201 downwards).
 *
 * @example
 * clientCodes({ "0": 90, "-217": 8, "-201": 2 }) // { "0": 90, "-201": 2, "-1234": 8 }
 */
export function clientCodes(codes: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {}
  const keys = Object.keys(codes).map((c) => CLIENT_CODE[c] ?? c)
  const order = [...new Set(keys)].sort((a, b) => (a === "0" ? -1 : b === "0" ? 1 : Number(b) - Number(a)))
  for (const k of order) out[k] = 0
  for (const [c, n] of Object.entries(codes)) out[CLIENT_CODE[c] ?? c] += n
  return out
}

/** Whether any of the codes is shown to clients under another number. */
export function hasClientCode(codes: Readonly<Record<string, number>>): boolean {
  return Object.keys(codes).some((c) => CLIENT_CODE[c] !== undefined)
}

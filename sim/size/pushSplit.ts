/**
 * For sizing only: the WeCom preset's `push` kind split so that its latency measures what hardware
 * can fix. In the preset one `push` request delivers to an online recipient over its long
 * connection, or hands an offline recipient's push to a vendor (APNs, …) through ss5 and waits for
 * the vendor's assumed latency. A p99 over both is decided by the vendor once a few percent of
 * users are offline, whatever the deployment.
 *
 * Here the offline branch stops at the hand-off to ss5 (its CPU, bytes and retries unchanged) and
 * spawns a `push-offline` request, timed from the send like `push`, that holds an ss5 worker for the
 * vendor's latency (1 µs of CPU). So `push` is delivery to online recipients plus the hand-off for
 * offline ones, and `push-offline` is send → vendor delivered, reported beside it, not an SLO.
 */
import { expandPreset } from "../presets/index.ts"

type Data = Record<string, unknown>
const isObject = (v: unknown): v is Data => typeof v === "object" && v !== null && !Array.isArray(v)

/** The kind that carries the vendor-bound half of a push. */
export const OFFLINE_PUSH_KIND = "push-offline"

/** Rewrites the offline calls under `call` in place; returns the vendor calls it took out. */
function splitCalls(call: Data, taken: Data[]): void {
  const calls = Array.isArray(call.calls) ? call.calls : []
  call.calls = calls.map((c) => {
    if (!isObject(c)) return c
    if (c.when === "offline" && c.external !== undefined) {
      const { external, spawn, ...handOff } = c
      taken.push({
        to: c.to, route: c.route ?? "round-robin", cpu: { const: "1us" }, external,
        ...(c.timeout === undefined ? {} : { timeout: c.timeout }), ...(c.tries === undefined ? {} : { tries: c.tries }),
        ...(spawn === undefined ? {} : { spawn }),
      })
      return { ...handOff, spawn: [{ kind: OFFLINE_PUSH_KIND, uin: "same", clock: "origin" }] }
    }
    const copy = { ...c }
    splitCalls(copy, taken)
    return copy
  })
}

/**
 * The scenario data (a `preset: wecom` mapping) with `push` split as the module comment says;
 * anything else (no preset, no offline vendor call under `push`) is returned as it is.
 *
 * @example
 * splitPush({ preset: "wecom", users: 1000, hosts: { access: { count: 1 }, logic: { count: 3 } } }).workload.pushOffline
 */
export function splitPush(data: Data): Data {
  if (data.preset === undefined) return data
  const expanded = expandPreset(data)
  if (!("data" in expanded) || !isObject(expanded.data)) return data
  const workload = expanded.data.workload
  if (!isObject(workload) || !isObject(workload.push) || !isObject(workload.push.call) || workload[OFFLINE_PUSH_KIND] !== undefined) return data
  const call = { ...workload.push.call }
  const taken: Data[] = []
  splitCalls(call, taken)
  if (taken.length !== 1) return data
  return {
    ...expanded.data,
    workload: { ...workload, push: { ...workload.push, call }, [OFFLINE_PUSH_KIND]: { rate: 0, call: taken[0] } },
  }
}

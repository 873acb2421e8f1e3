import type { Call } from "../model/Call.ts"
import type { Host } from "../model/Host.ts"
import type { Sim } from "./Sim.ts"

/**
 * Bytes from one host to another (`null`: a user on the internet) through the sender's out-link
 * and the receiver's in-link; returns when the last byte is in, or −1 when the message is lost (a
 * partition between the hosts, or a degraded NIC's loss).
 */
export function transfer(sim: Sim, from: Host | null, to: Host | null, bytes: number, now: number): number {
  if (from === to) return now
  let t = now
  if (from !== null) {
    if (from.partitioned.size > 0 && to !== null && from.partitioned.has(to)) return -1
    if (from.loss > 0 && sim.model.faultStream() < from.loss) return -1
    t += from.extraLatency
    if (from.nicOut !== null && bytes > 0) t = from.nicOut.transmit(t, bytes)
  }
  if (to !== null) {
    if (to.loss > 0 && sim.model.faultStream() < to.loss) return -1
    t += to.extraLatency
    if (to.nicIn !== null && bytes > 0) t = to.nicIn.transmit(t, bytes)
  }
  return t
}

/** The try's access-host port goes back: at once (pooled), or after TIME_WAIT (short connections). */
export function releasePort(c: Call, now: number): void {
  const host = c.portHost!
  c.portHost = null
  // A host that went down since dropped every connection, this one's port included.
  if (host.epoch !== c.portEpoch) return
  if (c.kind.connection === "short") host.ports!.release(now, c.portDest)
  else host.ports!.releaseImmediately(now, c.portDest)
}

import type { Call } from "../model/Call.ts"
import type { CallNode } from "../model/CallNode.ts"
import type { Host } from "../model/Host.ts"
import type { Instance } from "../model/Service.ts"
import { GROUP_SIZE, groupBase, groupSize } from "../model/StorageGroup.ts"

// Acknowledgement times of one write, reused: a group has at most three members.
const acks = new Float64Array(GROUP_SIZE)

/**
 * Whether group member `m` can take part in a quorum led by the member on `self`: its host is up,
 * its workers have not crashed, and no partition cuts it off. A member lost to `service-crash` or
 * `partition` counts like one powered off (seed 000: 同组两台坏掉会导致存储失败).
 */
function reachable(m: Instance, self: Host): boolean {
  const host = m.host
  if (host.down || m.crashed) return false
  return host === self || self.partitioned.size === 0 || !self.partitioned.has(host)
}

/**
 * Disk work of a storage call, and quorums in a storage group. A read needs `readQuorum` members
 * reachable, itself included (a Paxos read checks a majority; its small messages are not costed).
 * A write: the machine that took the call writes locally and replicates to the other members of
 * its group; the write is done when `quorum` members (itself included) have it on disk. Returns
 * the completion time, or −1 when too few members are reachable (the group's storage fails: a
 * logic failure, not retried).
 *
 * @example
 * const done = storageIo(call, node, now) // −1: quorum lost
 */
export function storageIo(c: Call, node: CallNode, now: number): number {
  const inst = c.instance!
  const self = inst.host
  const instances = inst.service.instances
  let done = now
  if (node.readQuorum > 1) {
    const base = groupBase(inst.index)
    const end = base + groupSize(base, instances.length)
    let n = 0
    for (let i = base; i < end; i++) if (reachable(instances[i], self)) n++
    if (n < node.readQuorum) return -1
  }
  if (node.diskRead > 0 && self.disk !== null) done = Math.max(done, self.disk.read(now, node.diskRead))
  if (node.quorum <= 0) {
    if (node.diskWrite > 0 && self.disk !== null) done = Math.max(done, self.disk.write(now, node.diskWrite))
    return done
  }
  const base = groupBase(inst.index)
  const end = base + groupSize(base, instances.length)
  let n = 0
  for (let i = base; i < end; i++) {
    const member = instances[i]
    if (!reachable(member, self)) continue
    const host = member.host
    let t = now
    if (host !== self) {
      // Replication: out of this host's NIC, into the member's.
      if (self.nicOut !== null) t = self.nicOut.transmit(t, node.requestBytes)
      if (host.nicIn !== null) t = host.nicIn.transmit(t, node.requestBytes)
    }
    if (host.disk !== null && node.diskWrite > 0) t = host.disk.write(t, node.diskWrite)
    // Insertion into the sorted acknowledgement times.
    let j = n++
    while (j > 0 && acks[j - 1] > t) {
      acks[j] = acks[j - 1]
      j--
    }
    acks[j] = t
  }
  if (n < node.quorum) return -1
  return Math.max(done, acks[node.quorum - 1])
}

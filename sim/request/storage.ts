import type { Call } from "../model/Call.ts"
import type { CallNode } from "../model/CallNode.ts"
import { GROUP_SIZE, groupBase, groupSize } from "../model/StorageGroup.ts"

// Acknowledgement times of one write, reused: a group has at most three members.
const acks = new Float64Array(GROUP_SIZE)

/**
 * Disk work of a storage call, and quorum writes in a storage group: the machine that took the
 * call writes locally and replicates to the other members of its group; the write is done when
 * `quorum` members (itself included) have it on disk. Returns the completion time, or −1 when
 * fewer than `quorum` members are up (the group's writes fail: a logic failure, not retried).
 *
 * @example
 * const done = storageIo(call, node, now) // −1: quorum lost
 */
export function storageIo(c: Call, node: CallNode, now: number): number {
  const inst = c.instance!
  const self = inst.host
  let done = now
  if (node.diskRead > 0 && self.disk !== null) done = Math.max(done, self.disk.read(now, node.diskRead))
  if (node.quorum <= 0) {
    if (node.diskWrite > 0 && self.disk !== null) done = Math.max(done, self.disk.write(now, node.diskWrite))
    return done
  }
  const instances = inst.service.instances
  const base = groupBase(inst.index)
  const end = base + groupSize(base, instances.length)
  let n = 0
  for (let i = base; i < end; i++) {
    const host = instances[i].host
    if (host.down) continue
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

import type { Call } from "../model/Call.ts"
import type { SpawnNode } from "../model/CallNode.ts"
import { startRequest } from "./arrive.ts"
import type { Sim } from "./Sim.ts"

/**
 * Starts the asynchronous requests a served call hands off: the MQ hand-off of a message, its
 * pushes to each recipient, a recipient's file download. Draws come from the model's spawn stream.
 */
export function spawn(sim: Sim, node: SpawnNode, c: Call, now: number): void {
  const u = sim.model.spawnStream
  if (node.probability < 1 && u() >= node.probability) return
  const n = Math.max(0, Math.round(node.count()))
  const arrival = node.fromOrigin ? c.arrival : now
  // A user's own follow-up (a recipient downloading a file) comes from the user, not the server.
  const from = node.byUser ? null : (c.instance?.host ?? null)
  const users = sim.model.users.count
  for (let i = 0; i < n; i++) {
    const uin = node.sameUin || users === 0 ? c.uin : Math.floor(u() * users)
    startRequest(sim, node.kind, uin, arrival, from, now)
  }
}

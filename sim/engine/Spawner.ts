import type { Uniform } from "../kernel/Random.ts"
import type { Call } from "../model/Call.ts"
import type { SpawnNode } from "../model/CallNode.ts"
import type { Host } from "../model/Host.ts"
import type { Kind } from "../model/Kind.ts"

/** What the spawner needs from the engine: a way to start a request. */
export interface RequestStarter {
  startRequest(kind: Kind, uin: number, arrival: number, from: Host | null, now: number): void
}

/**
 * Starts the asynchronous requests a served call hands off: the MQ hand-off of a message, its
 * pushes to each recipient, a recipient's file download. Draws come from the spawner's own stream.
 */
export class Spawner {
  constructor(
    private readonly u: Uniform,
    private readonly users: number,
  ) {}

  spawn(engine: RequestStarter, spawn: SpawnNode, c: Call, now: number): void {
    if (spawn.probability < 1 && this.u() >= spawn.probability) return
    const n = Math.max(0, Math.round(spawn.count()))
    const arrival = spawn.fromOrigin ? c.arrival : now
    // A user's own follow-up (a recipient downloading a file) comes from the user, not the server.
    const from = spawn.byUser ? null : (c.instance?.host ?? null)
    for (let i = 0; i < n; i++) {
      const uin = spawn.sameUin || this.users === 0 ? c.uin : Math.floor(this.u() * this.users)
      engine.startRequest(spawn.kind, uin, arrival, from, now)
    }
  }
}

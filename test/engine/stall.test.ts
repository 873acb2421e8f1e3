/**
 * The engine's no-progress guard (issue 14, defect 1): a future livelock becomes an error naming
 * the event type and the time instead of a run that never ends. The reproduction of the livelock
 * itself runs through the CLI under a wall-clock guard (test/cli/hostile.test.ts).
 */
import { describe, expect, it } from "vitest"
import { EngineStalled, StallGuard } from "../../sim/engine/StallGuard.ts"

describe("the engine's no-progress guard", () => {
  it("throws after the given slices without time moving on, naming the event type and time", () => {
    const guard = new StallGuard(1 << 20, 4)
    guard.check(0, "new-request")
    guard.check(1.5, "call-in")
    guard.check(1.5, "call-in")
    guard.check(1.5 + 1e-12, "call-in") // a picosecond is no progress
    guard.check(1.5, "call-in")
    expect(() => guard.check(1.5, "io-done")).toThrow(EngineStalled)
  })

  it("the message names the events, the time and the type", () => {
    const e = new EngineStalled(4 * 2 ** 20, 2.25, "io-done")
    expect(e.message).toBe("the simulation stopped advancing: 4.2e6 events without simulated time moving past 2.25s (the last a io-done event)")
  })

  it("progress resets the count", () => {
    const guard = new StallGuard(1 << 20, 3)
    for (let i = 0; i < 100; i++) {
      guard.check(1, "call-in")
      guard.check(1, "call-in")
      guard.check(1 + i + 1, "call-in") // moves on every third slice
    }
    expect(() => guard.check(101, "x")).not.toThrow()
  })
})

import { CliError } from "effect/cli"
import { describe, expect, it } from "vitest"
import { invocationErrorLine } from "../../sim/cli/Presenter.ts"
import { formatSimTime, showsBar } from "../../sim/cli/Progress.ts"

describe("invocationErrorLine", () => {
  it("puts an unknown flag and its suggestions on one line", () => {
    const e = new CliError.UnrecognizedOption({ option: "--sed", command: ["wwsim", "run"], suggestions: ["--seed", "--set"] })
    expect(invocationErrorLine(["wwsim", "run"], [e])).toBe(
      'error: unknown flag --sed for "wwsim run"; did you mean --seed or --set? (see "wwsim run --help")')
  })

  it("keeps effect/cli's own one-line messages", () => {
    expect(invocationErrorLine(["wwsim", "run"], [new CliError.MissingArgument({ argument: "scenario" })])).toBe(
      'error: Missing required argument: scenario (see "wwsim run --help")')
  })
})

describe("progress", () => {
  it("shows a bar only on a terminal outside CI", () => {
    expect(showsBar({ ci: undefined, stdoutTTY: true, stderrTTY: true })).toBe(true)
    expect(showsBar({ ci: "1", stdoutTTY: true, stderrTTY: true })).toBe(false)
    expect(showsBar({ ci: "true", stdoutTTY: true, stderrTTY: true })).toBe(false)
    expect(showsBar({ ci: undefined, stdoutTTY: false, stderrTTY: true })).toBe(false)
    expect(showsBar({ ci: undefined, stdoutTTY: true, stderrTTY: false })).toBe(false)
  })

  it("formats simulated time compactly", () => {
    expect([0, 45, 720, 1800, 7500].map(formatSimTime)).toEqual(["0s", "45s", "12m", "30m", "2h05m"])
  })
})

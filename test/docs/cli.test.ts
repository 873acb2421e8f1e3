// The README's CLI block against the CLI itself: every command `wwsim --help` lists, and every flag
// each command's `--help` lists, appears in the block, and the block names nothing else. A flag
// added to a command fails this test until the README shows it.
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, expect, test } from "vitest"
import { wwsim } from "../cli/wwsim.ts"

const readme = readFileSync(fileURLToPath(new URL("../../README.md", import.meta.url)), "utf8")

/** The README's synopsis: command → the flags its lines mention (continuation lines are indented). */
const synopsis = (): Map<string, Set<string>> => {
  const section = readme.slice(readme.indexOf("\n## The CLI\n"))
  const block = /```text\n([\s\S]*?)```/.exec(section)![1]!
  const commands = new Map<string, Set<string>>()
  let current: Set<string> | undefined
  for (const line of block.split("\n")) {
    const head = /^wwsim ([a-z][a-z-]*)/.exec(line)
    if (head !== null) commands.set(head[1]!, (current = new Set()))
    else if (!/^\s/.test(line)) current = undefined
    for (const flag of line.matchAll(/--[a-z][a-z0-9-]*/g)) current?.add(flag[0])
  }
  return commands
}

/** The lines of one upper-case section (`FLAGS`, `SUBCOMMANDS`) of effect/cli's help text. */
const section = (help: string, title: string): Array<string> => {
  const m = new RegExp(`^${title}\\n((?:  .*\\n)+)`, "m").exec(help)
  return m === null ? [] : m[1]!.split("\n").filter((l) => l !== "").map((l) => l.trim())
}

describe("the README's CLI block matches --help", () => {
  const documented = synopsis()

  test("it lists exactly the commands `wwsim --help` lists", async () => {
    const r = await wwsim(["--help"])
    expect(r.code).toBe(0)
    const commands = section(r.stdout, "SUBCOMMANDS").map((l) => l.split(/\s+/)[0]!)
    expect(commands.length).toBeGreaterThanOrEqual(5)
    expect([...documented.keys()].sort()).toEqual(commands.sort())
  })

  test("each command's line lists exactly the flags its --help lists", async () => {
    const wrong: Array<string> = []
    for (const [command, flags] of documented) {
      const r = await wwsim([command, "--help"])
      expect(r.code, `${command} --help`).toBe(0)
      const helpFlags = section(r.stdout, "FLAGS").map((l) => l.split(/\s+/)[0]!)
      for (const f of helpFlags) if (!flags.has(f)) wrong.push(`README lacks ${command} ${f}`)
      for (const f of flags) if (!helpFlags.includes(f)) wrong.push(`README shows ${command} ${f}, --help does not`)
    }
    expect(wrong, "edit the README's CLI block (section 'The CLI') to match").toEqual([])
  }, 60_000)
})

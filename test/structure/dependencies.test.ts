/**
 * The layering of sim/ as a rule the tests hold (issue: "a request's life you can read by file
 * name"): lower layers never import higher ones, so the model can be read without the engine, the
 * stages without the report or the CLI, and the generic scenario schema without any preset.
 * Imports are read from each file's syntax tree (Vite's `parseAst`, oxc underneath; type-only
 * imports count too: a type dependency is still a dependency for a reader).
 */
import { readdirSync, readFileSync } from "node:fs"
import { dirname, join, normalize, relative } from "node:path"
import { parseAst } from "vite"
import { describe, expect, test } from "vitest"

const ROOT = join(import.meta.dirname, "..", "..")
const SIM = join(ROOT, "sim")

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [])

/** Each file under sim/ (as "sim/…") with the sim/ files it imports. */
const graph: ReadonlyMap<string, ReadonlyArray<string>> = new Map(sources(SIM).map((file) => {
  const body = parseAst(readFileSync(file, "utf8"), { lang: "ts" }).body
  const imports = body
    .flatMap((node) => "source" in node && node.source != null && typeof node.source.value === "string" ? [node.source.value] : [])
    .filter((name) => name.startsWith("."))
    .map((name) => relative(ROOT, normalize(join(dirname(file), name))))
  return [relative(ROOT, file), imports]
}))

interface Rule {
  /** Files the rule applies to (a prefix of "sim/…"). */
  readonly from: string
  /** What they must not import (prefixes). */
  readonly forbid: ReadonlyArray<string>
  /** Single edges the design allows, "from → to". */
  readonly except?: ReadonlyArray<string>
  readonly why: string
}

const ALL_BUT = (...keep: string[]): string[] =>
  ["sim/engine/", "sim/request/", "sim/faults/", "sim/measure/", "sim/model/", "sim/report/", "sim/cli/",
    "sim/scenario/", "sim/presets/", "sim/replications/", "sim/check/", "sim/slo/", "sim/size/", "sim/calibrate/",
    "sim/simulate.ts", "sim/warmupAuto.ts", "sim/Simulator.ts", "sim/Progress.ts", "sim/stats/", "sim/kernel/"]
    .filter((p) => !keep.includes(p))

const RULES: ReadonlyArray<Rule> = [
  { from: "sim/kernel/", forbid: ALL_BUT("sim/kernel/"), why: "the clock, heap and random numbers stand alone" },
  { from: "sim/stats/", forbid: ALL_BUT("sim/stats/", "sim/kernel/"), why: "statistics know nothing of the model" },
  { from: "sim/model/", forbid: ["sim/engine/", "sim/request/", "sim/faults/", "sim/measure/", "sim/report/", "sim/cli/", "sim/presets/"],
    why: "the model is data and its own rules; the engine moves it" },
  { from: "sim/request/", forbid: ["sim/engine/", "sim/report/", "sim/cli/", "sim/faults/"], why: "a stage is a plain function over the Sim struct" },
  { from: "sim/faults/", forbid: ["sim/engine/", "sim/report/", "sim/cli/"], why: "faults act on the model, not on the loop" },
  { from: "sim/measure/", forbid: ["sim/engine/", "sim/request/", "sim/faults/", "sim/cli/"], why: "measurement is the one seam stages call into" },
  { from: "sim/scenario/", forbid: ["sim/engine/", "sim/request/", "sim/faults/", "sim/measure/", "sim/report/", "sim/cli/", "sim/presets/"],
    except: ["sim/scenario/load.ts → sim/presets/index.ts"],
    why: "the generic schema knows no preset: presets register their fields (only the loader brings in the built-in ones)" },
  { from: "sim/simulate.ts", forbid: ["sim/replications/", "sim/cli/", "sim/check/"], why: "one run does not call into replications" },
  { from: "sim/replications/", forbid: ["sim/cli/"], why: "replications report progress through a service, not the terminal" },
  { from: "sim/slo/", forbid: ["sim/engine/", "sim/request/", "sim/measure/", "sim/cli/"], why: "SLOs judge a report, not the engine's recorders" },
  { from: "sim/", forbid: ["sim/cli/"], why: "only the CLI knows the terminal and the process" },
]

const violations = (rule: Rule): string[] => {
  const found: string[] = []
  for (const [file, imports] of graph) {
    if (!file.startsWith(rule.from) || (rule.from === "sim/" && file.startsWith("sim/cli/"))) continue
    for (const to of imports) {
      const edge = `${file} → ${to}`
      if (rule.forbid.some((p) => to.startsWith(p) && !file.startsWith(p)) && !(rule.except ?? []).includes(edge)) found.push(edge)
    }
  }
  return found
}

describe("sim/ has no backward imports", () => {
  test("the graph was read (a rule over no files would pass vacuously)", () => {
    expect(graph.size).toBeGreaterThan(100)
    expect(graph.get("sim/engine/Engine.ts")).toContain("sim/kernel/EventQueue.ts")
  })

  for (const rule of RULES) {
    test(`${rule.from}: ${rule.why}`, () => {
      expect(violations(rule)).toEqual([])
    })
  }

  test("only the engine imports the request stages", () => {
    const outside = [...graph].flatMap(([file, imports]) =>
      file.startsWith("sim/request/") || file.startsWith("sim/engine/") ? [] : imports.filter((to) => to.startsWith("sim/request/")).map((to) => `${file} → ${to}`))
    expect(outside).toEqual([])
  })
})

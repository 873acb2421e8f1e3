import { mkdtempSync, readdirSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, FileSystem } from "effect"
import { describe, expect, test } from "vitest"
import { nodeFileSystem } from "../../sim/cli/NodeEnvironment.ts"
import { ScenarioInvalid, ScenarioUnreadable, formatScenarioError } from "../../sim/scenario/errors.ts"
import { loadScenario, loadScenarioFile, parseScenarioText, scenarioJsonSchema } from "../../sim/scenario/load.ts"
import { LIMITS } from "../../sim/scenario/schema.ts"

// Line numbers below refer to this text.
const BASE = `name: test
duration: 10m
hosts:
  app: { count: 2, cores: 4 }
services:
  server:
    host: app
    workers: 4
    cpu: { exp: 10ms }
workload:
  ping:
    rate: 100/s
    to: server
`

const FAULT = `faults:
  - at: 5m
    action: host-down
    target: [app-1, app-3]
`

/** The ScenarioInvalid that loading `text` throws (fails the test if it loads). */
function invalid(text: string, sets: ReadonlyArray<string> = [], file = "x.yaml"): ScenarioInvalid {
  try {
    parseScenarioText(text, file, sets)
  } catch (e) {
    if (e instanceof ScenarioInvalid) return e
    throw e
  }
  throw new Error("expected ScenarioInvalid, but the scenario loaded")
}

const errorLine = (text: string, sets: ReadonlyArray<string> = []) => formatScenarioError(invalid(text, sets))

const tmp = mkdtempSync(join(tmpdir(), "wwsim-load-"))

describe("valid scenarios", () => {
  test("the base text loads into a unit-free Scenario with defaults filled in", () => {
    expect(parseScenarioText(BASE, "x.yaml")).toEqual({
      name: "test",
      seed: 1,
      warmup: 0,
      duration: 600,
      hosts: { app: { count: 2, cores: 4, nicBps: null, ports: null, timeWait: 60, disk: null, vip: null } },
      services: {
        server: {
          host: "app", workers: 4, queue: null, cpu: { kind: "exp", mean: 0.01 }, wakeup: 0, dropAfter: null,
          fastReject: null, shield: { threshold: 5, leakPerS: 1, shieldS: 10, failureRate: 0.5, minCalls: 10, rateWindowS: 10, scope: "caller" },
        },
      },
      workload: { ping: { rate: 100, to: "server", call: undefined, senders: "all", connection: "none" } },
      faults: [],
      seriesStep: null,
      users: 0,
      activeRatio: 0.3,
      onlineRatio: 1,
      accessClass: null,
    })
  })

  test("every file in scenarios/ loads", () => {
    const files = readdirSync("scenarios").filter((f) => /\.(ya?ml|json)$/.test(f))
    expect(files).toContain("mm8-example.yaml")
    expect(files).toContain("mm1.yaml")
    for (const f of files) expect(() => loadScenarioFile(join("scenarios", f)), f).not.toThrow()
  })

  test("mm8-example is the README's M/M/8", () => {
    const s = loadScenarioFile("scenarios/mm8-example.yaml")
    expect(s).toMatchObject({ name: "mm8-example", seed: 7, warmup: 60, duration: 1800 })
    expect(s.hosts.app).toMatchObject({ count: 1, cores: 8, nicBps: null, ports: null, disk: null })
    expect(s.services.server).toMatchObject({ host: "app", workers: 8, queue: 1000, cpu: { kind: "exp", mean: 0.01 }, fastReject: null })
    expect(s.workload.ping).toMatchObject({ rate: 720, to: "server" })
  })

  test("mm1 is M/M/1 with λ = 80/s and a 10 ms mean", () => {
    const s = loadScenarioFile("scenarios/mm1.yaml")
    expect(s.services.server).toMatchObject({ workers: 1, cpu: { kind: "exp", mean: 0.01 } })
    expect(s.hosts.app.cores).toBe(1)
    expect(s.workload.ping.rate).toBe(80)
    expect(s.duration).toBe(600)
  })

  test("every distribution form", () => {
    const dist = (d: string) =>
      parseScenarioText(BASE.replace("{ exp: 10ms }", d), "x.yaml").services.server.cpu
    expect(dist("{ const: 10ms }")).toEqual({ kind: "const", value: 0.01 })
    expect(dist("{ uniform: [2ms, 6ms] }")).toEqual({ kind: "uniform", min: 0.002, max: 0.006 })
    expect(dist("{ lognormal: { mean: 1ms, cv: 2 } }")).toEqual({ kind: "lognormal", mean: 0.001, cv: 2 })
  })

  test("a single fault target becomes a list; an absent `for` is null", () => {
    const s = parseScenarioText(`${BASE}faults:\n  - { at: 5m, for: 2m, action: host-down, target: app }\n  - { at: 1h, action: host-down, target: app-2 }\n`, "x.yaml")
    expect(s.faults).toEqual([
      { at: 300, for: 120, action: "host-down", target: ["app"], factor: 2, ramp: 30 },
      { at: 3600, for: null, action: "host-down", target: ["app-2"], factor: 2, ramp: 30 },
    ])
  })

  test("series.step and a queue come through in seconds and requests", () => {
    const s = parseScenarioText(`${BASE.replace("workers: 4", "workers: 4\n    queue: 0")}series: { step: 5s }\n`, "x.yaml")
    expect(s.seriesStep).toBe(5)
    expect(s.services.server.queue).toBe(0)
  })

  test("a rate of 0 is allowed (Scenario.ts: a kind only other requests start)", () => {
    expect(parseScenarioText(BASE.replace("rate: 100/s", "rate: 0"), "x.yaml").workload.ping.rate).toBe(0)
  })

  test("YAML 1.2: `on` and `yes` are strings, not booleans", () => {
    expect(parseScenarioText(BASE.replace("name: test", "name: on"), "x.yaml").name).toBe("on")
    expect(errorLine(BASE.replace("name: test", "name: test\nseed: yes"))).toBe(
      'error: x.yaml:2:1 seed: expected a non-negative integer, got "yes"',
    )
  })

  test("a JSON file loads like the same YAML", () => {
    const file = join(tmp, "same.json")
    writeFileSync(file, JSON.stringify({
      name: "test", duration: "10m", hosts: { app: { count: 2, cores: 4 } },
      services: { server: { host: "app", workers: 4, cpu: { exp: "10ms" } } },
      workload: { ping: { rate: "100/s", to: "server" } },
    }, null, 2))
    expect(loadScenarioFile(file)).toEqual(parseScenarioText(BASE, "x.yaml"))
  })
})

describe("a file with several mistakes", () => {
  test("reports each, one line apiece, at most ten", () => {
    const text = BASE.replace("workers: 4", "workers: 0").replace("duration: 10m", "duration: 10").replace(/count: 2/, "count: two")
    const lines = formatScenarioError(invalid(text)).split("\n")
    expect(lines.map((l) => l.replace(/^error: x\.yaml:\d+:\d+ /, "").split(":")[0]).sort())
      .toEqual(["duration", "hosts.app.count", "services.server.workers"].sort())
    const many = `name: many\nduration: 1m\nhosts:\n${Array.from({ length: 15 }, (_, i) => `  h${i}: { count: 0, cores: 1 }\n`).join("")}` +
      "services:\n  s: { host: h0, workers: 1, cpu: { exp: 1ms } }\nworkload:\n  w: { rate: 1/s, to: s }\n"
    expect(formatScenarioError(invalid(many)).split("\n")).toHaveLength(10)
  })
})

describe("every error is one line with file:line:col and the path", () => {
  test("a word where a number belongs", () => {
    expect(errorLine(BASE.replace("workers: 4", "workers: four"))).toBe(
      'error: x.yaml:8:5 services.server.workers: expected a positive integer, got "four"',
    )
  })

  test("the error carries its parts for the CLI", () => {
    const e = invalid(BASE.replace("workers: 4", "workers: 2.5"))
    expect(e).toMatchObject({ _tag: "ScenarioInvalid", file: "x.yaml", path: "services.server.workers", line: 8, column: 5 })
  })

  test("an unknown key, with a suggestion", () => {
    expect(errorLine(BASE.replace("workers: 4", "wrokers: 4"))).toBe(
      'error: x.yaml:8:5 services.server.wrokers: unknown field; did you mean "workers"? expected one of: host, workers, queue, cpu, wakeup, fastReject, dropAfter, shield',
    )
  })

  test("a preset's field in a scenario without a preset says which is missing", () => {
    expect(errorLine(`${BASE}messageInterval: 2s\n`)).toMatch(
      /^error: x\.yaml:14:1 messageInterval: read by a preset, and this scenario sets none \(add `preset: wecom`\)$/,
    )
  })

  test("an unknown preset names the known ones", () => {
    expect(errorLine(`${BASE}preset: wecomm\n`)).toMatch(/preset: unknown preset "wecomm"; known: "wecom"$/)
  })

  test("an unknown top-level key", () => {
    expect(errorLine(`${BASE}userz: 70000\n`)).toMatch(
      /^error: x\.yaml:14:1 userz: unknown field; did you mean "users"\? expected one of: name, seed, warmup, duration, hosts, .*, preset, /,
    )
  })

  test("a missing required field points at the entry that lacks it", () => {
    expect(errorLine(BASE.replace("duration: 10m\n", ""))).toBe("error: x.yaml:1:1 duration: missing required field")
    expect(errorLine(BASE.replace("    host: app\n", ""))).toBe("error: x.yaml:6:3 services.server.host: missing required field")
  })

  test("a service on a host class that does not exist", () => {
    expect(errorLine(BASE.replace("host: app", "host: db"))).toBe(
      'error: x.yaml:7:5 services.server.host: unknown host class "db"; host classes: app',
    )
  })

  test("a workload to a service that does not exist", () => {
    expect(errorLine(BASE.replace("to: server", "to: srv"))).toBe(
      'error: x.yaml:13:5 workload.ping.to: unknown service "srv"; services: server',
    )
  })

  test("a fault target beyond the class's count", () => {
    expect(errorLine(BASE + FAULT)).toBe(
      'error: x.yaml:17:21 faults.0.target.1: unknown instance "app-3": app has instances app-1 … app-2',
    )
  })

  test("a fault target that is neither a class nor an instance", () => {
    expect(errorLine(BASE + FAULT.replace("[app-1, app-3]", "db-1"))).toBe(
      'error: x.yaml:17:5 faults.0.target: unknown target "db-1": not a host class (app) nor one of their instances',
    )
    expect(errorLine(BASE + FAULT.replace("[app-1, app-3]", "app-01"))).toMatch(/faults\.0\.target: unknown instance "app-01"/)
  })

  test("a fault action other than host-down", () => {
    expect(errorLine(BASE + FAULT.replace("host-down", "reboot"))).toBe(
      'error: x.yaml:16:5 faults.0.action: expected an action: host-down, host-up, service-crash, nic-degrade, disk-slow, partition, push-outage, long-conn-blocked, shield, config, load, login-storm, replay; got "reboot"',
    )
  })

  test("absurd sizes are refused up front", () => {
    expect(errorLine(BASE.replace("count: 2", "count: 20000"))).toBe(
      `error: x.yaml:4:10 hosts.app.count: expected at most ${LIMITS.hostInstances} host instances (a sanity limit), got 20000`,
    )
    expect(errorLine(BASE.replace("  app: { count: 2, cores: 4 }", "  app: { count: 6000, cores: 4 }\n  db: { count: 6000, cores: 4 }"))).toBe(
      `error: x.yaml:3:1 hosts: expected at most ${LIMITS.hostInstances} host instances in total (a sanity limit), got 12000`,
    )
    expect(errorLine(BASE.replace("cores: 4", "cores: 5000"))).toMatch(/^error: x\.yaml:4:20 hosts\.app\.cores: expected at most 4096 cores per host/)
    expect(errorLine(BASE.replace("workers: 4", "workers: 2000000"))).toMatch(/services\.server\.workers: expected at most 1000000 workers per instance/)
    expect(errorLine(BASE.replace("duration: 10m", "duration: 1000h"))).toBe(
      "error: x.yaml:2:1 duration: expected at most 720h (30 days, a sanity limit), got 1000h",
    )
    expect(errorLine(BASE.replace("rate: 100/s", "rate: 200000000/s"))).toBe(
      "error: x.yaml:12:5 workload.ping.rate: expected at most 100000000/s (a sanity limit), got 200000000/s",
    )
    expect(errorLine(`${BASE}series: { step: 1ms }\n`)).toMatch(/^error: x\.yaml:14:11 series\.step: a step of 1ms gives 600000 points/)
  })

  test("a host class named like another class's instance", () => {
    expect(errorLine(BASE.replace("  app: { count: 2, cores: 4 }", "  app: { count: 2, cores: 4 }\n  app-1: { count: 1, cores: 1 }"))).toBe(
      'error: x.yaml:5:3 hosts.app-1: host class "app-1" has the name of an instance of class "app"; rename one',
    )
  })

  test("names: lower-case; '_' only inside maps", () => {
    expect(errorLine(BASE.replace("name: test", "name: My_Test"))).toMatch(/^error: x\.yaml:1:1 name: expected a name of lower-case letters, digits and '-'/)
    expect(errorLine(BASE.replace("name: test", "name: my_test"))).toMatch(/^error: x\.yaml:1:1 name: /)
    expect(parseScenarioText(BASE.replaceAll("server", "my_server"), "x.yaml").services.my_server).toBeDefined()
    expect(errorLine(BASE.replace("  server:", "  Server:"))).toMatch(/^error: x\.yaml:6:3 services\.Server: expected a name of lower-case letters/)
  })

  test("distributions: one kind, known kinds, min ≤ max", () => {
    const cpu = (d: string) => errorLine(BASE.replace("{ exp: 10ms }", d))
    expect(cpu("{ exp: 10ms, const: 2ms }")).toBe("error: x.yaml:9:5 services.server.cpu: expected exactly one of const, exp, uniform or lognormal, got const and exp")
    expect(cpu("{}")).toBe("error: x.yaml:9:5 services.server.cpu: expected exactly one of const, exp, uniform or lognormal, got none")
    expect(cpu("{ normal: 10ms }")).toMatch(/^error: x\.yaml:9:12 services\.server\.cpu\.normal: unknown field; expected one of: const, exp, uniform, lognormal$/)
    expect(cpu("{ uniform: [6ms, 2ms] }")).toBe("error: x.yaml:9:12 services.server.cpu.uniform: expected [min, max] with min ≤ max and max > 0, got [6ms, 2ms]")
    expect(cpu("{ exp: 0 }")).toBe("error: x.yaml:9:12 services.server.cpu.exp: expected a duration greater than 0, got 0s")
    expect(cpu("{ exp: 10 }")).toMatch(/cpu\.exp: expected a duration like .* got 10 \(a bare number has no unit; write e\.g\. 10s\)$/)
  })

  test("invalid YAML syntax", () => {
    expect(errorLine(BASE.replace("cpu: { exp: 10ms }", "cpu: { exp: 10ms"))).toMatch(/^error: x\.yaml:10:1: [a-z].*/)
    expect(errorLine(BASE.replace("    host: app", "   host: app"))).toMatch(/^error: x\.yaml:7:\d+: /)
  })

  test("duplicate keys", () => {
    expect(errorLine(BASE.replace("    workers: 4", "    workers: 4\n    workers: 5"))).toBe(
      "error: x.yaml:9:5: duplicate key: a key may appear only once in a mapping (\"workers\")",
    )
  })

  test("a __proto__ key is refused rather than silently dropped", () => {
    expect(errorLine(BASE.replace("hosts:\n", "hosts:\n  __proto__: { count: 1, cores: 1 }\n"))).toBe(
      'error: x.yaml:4:3: a key may not be "__proto__"',
    )
    expect(errorLine(BASE, ["hosts.__proto__.count=1"])).toBe('error: --set hosts.__proto__.count: a key may not be "__proto__"')
    expect(errorLine(BASE, ["hosts={__proto__: 1}"])).toBe('error: --set: a key may not be "__proto__"')
  })

  test("an alias bomb is refused", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]", "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]", "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]"].join("\n")
    expect(errorLine(bomb)).toMatch(/^error: x\.yaml: excessive alias count/)
  })

  test("a file that is not a mapping, or empty", () => {
    expect(errorLine("hello\n")).toBe('error: x.yaml:1:1: expected a mapping, got "hello"')
    expect(errorLine("")).toBe("error: x.yaml: expected a mapping, got an empty value")
  })

  test("a JSON file with a schema error gives its line", () => {
    const file = join(tmp, "bad.json")
    writeFileSync(file, JSON.stringify({
      name: "j", duration: "10m", hosts: { app: { count: 1, cores: 1 } },
      services: { server: { host: "app", workers: 0, cpu: { exp: "10ms" } } },
      workload: { ping: { rate: "80/s", to: "server" } },
    }, null, 2))
    expect(() => loadScenarioFile(file)).toThrow(ScenarioInvalid)
    const e = invalid(`${JSON.stringify({ name: "j" }, null, 2).slice(0, -2)},\n  "duration": "ten"\n}`, [], file)
    // the file's other mistakes follow, one line each
    expect(formatScenarioError(e).split("\n")).toEqual([
      `error: ${file}:3:3 duration: expected a duration like 250us, 10ms, 2s, 5m or 1h, got "ten"`,
      ...["hosts", "services", "workload"].map((f) => `error: ${file}:1:1 ${f}: missing required field`),
    ])
    try {
      loadScenarioFile(file)
    } catch (err) {
      expect(formatScenarioError(err as ScenarioInvalid)).toBe(`error: ${file}:13:7 services.server.workers: expected a positive integer, got 0`)
    }
  })

  test("a JSON syntax error gives its line", () => {
    expect(errorLine('{\n  "name": "j",\n  "duration": "1m"\n  "hosts": {}\n}')).toMatch(/^error: x\.yaml:4:\d+: /)
  })
})

describe("--set overrides", () => {
  test("a number", () => {
    expect(parseScenarioText(BASE, "x.yaml", ["services.server.workers=16"]).services.server.workers).toBe(16)
  })

  test("a unit value and a new nested map", () => {
    const s = parseScenarioText(BASE, "x.yaml", ["duration=1m", "series.step=5s", "services.server.queue=100"])
    expect(s.duration).toBe(60)
    expect(s.seriesStep).toBe(5)
    expect(s.services.server.queue).toBe(100)
  })

  test("later sets win", () => {
    expect(parseScenarioText(BASE, "x.yaml", ["seed=2", "seed=3"]).seed).toBe(3)
  })

  test("a list of faults as YAML", () => {
    const s = parseScenarioText(BASE, "x.yaml", ["faults=[{at: 2m, action: host-down, target: [app-1, app-2]}]"])
    expect(s.faults).toEqual([{ at: 120, for: null, action: "host-down", target: ["app-1", "app-2"], factor: 2, ramp: 30 }])
  })

  test("into an existing list by index", () => {
    expect(parseScenarioText(BASE + FAULT.replace("app-3", "app-2"), "x.yaml", ["faults.0.at=1m"]).faults[0].at).toBe(60)
  })

  test("an unknown path is reported against --set, without a line", () => {
    expect(errorLine(BASE, ["clients=70000"])).toMatch(/^error: --set clients: unknown field; expected one of: name, seed, /)
    const e = invalid(BASE, ["services.server.wrokers=3"])
    expect(e).toMatchObject({ file: "--set", path: "services.server.wrokers" })
    expect(e.line).toBeUndefined()
  })

  test("a bad value is reported against --set", () => {
    expect(errorLine(BASE, ["services.server.workers=four"])).toBe(
      'error: --set services.server.workers: expected a positive integer, got "four"',
    )
    expect(errorLine(BASE, ["services.server.host=db"])).toBe('error: --set services.server.host: unknown host class "db"; host classes: app')
  })

  test("a value the user set is validated even where the file was fine", () => {
    expect(errorLine(BASE, ["name=Big"])).toMatch(/^error: --set name: expected a name/)
  })

  test("malformed assignments", () => {
    expect(errorLine(BASE, ["workers"])).toBe('error: --set: expected path=value, got "workers"')
    expect(errorLine(BASE, ["=4"])).toBe('error: --set: expected a dotted path like services.server.workers before "=", got ""')
    expect(errorLine(BASE, ["a..b=1"])).toBe('error: --set a..b: expected a dotted path like services.server.workers before "=", got "a..b"')
    expect(errorLine(BASE, ["faults=[1, 2"])).toMatch(/^error: --set faults: invalid YAML value: /)
    expect(errorLine(BASE, ["name.first=x"])).toBe('error: --set name.first: cannot set "first" inside name: it is not a mapping')
    expect(errorLine(BASE + FAULT, ["faults.5.at=1m"])).toMatch(/^error: --set faults\.5\.at: faults is a list of 1/)
  })

  test("the file's own errors still point into the file", () => {
    expect(errorLine(BASE.replace("workers: 4", "workers: four"), ["seed=3"])).toMatch(/^error: x\.yaml:8:5 services\.server\.workers:/)
  })
})

describe("reading files", () => {
  test("a missing file is unreadable", () => {
    expect(() => loadScenarioFile(join(tmp, "nope.yaml"))).toThrow(ScenarioUnreadable)
    try {
      loadScenarioFile(join(tmp, "nope.yaml"))
    } catch (e) {
      expect(formatScenarioError(e as ScenarioUnreadable)).toBe(`error: cannot read ${join(tmp, "nope.yaml")}: no such file`)
    }
  })

  test("a directory is unreadable", () => {
    expect(() => loadScenarioFile(tmp)).toThrow(ScenarioUnreadable)
    expect(() => loadScenarioFile(tmp)).toThrow(`cannot read ${tmp}: it is a directory`)
    try {
      loadScenarioFile(tmp)
    } catch (e) {
      expect(formatScenarioError(e as ScenarioUnreadable)).toBe(`error: cannot read ${tmp}: it is a directory`)
    }
  })

  test("a huge file is refused before it is read", () => {
    const file = join(tmp, "huge.yaml")
    writeFileSync(file, Buffer.alloc(10_000_001, 0x20))
    expect(() => loadScenarioFile(file)).toThrow(/at most 10000000/)
  })

  test("loadScenario reads through FileSystem and fails in the error channel with the tagged error", async () => {
    const run = <A, E>(e: Effect.Effect<A, E, FileSystem.FileSystem>) =>
      Effect.runPromise(e.pipe(Effect.provideService(FileSystem.FileSystem, nodeFileSystem)))
    expect((await run(loadScenario("scenarios/mm1.yaml", ["seed=9"]))).seed).toBe(9)
    expect((await run(Effect.flip(loadScenario(join(tmp, "nope.yaml")))))._tag).toBe("ScenarioUnreadable")
    expect((await run(Effect.flip(loadScenario(tmp)))).message).toContain("it is a directory")
    const e = await run(Effect.flip(loadScenario("scenarios/mm1.yaml", ["clients=1"])))
    expect(e).toBeInstanceOf(ScenarioInvalid)
  })
})

describe("formatScenarioError", () => {
  test("omits what is unknown", () => {
    expect(formatScenarioError(new ScenarioInvalid({ file: "a.yaml", path: "p.q", line: 3, column: 7, message: "m" }))).toBe("error: a.yaml:3:7 p.q: m")
    expect(formatScenarioError(new ScenarioInvalid({ file: "a.yaml", path: "p.q", message: "m" }))).toBe("error: a.yaml p.q: m")
    expect(formatScenarioError(new ScenarioInvalid({ file: "a.yaml", path: "", line: 3, column: 7, message: "m" }))).toBe("error: a.yaml:3:7: m")
    expect(formatScenarioError(new ScenarioUnreadable({ file: "a.yaml", reason: "r" }))).toBe("error: cannot read a.yaml: r")
  })

  test("always one line", () => {
    expect(formatScenarioError(new ScenarioInvalid({ file: "a.yaml", path: "", message: "one\n  two" }))).toBe("error: a.yaml: one two")
  })
})

describe("scenarioJsonSchema", () => {
  test("describes the input side with an id and title", () => {
    const schema = scenarioJsonSchema() as {
      $id: string; title: string; required: string[]; additionalProperties: boolean
      properties: Record<string, { anyOf?: Array<{ pattern?: string }> }>
    }
    expect(schema.$id).toBe("urn:wwsim:scenario")
    expect(schema.title).toBe("wwsim scenario")
    expect(schema.required).toEqual(expect.arrayContaining(["name", "duration", "hosts", "services", "workload"]))
    expect(schema.required).not.toContain("seed")
    expect(schema.additionalProperties).toBe(false)
    expect(schema.properties.duration.anyOf?.some((s) => s.pattern !== undefined)).toBe(true)
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema)
  })
})

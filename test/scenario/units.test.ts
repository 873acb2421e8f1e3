import fc from "fast-check"
import { describe, expect, test } from "vitest"
import { z } from "zod"
import {
  Bandwidth,
  Duration,
  Rate,
  Ratio,
  Size,
  describeValue,
  formatBandwidth,
  formatDuration,
  formatRate,
  formatSize,
  parseBandwidth,
  parseDuration,
  parseRate,
  parseRatio,
  parseSize,
} from "../../sim/scenario/units.ts"

describe("durations", () => {
  test.each([
    ["250us", 0.00025],
    ["250µs", 0.00025],
    ["10ms", 0.01],
    ["2s", 2],
    ["1.5s", 1.5],
    ["5m", 300],
    ["1h", 3600],
    ["10 ms", 0.01],
    ["0s", 0],
    [0, 0],
  ] as const)("%s is %d s", (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds)
    expect(Duration.parse(text)).toBe(seconds)
  })

  test.each([["10"], [5], ["-1s"], ["10sec"], ["1e3ms"], ["ms"], [""], ["10MS"], [".5s"], ["1d"]] as const)(
    "%j is not a duration",
    (text) => {
      expect(parseDuration(text)).toBeUndefined()
      expect(Duration.safeParse(text).success).toBe(false)
    },
  )

  test("a bare number is rejected with a hint to add a unit", () => {
    const r = Duration.safeParse(5)
    expect(r.success).toBe(false)
    expect(r.error?.issues[0].message).toBe(
      "expected a duration like 250us, 10ms, 2s, 5m or 1h, got 5 (a bare number has no unit; write e.g. 5s)",
    )
  })

  test("a wrong string names the value it got", () => {
    expect(Duration.safeParse("four").error?.issues[0].message).toBe(
      'expected a duration like 250us, 10ms, 2s, 5m or 1h, got "four"',
    )
    expect(Duration.safeParse(true).error?.issues[0].message).toMatch(/got true$/)
    expect(Duration.safeParse(null).error?.issues[0].message).toMatch(/got an empty value$/)
  })

  test("digits too long for a number are refused, not turned into Infinity", () => {
    expect(parseDuration(`1${"0".repeat(400)}h`)).toBeUndefined()
    expect(Duration.safeParse(`1${"0".repeat(400)}h`).success).toBe(false)
  })

  test("formatDuration picks the largest unit that writes the value exactly", () => {
    expect(formatDuration(0)).toBe("0s")
    expect(formatDuration(90)).toBe("90s")
    expect(formatDuration(120)).toBe("2m")
    expect(formatDuration(3600)).toBe("1h")
    expect(formatDuration(0.25)).toBe("250ms")
    expect(formatDuration(0.00025)).toBe("250us")
    expect(formatDuration(1.5)).toBe("1500ms")
  })

  test("any whole number of milliseconds parses exactly and formats back", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), (ms) => {
        const seconds = parseDuration(`${ms}ms`)
        expect(seconds).toBe(ms / 1000)
        expect(parseDuration(formatDuration(seconds!))).toBe(seconds)
      }),
    )
  })

  test("any whole number of microseconds, minutes or hours round-trips", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.constantFrom("us", "s", "m", "h"), (n, unit) => {
        const seconds = parseDuration(`${n}${unit}`)!
        expect(parseDuration(formatDuration(seconds))).toBe(seconds)
      }),
    )
  })

  test("any double from 1 µs to 10^9 s formats to a string that parses back to it exactly", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e9, noNaN: true }), (seconds) => {
        expect(parseDuration(formatDuration(seconds))).toBe(seconds)
      }),
    )
  })
})

describe("rates", () => {
  test.each([
    ["300/s", 300],
    ["1000/m", 1000 / 60],
    ["5/h", 5 / 3600],
    ["0.5/s", 0.5],
    ["300 /s", 300],
    [0, 0],
  ] as const)("%s is %d per second", (text, perSecond) => {
    expect(parseRate(text)).toBe(perSecond)
    expect(Rate.parse(text)).toBe(perSecond)
  })

  test.each([["300"], [300], ["300/d"], ["300/sec"], ["300 per s"], ["/s"]] as const)("%j is not a rate", (text) => {
    expect(parseRate(text)).toBeUndefined()
    expect(Rate.safeParse(text).success).toBe(false)
  })

  test("formatRate prefers per second, then per minute", () => {
    expect(formatRate(720)).toBe("720/s")
    expect(formatRate(0.5)).toBe("30/m")
    expect(formatRate(1 / 3600)).toBe("1/h")
  })

  test("any whole rate per minute round-trips", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.constantFrom("/s", "/m", "/h"), (n, unit) => {
        const perSecond = parseRate(`${n}${unit}`)!
        expect(parseRate(formatRate(perSecond))).toBe(perSecond)
      }),
    )
  })
})

describe("sizes", () => {
  test.each([
    ["512B", 512],
    ["1KB", 1000],
    ["1kB", 1000],
    ["50KB", 50_000],
    ["1MB", 1e6],
    ["1.5MB", 1.5e6],
    ["1GB", 1e9],
    [0, 0],
  ] as const)("%s is %d bytes (1 KB = 1000 B)", (text, bytes) => {
    expect(parseSize(text)).toBe(bytes)
    expect(Size.parse(text)).toBe(bytes)
  })

  test.each([["1KiB"], ["1kb"], ["1024"], [1024], ["1Gbps"], ["1 TB"]] as const)("%j is not a size", (text) => {
    expect(parseSize(text)).toBeUndefined()
    expect(Size.safeParse(text).success).toBe(false)
  })

  test("any whole number of bytes round-trips", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (bytes) => {
        expect(parseSize(formatSize(bytes))).toBe(bytes)
      }),
    )
    expect(formatSize(50_000)).toBe("50KB")
    expect(formatSize(1_500)).toBe("1500B")
  })
})

describe("bandwidths", () => {
  test.each([
    ["1000Mbps", 1e9],
    ["1Gbps", 1e9],
    ["100Kbps", 1e5],
    ["100kbps", 1e5],
    ["64bps", 64],
    [0, 0],
  ] as const)("%s is %d bits per second", (text, bps) => {
    expect(parseBandwidth(text)).toBe(bps)
    expect(Bandwidth.parse(text)).toBe(bps)
  })

  test.each([["1GB"], ["1gbps"], ["1000"], [1000], ["1 Gb/s"]] as const)("%j is not a bandwidth", (text) => {
    expect(parseBandwidth(text)).toBeUndefined()
    expect(Bandwidth.safeParse(text).success).toBe(false)
  })

  test("any whole number of bits per second round-trips", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e15 }), (bps) => {
        expect(parseBandwidth(formatBandwidth(bps))).toBe(bps)
      }),
    )
    expect(formatBandwidth(1e9)).toBe("1Gbps")
  })
})

describe("ratios", () => {
  test.each([
    [0.3, 0.3],
    ["30%", 0.3],
    ["12.5%", 0.125],
    [0, 0],
    [1, 1],
    ["100%", 1],
    ["0%", 0],
  ] as const)("%j is %d", (input, fraction) => {
    expect(parseRatio(input)).toBe(fraction)
    expect(Ratio.parse(input)).toBe(fraction)
  })

  test.each([[1.5], [-0.1], ["150%"], ["0.3"], ["30"], ["-5%"]] as const)("%j is not a ratio", (input) => {
    expect(parseRatio(input)).toBeUndefined()
    const r = Ratio.safeParse(input)
    expect(r.success).toBe(false)
    expect(r.error?.issues[0].message).toMatch(/^expected a ratio from 0 to 1 like 0\.3, or a percentage like 30%, got /)
  })
})

describe("JSON Schema of the unit schemas", () => {
  test.each([
    ["Duration", Duration, "10ms"],
    ["Rate", Rate, "300/s"],
    ["Size", Size, "50KB"],
    ["Bandwidth", Bandwidth, "1Gbps"],
  ] as const)("%s describes its input as a patterned string or 0", (_, schema, sample) => {
    const json = z.toJSONSchema(schema, { io: "input" }) as { anyOf: Array<{ type: string; pattern?: string; const?: number }> }
    const str = json.anyOf.find((s) => s.type === "string")!
    expect(new RegExp(str.pattern!).test(sample)).toBe(true)
    expect(new RegExp(str.pattern!).test("four")).toBe(false)
    expect(json.anyOf.find((s) => s.type === "number")?.const).toBe(0)
  })

  test("Ratio's input is a number in [0, 1] or a percentage string", () => {
    const json = z.toJSONSchema(Ratio, { io: "input" }) as { anyOf: Array<Record<string, unknown>> }
    expect(json.anyOf).toContainEqual({ type: "number", minimum: 0, maximum: 1 })
    expect(json.anyOf.some((s) => s.type === "string" && typeof s.pattern === "string")).toBe(true)
  })
})

test("describeValue quotes strings and names structures", () => {
  expect(describeValue("four")).toBe('"four"')
  expect(describeValue(4)).toBe("4")
  expect(describeValue({ a: 1 })).toBe("a mapping")
  expect(describeValue([1])).toBe("a list")
  expect(describeValue(null)).toBe("an empty value")
  expect(describeValue("x".repeat(100))).toBe(`"${"x".repeat(40)}…"`)
})

/**
 * The sim-to-real experiment reads nginx's access log with `wwsim calibrate`'s parser: its
 * log_format must be one calibrate accepts, and lines as nginx 1.22 writes them (two upstreams
 * tried after a failure, a "-" where none answered) must parse to the right numbers.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, test } from "vitest"
import { readAccessLog } from "../../bench/real/calibrate.ts"
import { LOG_FORMAT } from "../../bench/real/sut.ts"
import { compileFormat } from "../../sim/calibrate/nginx.ts"

const dir = mkdtempSync(join(tmpdir(), "wwsim-real-format-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("the experiment's access log", () => {
  test("its log_format has every variable calibrate needs", () => {
    expect(compileFormat(LOG_FORMAT).missing).toBeUndefined()
  })

  test("nginx's lines parse: one upstream, a retry on a second, none", () => {
    const file = join(dir, "access.log")
    writeFileSync(file, [
      '1764633600.125 0.004 0.004 127.0.0.1:18001 200 93 171 "GET /work HTTP/1.1"',
      '1764633600.250 1.012 1.001, 0.009 127.0.0.1:18002, 127.0.0.1:18003 200 93 171 "GET /work HTTP/1.1"',
      '1764633600.375 0.000 - - 502 93 324 "GET /work HTTP/1.1"',
      '1764633601.500 0.003 0.003 127.0.0.1:18001 200 93 171 "GET /work HTTP/1.1"', // outside the window
      '1764633600.4', // cut off when nginx stopped
    ].join("\n"))
    const records = readAccessLog(file, 1764633600, 1764633601)
    expect(records.map((r) => r.status)).toEqual([200, 200, 502])
    expect(records[1].upstreamTime).toBeCloseTo(1.010, 9)
    expect(records[1].upstreamAddr).toBe("127.0.0.1:18002, 127.0.0.1:18003")
    expect(Number.isNaN(records[2].upstreamTime)).toBe(true)
    expect(records[0].requestTime).toBe(0.004)
  })

  test("a missing log reads as no requests, not a crash", () => {
    expect(readAccessLog(join(dir, "absent.log"), 0, 1)).toEqual([])
  })
})

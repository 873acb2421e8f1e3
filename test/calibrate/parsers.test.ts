// Each input format parsed from real-looking samples: nginx's `combined` format with timing
// variables (and a custom format as nginx.conf writes it), Svrkit RUN lines as seed 000 quotes
// them, `sar -u` as sysstat 12 prints it, a Prometheus query_range answer, and CSV.
import { writeFileSync } from "node:fs"
import { gzipSync } from "node:zlib"
import { describe, expect, it } from "vitest"
import { parseCpuCsv, parsePrometheus, parseSar, sniffCpu } from "../../sim/calibrate/cpu.ts"
import { forEachLine } from "../../sim/calibrate/lines.ts"
import { parseMap } from "../../sim/calibrate/map.ts"
import { COMBINED, compileFormat, parseTimeLocal } from "../../sim/calibrate/nginx.ts"
import { readInputs } from "../../sim/calibrate/read.ts"
import { parseRunLine } from "../../sim/calibrate/svrkit.ts"
import { tempDir } from "../cli/wwsim.ts"

const TIMED = `${COMBINED} $request_length $bytes_sent $request_time $upstream_response_time $upstream_addr`

describe("nginx log_format", () => {
  it("parses combined + timing variables, several upstreams summed", () => {
    const f = compileFormat(TIMED)
    expect(f.missing).toBeUndefined()
    const r = f.parse('192.168.7.21 - - [30/Nov/2026:18:00:01 +0800] "POST /cgi-bin/sendmsg?f=json HTTP/1.1" 200 245 "-" "WeWork/4.1.6 (iPhone; iOS 17.1)" 1532 412 0.012 0.004, 0.006 10.0.1.1:8080, 10.0.1.2:8080')!
    expect(r.path).toBe("/cgi-bin/sendmsg")
    expect(r.t).toBe(Date.UTC(2026, 10, 30, 10, 0, 1) / 1000) // +0800 → 10:00:01 UTC
    expect(r.status).toBe(200)
    expect(r.requestTime).toBeCloseTo(0.012, 9)
    expect(r.upstreamTime).toBeCloseTo(0.010, 9)
    expect(r.requestLength).toBe(1532)
    expect(r.bytesSent).toBe(412)
    expect(r.remoteAddr).toBe("192.168.7.21")
  })

  it("reads $msec, ${var} braces and '-' for no upstream", () => {
    const f = compileFormat('${msec} "$request" $status $request_length $bytes_sent $request_time $upstream_response_time $upstream_addr')
    const r = f.parse('1796032800.123 "GET /cgi-bin/download?fileid=x HTTP/1.1" 304 380 210 0.000 - -')!
    expect(r.t).toBeCloseTo(1796032800.123, 6)
    expect(r.upstreamTime).toBeNaN()
    expect(r.path).toBe("/cgi-bin/download")
  })

  it("names the first variable a format lacks", () => {
    expect(compileFormat(COMBINED).missing).toBe("lacks $request_time (needed for the latency to validate against)")
    expect(compileFormat(`${COMBINED} $request_time $upstream_response_time $upstream_addr $bytes_sent`).missing).toBe("lacks $request_length (needed for request sizes)")
    expect(compileFormat('$remote_addr "$request" $status').missing).toMatch(/^lacks \$msec or \$time_local/)
  })

  it("refuses malformed lines instead of guessing", () => {
    const f = compileFormat(TIMED)
    expect(f.parse('192.168.7.21 - - [30/Nov/2026:18:00:01 +0800] "POST /x HTTP/1.1" 200')).toBeUndefined()
    expect(f.parse('1.2.3.4 - - [31/Foo/2026:18:00:01 +0800] "GET / HTTP/1.1" 200 1 "-" "-" 1 1 0.1 0.1 -')).toBeUndefined()
    expect(parseTimeLocal("10/Oct/2000:13:55:36 -0700")).toBe(Date.UTC(2000, 9, 10, 20, 55, 36) / 1000)
  })

  it("streams gzip'd logs, counts garbage and quotes it with file:line", async () => {
    const dir = tempDir()
    const good = (i: number) => `10.9.0.${i % 200} - - [30/Nov/2026:10:00:${String(i % 60).padStart(2, "0")} +0000] "POST /cgi-bin/sendmsg HTTP/1.1" 200 300 "-" "ua" 1000 300 0.008 0.007 10.0.1.1:8080`
    const lines = Array.from({ length: 500 }, (_, i) => (i % 50 === 7 ? "\u0000\u0001garbage" : good(i)))
    const file = `${dir}/access.log.gz`
    writeFileSync(file, gzipSync(lines.join("\n")))
    let n = 0
    await forEachLine(file, () => n++)
    expect(n).toBe(500)
    const map = parseMap(`logFormat: '${TIMED}'\nkinds: { sendmsg: { uri: '^/cgi-bin/sendmsg$' } }\nhosts: { logic: { match: ['10.0.1.*'] } }`, "map.yaml")
    const m = await readInputs([file], map)
    expect(m.inputs[0]).toMatchObject({ format: "nginx", records: 490, garbage: 10 })
    expect(m.inputs[0].examples[0]).toBe(`${file}:8: "\\u0000\\u0001garbage"`)
    expect(m.upstreamClasses.get("logic")).toBe(490)
  })
})

describe("Svrkit RUN lines", () => {
  it("parses the seed's example and a line with a log prefix", () => {
    expect(parseRunLine("RUN 0 34 xxxxxxxxxx CMD 41 ip xx.xx.xx.xx io 18 67999")).toEqual({
      queueMs: 0, workerMs: 34, uin: "xxxxxxxxxx", cmd: 41, ip: "xx.xx.xx.xx", requestBytes: 18, replyBytes: 67999,
    })
    expect(parseRunLine("2019-04-17 21:03:11 wwlchatlogicsvr[2301] RUN 3 12 100234 CMD 41 ip 10.0.1.2 io 1024 80")?.queueMs).toBe(3)
    expect(parseRunLine("CHECK queue wwlchatlogicsvr delay 0 ready 1")).toBeUndefined()
  })
})

describe("CPU series", () => {
  const SAR = [
    "Linux 5.10.0-28-amd64 (logic-1) \t11/30/2026 \t_x86_64_\t(4 CPU)",
    "",
    "11:59:31 PM     CPU     %user     %nice   %system   %iowait    %steal     %idle",
    "11:59:31 PM     all      8.12      0.00      2.35      0.10      0.00     89.43",
    "12:00:01 AM     all      7.50      0.00      2.00      0.00      0.00     90.50",
    "12:00:31 AM     all      7.50      0.00      2.00      0.00      0.00     bogus",
    "Average:        all      7.81      0.00      2.18      0.05      0.00     89.97",
  ].join("\n")

  it("reads sar -u (sysstat 12): host, cores, 12-hour times across midnight, %idle", () => {
    expect(sniffCpu(SAR)).toBe("sar")
    const p = parseSar(SAR, "sar.txt", 8 * 3600)
    expect(p.cores).toBe(4)
    expect(p.samples).toHaveLength(2)
    expect(p.samples[0]).toEqual({ host: "logic-1", t: Date.UTC(2026, 10, 30, 23, 59, 31) / 1000 - 8 * 3600, util: expect.closeTo(0.1057, 4) })
    expect(p.samples[1].t - p.samples[0].t).toBe(30) // 12:00:01 AM is the next day
  })

  it("reads a Prometheus query_range matrix per instance", () => {
    const json = JSON.stringify({
      status: "success",
      data: { resultType: "matrix", result: [
        { metric: { instance: "logic-1:9100" }, values: [[1796032830, "0.21"], [1796032860, "0.25"]] },
        { metric: { instance: "logic-2:9100" }, values: [[1796032830, "0.11"]] },
      ] },
    })
    expect(sniffCpu(json)).toBe("prometheus")
    const p = parsePrometheus(json, "prom.json", "fraction", () => undefined)
    expect(p.samples).toEqual([
      { host: "logic-1", t: 1796032830, util: 0.21 }, { host: "logic-1", t: 1796032860, util: 0.25 }, { host: "logic-2", t: 1796032830, util: 0.11 },
    ])
    // rate(node_cpu_seconds_total{mode!="idle"}[1m]) summed per instance is busy cores
    expect(parsePrometheus(json, "prom.json", "cores", () => 4).samples[0].util).toBeCloseTo(0.0525, 9)
  })

  it("reads CSV time,host,cpu with fractions, percents and ISO times", () => {
    const p = parseCpuCsv("time,host,cpu\n1796032830,logic-1,0.25\n2026-11-30T10:01:00Z,logic-2,30%\nnot,a,row", "cpu.csv", "fraction", () => undefined)
    expect(p.samples).toEqual([{ host: "logic-1", t: 1796032830, util: 0.25 }, { host: "logic-2", t: Date.UTC(2026, 10, 30, 10, 1) / 1000, util: 0.3 }])
  })
})

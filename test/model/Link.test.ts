import fc from "fast-check"
import { describe, expect, test } from "vitest"
import { Disk, Link, diskBytesPerSecondForUsers } from "../../sim/model/Link.ts"

const GBPS = 1e9
const MBIT = 125_000 // bytes in 1 Mbit... ×8 = 1e6 bits

describe("Link", () => {
  test("transfers queue FIFO behind each other at line rate", () => {
    const link = new Link(GBPS)
    expect(link.transmit(0, MBIT)).toBeCloseTo(0.001, 12)
    expect(link.transmit(0, MBIT)).toBeCloseTo(0.002, 12)
    expect(link.transmit(0.0015, MBIT)).toBeCloseTo(0.003, 12)
  })

  test("an idle link starts a transfer at once", () => {
    const link = new Link(GBPS)
    link.transmit(0, MBIT)
    expect(link.transmit(5, MBIT)).toBeCloseTo(5.001, 12)
  })

  test("backlog is the queued transmission time still ahead", () => {
    const link = new Link(GBPS)
    link.transmit(0, 2 * MBIT)
    expect(link.backlogSeconds(0.0005)).toBeCloseTo(0.0015, 12)
    expect(link.backlogSeconds(1)).toBe(0)
  })

  test("a capacity factor slows only transfers queued after it", () => {
    const link = new Link(GBPS)
    const first = link.transmit(0, MBIT) // 0.001 at full rate
    link.setCapacityFactor(0.1)
    expect(first).toBeCloseTo(0.001, 12)
    expect(link.transmit(0, MBIT)).toBeCloseTo(0.011, 12)
    // Bytes leave at the full rate, then at a tenth of it.
    expect(link.sentBytes(0.0005)).toBeCloseTo(MBIT / 2, 6)
    expect(link.sentBytes(0.006)).toBeCloseTo(MBIT * 1.5, 6)
    expect(link.sentBytes(0.011)).toBeCloseTo(MBIT * 2, 6)
  })

  test("capacity factor must lie in (0, 1]", () => {
    const link = new Link(GBPS)
    expect(() => link.setCapacityFactor(0)).toThrow(RangeError)
    expect(() => link.setCapacityFactor(1.5)).toThrow(RangeError)
  })

  test("mean throughput counts only the measured window", () => {
    const link = new Link(GBPS)
    link.transmit(0, 100 * MBIT) // 100 Mbit of warm-up traffic, gone by 0.1 s
    link.startWindow(10)
    for (let t = 10; t < 20; t++) link.transmit(t, 50 * MBIT) // 50 Mbit each second
    expect(link.meanMbps(20)).toBeCloseTo(50, 9)
    expect(link.windowBytes(20)).toBeCloseTo(500 * MBIT, 3)
  })

  test("steps count bytes as they leave, so a backlog never reads above line rate", () => {
    const link = new Link(GBPS)
    link.transmit(0, 3000 * MBIT) // 3 s of traffic handed over at once
    expect(link.takeStep(1)).toBeCloseTo(1000 * MBIT, 3)
    expect(link.takeStep(2)).toBeCloseTo(1000 * MBIT, 3)
    expect(link.takeStep(3)).toBeCloseTo(1000 * MBIT, 3)
    expect(link.takeStep(4)).toBeCloseTo(0, 3)
    expect(link.maxStepMbps).toBeCloseTo(1000, 6)
  })

  test("the step maximum restarts with the window", () => {
    const link = new Link(GBPS)
    link.transmit(0, 800 * MBIT)
    link.takeStep(1)
    link.startWindow(1)
    expect(link.maxStepMbps).toBe(0)
    link.transmit(1, 200 * MBIT)
    link.takeStep(2)
    expect(link.maxStepMbps).toBeCloseTo(200, 6)
  })

  test("bytes sent match a per-transfer oracle under random traffic and capacity changes", () => {
    const op = fc.record({
      dt: fc.double({ min: 0, max: 0.01, noNaN: true }),
      bytes: fc.integer({ min: 0, max: 2_000_000 }),
      factor: fc.option(fc.double({ min: 0.05, max: 1, noNaN: true }), { freq: 4 }),
      probe: fc.double({ min: 0, max: 0.02, noNaN: true }),
    })
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 60 }), (ops) => {
        const link = new Link(GBPS)
        // Oracle: each transfer's bytes leave evenly between its own start and end.
        const xfers: Array<{ start: number; end: number; bytes: number }> = []
        const oracle = (t: number) =>
          xfers.reduce((sum, x) => sum + (x.end > x.start ? x.bytes * Math.min(1, Math.max(0, (t - x.start) / (x.end - x.start))) : t >= x.start ? x.bytes : 0), 0)
        let now = 0
        let factor = 1
        let freeAt = 0
        let prevSent = 0
        for (const o of ops) {
          now += o.dt
          if (o.factor !== null) {
            link.setCapacityFactor(o.factor)
            factor = o.factor
          }
          const start = Math.max(now, freeAt)
          freeAt = start + (o.bytes * 8) / (GBPS * factor)
          xfers.push({ start, end: freeAt, bytes: o.bytes })
          expect(link.transmit(now, o.bytes)).toBeCloseTo(freeAt, 9)
          const sent = link.sentBytes(now)
          expect(sent).toBeCloseTo(oracle(now), 2)
          expect(sent).toBeGreaterThanOrEqual(prevSent - 1e-6)
          prevSent = sent
        }
        // Readings later than the last transfer (a series step, the window's end).
        for (const o of ops) {
          now += o.probe
          expect(link.sentBytes(now)).toBeCloseTo(oracle(now), 2)
        }
        expect(link.sentBytes(freeAt)).toBeCloseTo(oracle(freeAt), 2)
        expect(link.backlogSeconds(freeAt)).toBe(0)
      }),
    )
  })
})

describe("Disk", () => {
  test("storage hosts above 10,000 users get 500 MB/s, others 100 MB/s", () => {
    expect(diskBytesPerSecondForUsers(10_000)).toBe(100e6)
    expect(diskBytesPerSecondForUsers(10_001)).toBe(500e6)
  })

  test("writes and reads queue on separate channels", () => {
    const disk = new Disk(100e6, 500e6)
    expect(disk.write(0, 100e6)).toBeCloseTo(1, 12)
    expect(disk.read(0, 100e6)).toBeCloseTo(0.2, 12)
    expect(disk.write(0, 50e6)).toBeCloseTo(1.5, 12)
  })

  test("a slow factor stretches later operations", () => {
    const disk = new Disk(100e6)
    disk.slowFactor = 4
    expect(disk.slowFactor).toBe(4)
    expect(disk.write(0, 100e6)).toBeCloseTo(4, 12)
    disk.slowFactor = 1
    expect(disk.read(10, 100e6)).toBeCloseTo(11, 12)
    expect(() => {
      disk.slowFactor = 0.5
    }).toThrow(RangeError)
  })

  test("throughput reads in MB/s", () => {
    const disk = new Disk(100e6)
    disk.startWindow(0)
    disk.write(0, 50e6)
    disk.read(0, 20e6)
    disk.writeChannel.takeStep(1)
    expect(disk.meanWriteMBps(2)).toBeCloseTo(25, 9)
    expect(disk.meanReadMBps(2)).toBeCloseTo(10, 9)
    expect(disk.maxWriteMBps).toBeCloseTo(50, 9)
  })
})

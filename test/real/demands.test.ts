/**
 * The experiment's demands from CPU times: with the saturation's CPU per request, the calibration's
 * surplus becomes a wake-up cost paid by the share of arrivals that find the core idle (1 − u).
 * Hand-computed: 1,000 requests in 10 s with 4.9 s of backend CPU and 0.3 s of nginx CPU
 * (u = 0.52), saturation at 4.2 ms and 0.25 ms per request: wake-ups (4.9 − 4.2)/0.48 = 1.458 ms
 * and (0.3 − 0.25)/0.48 = 0.104 ms.
 */
import { describe, expect, test } from "vitest"
import { demandsFromCpu } from "../../bench/real/calibrate.ts"

const costs = Array.from({ length: 1000 }, () => 4000)

describe("demands from CPU times", () => {
  test("without a saturation figure: CPU per request as measured, no wake-up", () => {
    const d = demandsFromCpu({ requests: 1000, nginxCpuS: 0.3, backendCpuS: 4.9, costsUs: costs, calibrationS: 10 })
    expect(d.backend.meanUs).toBeCloseTo(4900, 6)
    expect(d.nginxCpuUs).toBeCloseTo(300, 6)
    expect(d.wakeupUs).toEqual({ nginx: 0, backend: 0 })
  })

  test("with it: the saturation's demand and the surplus over the idle share", () => {
    const d = demandsFromCpu({
      requests: 1000, nginxCpuS: 0.3, backendCpuS: 4.9, costsUs: costs, calibrationS: 10,
      saturationCpuUs: { nginx: 250, backend: 4200 },
    })
    expect(d.backend.meanUs).toBeCloseTo(4200, 6)
    expect(d.nginxCpuUs).toBeCloseTo(250, 6)
    expect(d.wakeupUs.backend).toBeCloseTo(700 / 0.48, 3)
    expect(d.wakeupUs.nginx).toBeCloseTo(50 / 0.48, 3)
    expect(d.backend.kind).toBe("const") // the cost logs' spread is nil
  })

  test("a saturation costlier than the calibration gives no negative wake-up", () => {
    const d = demandsFromCpu({
      requests: 1000, nginxCpuS: 0.3, backendCpuS: 4.9, costsUs: costs, calibrationS: 10,
      saturationCpuUs: { nginx: 400, backend: 5000 },
    })
    expect(d.wakeupUs).toEqual({ nginx: 0, backend: 0 })
    expect(d.backend.meanUs).toBeCloseTo(4900, 6)
  })
})

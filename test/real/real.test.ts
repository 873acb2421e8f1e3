/**
 * The short sim-to-real experiment: a real nginx (Debian's) with one CPU-spinning backend on
 * loopback, calibrated at low load, predicted by wwsim, measured at two load levels (~60 s).
 * Loose bounds only (±30% on the mean at 50% load, ±30% on saturation throughput), so a broken
 * harness or a gross model error fails; the full experiment and its targets are `npm run real`.
 * Skips, saying why, off Linux or without nginx.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { runExperiment, type ExperimentConfig } from "../../bench/real/experiment.ts"
import { NGINX } from "../../bench/real/sut.ts"

const why = process.platform !== "linux" ? "needs Linux (/proc, taskset)"
  : !existsSync(NGINX) ? `${NGINX} is missing (npm install as root on Debian installs it)` : undefined

describe("sim-to-real, short", () => {
  it.skipIf(why !== undefined)(`wwsim predicts a real nginx within loose bounds${why === undefined ? "" : ` — skipped: ${why}`}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "wwsim-real-test-"))
    try {
      const config: ExperimentConfig = {
        name: "short", backends: 1, cpu: "const:4ms", workerProcesses: 1,
        levels: [0.5, 0.8], levelS: 15, settleS: 2,
        warmupS: 5, calibrationLoad: 0.3, calibrationS: 10, saturationS: 5, saturationConcurrency: 32,
        failure: undefined, scheduling: "ps", wakeup: true, maxFails: 1, failTimeoutS: 5, sutCore: 1, loadCore: 0, timeoutMs: 5000,
        seed: 1, nice: process.getuid?.() === 0 ? -19 : undefined, dir,
      }
      const r = await runExperiment(config, () => {})
      const half = r.rows[0]
      expect(half.measured.errorShare).toBe(0)
      expect(Math.abs(half.predicted.meanMs - half.measured.meanMs) / half.measured.meanMs).toBeLessThanOrEqual(0.3)
      expect(Math.abs(r.saturation.predicted - r.saturation.measured) / r.saturation.measured).toBeLessThanOrEqual(0.3)
      // Calibration recovers the configured demand: the spin plus the HTTP handling around it.
      expect(r.calibration.demands.backend.meanUs).toBeGreaterThan(4000)
      expect(r.calibration.demands.backend.meanUs).toBeLessThan(6000)
      expect(r.calibration.demands.backend.kind).toBe("const")
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 180_000)
})

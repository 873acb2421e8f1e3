/**
 * Invariants of the engine over random small scenarios built from the scenario core only
 * (hosts, services, workload): whatever the load, these hold for every run.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { simulate } from "../../sim/simulate.ts"
import type { LatencySummary, ServiceStats, SimReport } from "../../sim/report/Report.ts"
import type { Dist, Scenario } from "../../sim/scenario/Scenario.ts"

const ms = 0.001

/** All four kinds, with means from 0.1 ms to 20 ms. */
const dist: fc.Arbitrary<Dist> = fc.oneof(
  fc.double({ min: 0.1 * ms, max: 20 * ms, noNaN: true }).map((value): Dist => ({ kind: "const", value })),
  fc.double({ min: 0.1 * ms, max: 20 * ms, noNaN: true }).map((mean): Dist => ({ kind: "exp", mean })),
  fc
    .tuple(fc.double({ min: 0.05 * ms, max: 10 * ms, noNaN: true }), fc.double({ min: 0.01 * ms, max: 10 * ms, noNaN: true }))
    .map(([min, width]): Dist => ({ kind: "uniform", min, max: min + width })),
  fc
    .tuple(fc.double({ min: 0.1 * ms, max: 20 * ms, noNaN: true }), fc.double({ min: 0.1, max: 3, noNaN: true }))
    .map(([mean, cv]): Dist => ({ kind: "lognormal", mean, cv })),
)

const meanOf = (d: Dist): number => (d.kind === "const" ? d.value : d.kind === "uniform" ? (d.min + d.max) / 2 : d.mean)

/**
 * 1–3 host classes of 1–3 hosts with 1–8 cores; 1–3 services on any class, 1–8 workers, an
 * unbounded, zero (loss) or small InQueue; 1–3 workloads to any service; 5–20 s with 0–2 s of
 * warm-up. A workload's rate is a random load factor (0.05–1.5) times its service's capacity
 * (min(workers, cores) per host over the mean CPU time), capped at 1000/s: loads range from idle
 * to overloaded (several workloads and services can share a service or a host), with plenty near
 * saturation where queueing happens, and runs stay small (≤ ~60,000 requests).
 */
const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    hosts: fc.array(fc.record({ count: fc.integer({ min: 1, max: 3 }), cores: fc.integer({ min: 1, max: 8 }) }), { minLength: 1, maxLength: 3 }),
    services: fc.array(
      fc.record({
        host: fc.nat(),
        workers: fc.integer({ min: 1, max: 8 }),
        queue: fc.oneof(fc.constant(null), fc.constant(0), fc.integer({ min: 1, max: 10 })),
        cpu: dist,
      }),
      { minLength: 1, maxLength: 3 },
    ),
    workload: fc.array(fc.record({ to: fc.nat(), load: fc.double({ min: 0.05, max: 1.5, noNaN: true }) }), { minLength: 1, maxLength: 3 }),
    duration: fc.integer({ min: 5, max: 20 }),
    warmup: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 2, noNaN: true })),
    seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  })
  .map(({ hosts, services, workload, duration, warmup, seed }): Scenario => {
    const placed = services.map((s) => ({ ...s, host: s.host % hosts.length }))
    const rate = (to: number, load: number) => {
      const s = placed[to], h = hosts[s.host]
      return Math.min(1000, (load * Math.min(s.workers, h.cores) * h.count) / meanOf(s.cpu))
    }
    return {
      name: "random",
      seed,
      warmup,
      duration,
      hosts: Object.fromEntries(hosts.map((h, i) => [`h${i + 1}`, h])),
      services: Object.fromEntries(placed.map((s, i) => [`s${i + 1}`, { ...s, host: `h${s.host + 1}` }])),
      workload: Object.fromEntries(
        workload.map((w, i) => [`w${i + 1}`, { rate: rate(w.to % placed.length, w.load), to: `s${(w.to % placed.length) + 1}` }]),
      ),
      faults: [],
      seriesStep: null,
    }
  })

const OPTIONS = { seed: 4242, numRuns: 60 }

const run = (s: Scenario): SimReport => simulate(s).report

const kindsTo = (s: Scenario, service: string) => Object.entries(s.workload).filter(([, w]) => w.to === service).map(([k]) => k)

function expectOrdered(l: LatencySummary): void {
  const chain = [l.p50, l.p90, l.p95, l.p99, l.p999]
  for (let i = 1; i < chain.length; i++) expect(chain[i]).toBeGreaterThanOrEqual(chain[i - 1])
  // Percentiles are bucket upper bounds (≤ 0.1% above the value, report rounded to 1 µs);
  // max is exact.
  expect(l.p999).toBeLessThanOrEqual(l.max * 1.001 + 0.001)
  expect(l.p50).toBeGreaterThanOrEqual(0)
  expect(l.mean).toBeLessThanOrEqual(l.max + 0.001)
}

/** Both the service level and each instance. */
const allStats = (r: SimReport, name: string): ServiceStats[] => [r.services[name], ...Object.values(r.services[name].instances)]

describe("engine invariants over random scenarios", () => {
  it("the same scenario and seed give the identical report, byte for byte; another seed does not", () => {
    const withoutSeed = (r: SimReport) => JSON.stringify({ ...r, seed: 0 })
    fc.assert(
      fc.property(scenario, (s) => {
        const first = run(s)
        expect(JSON.stringify(run(structuredClone(s)))).toBe(JSON.stringify(first))
        // So that the seed is not simply ignored (every run here has hundreds of arrivals).
        expect(withoutSeed(run({ ...s, seed: s.seed + 1 }))).not.toBe(withoutSeed(first))
      }),
      { ...OPTIONS, numRuns: 30 },
    )
  })

  it("every request is accounted for: ok + failed + rejected + inFlight = issued, codes add up", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const r = run(s)
        for (const [name, k] of Object.entries(r.requests)) {
          expect(k.ok + k.failed + k.rejected + k.inFlight, name).toBe(k.issued)
          for (const n of [k.ok, k.failed, k.rejected, k.inFlight]) expect(Number.isInteger(n) && n >= 0).toBe(true)
          const codes = Object.entries(k.codes)
          expect(codes.reduce((a, [, n]) => a + n, 0)).toBe(k.ok + k.failed + k.rejected)
          expect(k.codes["0"] ?? 0).toBe(k.ok)
          for (const [code, n] of codes) {
            expect(Number.isInteger(Number(code))).toBe(true)
            expect(n).toBeGreaterThan(0)
          }
          // The core has no timeouts or faults: a request is either served or refused at a full InQueue.
          expect(k.failed).toBe(0)
          expect(k.codes["-206"] ?? 0).toBe(k.rejected)
        }
        for (const [name, spec] of Object.entries(s.services)) {
          // Refusal is instant at arrival, so a service's rejects are its callers' rejects.
          const rejected = kindsTo(s, name).reduce((a, k) => a + r.requests[k].rejected, 0)
          expect(r.services[name].rejected, name).toBe(rejected)
          if (spec.queue === null) expect(rejected).toBe(0)
          const instances = Object.values(r.services[name].instances)
          expect(instances.reduce((a, i) => a + i.served, 0)).toBe(r.services[name].served)
          expect(instances.reduce((a, i) => a + i.rejected, 0)).toBe(r.services[name].rejected)
        }
      }),
      OPTIONS,
    )
  })

  it("utilization and cpuUtil lie in [0, 1]; InQueue depth stays within the queue's capacity", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const r = run(s)
        for (const [name, spec] of Object.entries(s.services)) {
          const instances = Object.keys(r.services[name].instances).length
          for (const st of allStats(r, name)) {
            expect(st.utilization).toBeGreaterThanOrEqual(0)
            expect(st.utilization).toBeLessThanOrEqual(1)
            expect(st.queueDepth.mean).toBeGreaterThanOrEqual(0)
            expect(st.queueDepth.mean).toBeLessThanOrEqual(st.queueDepth.max + 1e-6)
          }
          if (spec.queue !== null) expect(r.services[name].queueDepth.max).toBeLessThanOrEqual(spec.queue * instances)
        }
        for (const h of Object.values(r.hosts)) {
          expect(h.cpuUtil).toBeGreaterThanOrEqual(0)
          expect(h.cpuUtil).toBeLessThanOrEqual(1)
        }
        // The per-step series too.
        const steps = [
          ...Object.values(r.series.services).map((x) => x.utilization),
          ...Object.values(r.series.hosts).map((x) => x.cpuUtil),
        ]
        for (const series of steps) {
          expect(series.length).toBe(r.series.t.length)
          for (const x of series) expect(x >= 0 && x <= 1, `step value ${x}`).toBe(true)
        }
      }),
      OPTIONS,
    )
  })

  it("percentiles are ordered: p50 ≤ p90 ≤ p95 ≤ p99 ≤ p999 ≤ max", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const r = run(s)
        for (const k of Object.values(r.requests)) if (k.ok > 0) expectOrdered(k.latencyMs)
        for (const name of Object.keys(s.services)) {
          for (const st of allStats(r, name)) {
            const q = st.queueWaitMs
            expect(q.p50).toBeLessThanOrEqual(q.p99)
            expect(q.p99).toBeLessThanOrEqual(q.max * 1.001 + 0.001)
            expect(q.mean).toBeLessThanOrEqual(q.max + 0.001)
          }
        }
      }),
      OPTIONS,
    )
  })
})

/**
 * Little's law for the InQueue, per instance: time-average depth L = λ·W, with λ the rate of
 * calls through the queue and W their mean wait (zeros included).
 *
 * On one sample path this is not a statistical statement: the window's queue area ∫Q dt and the
 * sum of the recorded waits Σw are the same integral except at the window's edges (checked
 * against the engine's internals while writing this: with the calls still queued at the end
 * added back, the two agree to the last bit). So the tolerance is a bound on the edge terms, not
 * a standard error — a relative tolerance would not do: in 5–20 s runs one long lognormal service
 * time near the end leaves a queue whose unrecorded waits are 10–20% of the area:
 * - calls queued at the window's start have their pre-window wait in Σw but not in the area —
 *   at most `queueDepth.max` calls, each wait ≤ the largest recorded wait;
 * - calls queued at its end have their in-window wait in the area but not in Σw — at most
 *   `queueDepth.max` calls; their waits are not recorded, so we allow twice the largest recorded
 *   wait (FIFO: they are younger than the head, which in a queue that is not growing has waited
 *   no longer than the waits before it — see the gate);
 * - λ is served/T, whose count differs from the recorded waits' count by at most the calls in
 *   service at the edges: ≤ workers·W/T;
 * - report rounding: depth to 1e-6, wait to 1 µs: λ·0.5 µs + 1e-6.
 * Gate: the end bound assumes the queue is not growing, so the check runs only where the
 * instance had spare workers and its host spare cores (utilization, cpuUtil ≤ 0.9: with shared
 * cores a host near saturation builds InQueues while its workers sit waiting for a core), and
 * served ≥ 50. Calibration over ~4,000 random scenarios: the largest edge-driven gap was 0.2 of
 * this bound; gaps up to 0.96 of it occur only where the mean wait is below the report's 1 µs
 * rounding, whose term is exact.
 *
 * The bound is loose for short, lightly loaded runs, so a second check is made in aggregate over
 * all instances checked: Σ|L − λW| ≤ 2% of ΣL (measured 0.13–0.39% over six generator seeds).
 * A systematic error in either statistic — waits that leave out the zeros, a depth that counts
 * calls in service — fails it.
 */
describe("Little's law for the InQueue", () => {
  it("queueDepth.mean ≈ (served / T) · queueWaitMs.mean on every instance with spare capacity", () => {
    let runs = 0, checked = 0, worst = 0, sumGap = 0, sumL = 0
    fc.assert(
      fc.property(scenario, (s) => {
        const r = run(s)
        runs++
        for (const [name, spec] of Object.entries(s.services)) {
          for (const [host, inst] of Object.entries(r.services[name].instances)) {
            if (inst.utilization > 0.9 || r.hosts[host].cpuUtil > 0.9 || inst.served < 50) continue
            const l = inst.queueDepth.mean
            const w = inst.queueWaitMs.mean / 1000
            const maxWait = inst.queueWaitMs.max / 1000
            const lambda = inst.served / s.duration
            const edges = (inst.queueDepth.max * maxWait + inst.queueDepth.max * 2 * maxWait) / s.duration
            const count = (spec.workers * w) / s.duration
            const rounding = lambda * 0.5e-6 + 1e-6
            const tolerance = edges + count + rounding
            const gap = Math.abs(l - lambda * w)
            worst = Math.max(worst, gap / tolerance)
            sumGap += gap
            sumL += l
            checked++
            expect(gap, `${name} on ${host}: L = ${l}, λW = ${lambda * w}`).toBeLessThanOrEqual(tolerance)
          }
        }
      }),
      { seed: 4242, numRuns: 150 },
    )
    if (process.env.LITTLE_STATS) console.log({ runs, checked, worstFractionOfBound: worst, aggregate: sumGap / sumL, sumL })
    // Not vacuous: on average more than one instance per run is checked, with real queues.
    expect(checked).toBeGreaterThan(runs)
    expect(sumL).toBeGreaterThan(3)
    expect(sumGap).toBeLessThanOrEqual(0.02 * sumL)
  })
})

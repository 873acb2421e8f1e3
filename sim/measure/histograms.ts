/**
 * Latency histograms across replications and shards: each kind's HDR histogram of a run,
 * encoded (hdr-histogram-js compressed base64), pooled by adding bucket counts (exact, in any
 * order), and the pooled percentiles `replications.latencyPooled` reports.
 */
import * as hdr from "hdr-histogram-js"
import type { PooledLatency } from "../report/Report.ts"
import type { LatencyRecorder } from "../stats/LatencyRecorder.ts"

/** Kind name → that kind's ok-request latencies (µs), hdr-histogram-js compressed base64. */
export type EncodedHistograms = Readonly<Record<string, string>>

/** The layout of `LatencyRecorder.toHistogram()`: 1 µs .. 2^42 µs, 3 significant digits. */
const emptyHistogram = (): hdr.Histogram =>
  hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 2 ** 42, numberOfSignificantValueDigits: 3, bitBucketSize: 64 })

/**
 * Each kind's latency histogram of a finished run, encoded.
 *
 * @example
 * encodeKinds(engine.model.kinds) // { ping: "HISTFAA…" }
 */
export function encodeKinds(kinds: ReadonlyArray<{ readonly name: string; readonly latency: LatencyRecorder }>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const k of kinds) out[k.name] = hdr.encodeIntoCompressedBase64(k.latency.toHistogram())
  return out
}

/**
 * Pooled histograms per kind, in the order kinds are first added. Adding counts is exact and
 * commutative, so pooling replications 0..R−1 in one go or shard by shard gives the same counts.
 *
 * @example
 * const pool = new HistogramPool(); pool.add(result.histograms); pool.encode()
 */
export class HistogramPool {
  private readonly kinds = new Map<string, hdr.Histogram>()

  add(encoded: EncodedHistograms): void {
    for (const [kind, b64] of Object.entries(encoded)) {
      let pooled = this.kinds.get(kind)
      if (pooled === undefined) this.kinds.set(kind, (pooled = emptyHistogram()))
      pooled.add(hdr.decodeFromCompressedBase64(b64, 64, false))
    }
  }

  /** The pooled histograms, encoded (for a shard's partial report). */
  encode(): Record<string, string> {
    const out: Record<string, string> = {}
    for (const [kind, h] of this.kinds) out[kind] = hdr.encodeIntoCompressedBase64(h)
    return out
  }

  /**
   * Per kind: ok requests pooled over the replications and their percentiles in ms (3 decimals),
   * by the library's rules; `mean` and `max` are at the histogram's resolution (3 digits), unlike
   * a single run's exact mean. Kinds with no ok request in any replication are left out.
   */
  percentiles(): Record<string, PooledLatency> {
    const ms = (us: number) => Math.round(us) / 1000
    const out: Record<string, PooledLatency> = {}
    for (const [kind, h] of this.kinds) {
      if (h.totalCount === 0) continue
      const at = (p: number) => ms(h.getValueAtPercentile(p))
      out[kind] = {
        count: h.totalCount,
        mean: Math.round(h.mean) / 1000,
        p50: at(50), p90: at(90), p95: at(95), p99: at(99), p999: at(99.9),
        max: ms(h.maxValue),
      }
    }
    return out
  }
}

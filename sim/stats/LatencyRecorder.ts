import * as hdr from "hdr-histogram-js"

// HDR layout with 3 significant digits and 1 µs resolution: 2,048 sub-buckets, the upper half
// of each power-of-two bucket indexed by the value's top bits.
const SUB_BUCKET_HALF_MAGNITUDE = 10
const SUB_BUCKET_HALF = 1 << SUB_BUCKET_HALF_MAGNITUDE
/** Largest value recorded, in µs (~50 days); larger values are clamped to it. */
const HIGHEST_US = 2 ** 42
/** Buckets per block: each block's total is kept too, so percentile scans skip whole blocks. */
const BLOCK_BITS = 6
const BLOCK = 1 << BLOCK_BITS
/** "No bucket yet" for the occupied range; a Smi, so the field never changes representation. */
const NONE = 0x3fffffff

function indexOf(us: number): number {
  if (us < 2 * SUB_BUCKET_HALF) return us
  const log2 = us < 0x80000000 ? 31 - Math.clz32(us) : Math.floor(Math.log2(us))
  const bucket = log2 - SUB_BUCKET_HALF_MAGNITUDE
  const sub = us < 0x100000000 ? us >>> bucket : Math.floor(us / 2 ** bucket)
  return bucket * SUB_BUCKET_HALF + sub
}

/** The bucket of a duration in seconds. */
function bucketOf(seconds: number): number {
  // Below ~35 minutes the µs value fits an int32: `| 0` rounds as Math.round does for x ≥ 0, faster.
  const us = seconds < 2000 ? (seconds * 1e6 + 0.5) | 0 : Math.min(Math.round(seconds * 1e6), HIGHEST_US)
  return us < 2 * SUB_BUCKET_HALF ? us : indexOf(us)
}

function valueAt(index: number): number {
  let bucket = (index >> SUB_BUCKET_HALF_MAGNITUDE) - 1
  let sub = (index & (SUB_BUCKET_HALF - 1)) + SUB_BUCKET_HALF
  if (bucket < 0) {
    sub -= SUB_BUCKET_HALF
    bucket = 0
  }
  return sub * 2 ** bucket
}

/** Latency summary in milliseconds. */
export interface Percentiles {
  readonly mean: number
  readonly p50: number
  readonly p90: number
  readonly p95: number
  readonly p99: number
  readonly p999: number
  readonly max: number
}

/**
 * Records durations in hdr-histogram-js's bucket layout (3 significant digits, 1 µs .. ~50 days).
 *
 * Why not the library's own `recordValue` on the hot path: it measured ~180 ns a call here (two
 * `Math.log2`, a `pow`), more than the rest of a customer's events together, and its percentile
 * query scans every bucket. Recording here is an index computation and an increment; the layout is
 * the library's, so `toHistogram()` hands the exact same histogram to it for merging and encoding,
 * and tests pin percentiles to the library's answers. Memory is fixed by the value range, never by
 * the number of values.
 *
 * @example
 * const r = new LatencyRecorder()
 * r.record(0.012) // 12 ms
 * r.percentiles().p99 // ≈ 12
 */
export class LatencyRecorder {
  count = 0
  /** Exact sum and max in seconds: means are not bucketed. */
  sum = 0
  max = 0
  private counts = new Float64Array(16 * SUB_BUCKET_HALF)
  /** `blocks[b]` = the sum of `counts` over block b (buckets b·64 … b·64 + 63). */
  private blocks = new Float64Array((16 * SUB_BUCKET_HALF) >> BLOCK_BITS)
  private lo = NONE
  private hi = -1
  private histogram: hdr.Histogram | undefined

  record(seconds: number): void {
    this.recordAt(bucketOf(seconds), seconds)
  }

  /** Records one value here and in `other` (same layout), computing its bucket once. */
  recordBoth(other: LatencyRecorder, seconds: number): void {
    const i = bucketOf(seconds)
    this.recordAt(i, seconds)
    other.recordAt(i, seconds)
  }

  private recordAt(i: number, seconds: number): void {
    if (i >= this.counts.length) this.grow(i)
    this.counts[i]++
    this.blocks[i >> BLOCK_BITS]++
    if (i < this.lo) this.lo = i
    if (i > this.hi) this.hi = i
    this.count++
    this.sum += seconds
    if (seconds > this.max) this.max = seconds
  }

  /** Records a zero (a request that found a free worker): the common case, without the arithmetic. */
  recordZero(): void {
    this.counts[0]++
    this.blocks[0]++
    this.lo = 0
    if (this.hi < 0) this.hi = 0
    this.count++
  }

  /** Adds every value of this recorder into `other`. */
  addTo(other: LatencyRecorder): void {
    for (let i = this.lo; i <= this.hi; i++) {
      const c = this.counts[i]
      if (c === 0) continue
      if (i >= other.counts.length) other.grow(i)
      other.counts[i] += c
      other.blocks[i >> BLOCK_BITS] += c
    }
    if (this.count === 0) return
    if (this.lo < other.lo) other.lo = this.lo
    if (this.hi > other.hi) other.hi = this.hi
    other.count += this.count
    other.sum += this.sum
    if (this.max > other.max) other.max = this.max
  }

  clear(): void {
    if (this.hi >= 0) {
      this.counts.fill(0, this.lo, this.hi + 1)
      this.blocks.fill(0, this.lo >> BLOCK_BITS, (this.hi >> BLOCK_BITS) + 1)
    }
    this.lo = NONE
    this.hi = -1
    this.count = 0
    this.sum = 0
    this.max = 0
  }

  /** The values as a hdr-histogram-js histogram in µs (for percentiles, merging, encoding). */
  toHistogram(): hdr.Histogram {
    const h = (this.histogram ??= hdr.build({
      lowestDiscernibleValue: 1,
      highestTrackableValue: HIGHEST_US,
      numberOfSignificantValueDigits: 3,
      bitBucketSize: 64,
    }))
    h.reset()
    for (let i = this.lo; i <= this.hi; i++) {
      const c = this.counts[i]
      if (c !== 0) h.recordValueWithCount(valueAt(i), c)
    }
    return h
  }

  /**
   * Value at a percentile (0–100) in µs, by the library's own rule (the highest value equivalent
   * to the bucket where the cumulative count reaches the rank), scanning only the occupied range;
   * the library scans all ~33,000 buckets per call. A test pins the two to equality.
   */
  valueAtPercentile(p: number): number {
    if (this.count === 0) return 0
    const rank = this.rankOf(p)
    let total = 0
    for (let i = this.lo; i <= this.hi; i++) {
      total += this.counts[i]
      if (total >= rank) {
        const lowest = valueAt(i)
        if (p === 0) return lowest
        const bucket = Math.max((i >> SUB_BUCKET_HALF_MAGNITUDE) - 1, 0)
        return lowest + 2 ** bucket - 1
      }
    }
    return 0
  }

  /**
   * Values at several percentiles (ascending, each above 0) in µs, into `out`, in one scan of the
   * occupied range; each equals `valueAtPercentile` of it.
   */
  valuesAtPercentiles(ps: ReadonlyArray<number>, out: number[]): void {
    const counts = this.counts, blocks = this.blocks, hi = this.hi
    let k = 0
    let rank = this.count === 0 ? Infinity : this.rankOf(ps[0])
    // `total` counts every value in buckets below i; a block the next rank lies beyond is skipped whole.
    let total = 0
    let i = this.lo & ~(BLOCK - 1)
    while (k < ps.length && i <= hi) {
      if ((i & (BLOCK - 1)) === 0 && total + blocks[i >> BLOCK_BITS] < rank) {
        total += blocks[i >> BLOCK_BITS]
        i += BLOCK
        continue
      }
      total += counts[i]
      while (k < ps.length && total >= rank) {
        out[k++] = valueAt(i) + 2 ** Math.max((i >> SUB_BUCKET_HALF_MAGNITUDE) - 1, 0) - 1
        if (k < ps.length) rank = this.rankOf(ps[k])
      }
      i++
    }
    while (k < ps.length) out[k++] = 0
  }

  /** The library's rank of a percentile: the count the cumulative count must reach. */
  private rankOf(p: number): number {
    const fp = (Math.min(p, 100) / 100) * this.count
    return Math.max(Math.ceil(fp - fp * Number.EPSILON), 1)
  }

  /** Value at a percentile (0–100) in ms; 0 when empty. */
  percentileMs(p: number): number {
    return this.valueAtPercentile(p) / 1000
  }

  /** Mean, percentiles and max in ms; zeros when empty. */
  percentiles(): Percentiles {
    if (this.count === 0) return { mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 }
    const at = (p: number) => this.valueAtPercentile(p) / 1000
    return {
      mean: (this.sum / this.count) * 1000,
      p50: at(50),
      p90: at(90),
      p95: at(95),
      p99: at(99),
      p999: at(99.9),
      max: this.max * 1000,
    }
  }

  private grow(index: number): void {
    let cap = this.counts.length
    while (cap <= index) cap *= 2
    const next = new Float64Array(cap)
    next.set(this.counts)
    this.counts = next
    const blocks = new Float64Array(cap >> BLOCK_BITS)
    blocks.set(this.blocks)
    this.blocks = blocks
  }
}

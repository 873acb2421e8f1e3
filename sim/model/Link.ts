/**
 * One direction of a NIC (or one disk channel): transfers are serialised FIFO at the link's rate,
 * computed without events. `transmit` returns when the last byte leaves; the caller schedules the
 * arrival at that time plus any propagation delay.
 *
 * Traffic statistics count bytes as they *leave* (fluid: a transfer's bytes leave evenly between
 * its start and end), not when they are handed over, so a backlogged link reads at most its
 * capacity in every step instead of showing a burst above line rate.
 *
 * @example
 * const nic = new Link(1e9)              // 1000 Mbps
 * nic.transmit(0, 125_000)               // 0.001: 1 Mbit at 1 Gbps
 * nic.transmit(0, 125_000)               // 0.002: waits behind the first
 * nic.backlogSeconds(0.0005)             // 0.0015
 */
export class Link {
  readonly bitsPerSecond: number
  /** Largest per-step throughput (Mbps) among steps taken since the window started. */
  maxStepMbps = 0
  private factor = 1
  /** Current rate in bytes/s (capacity × factor). */
  private rate: number
  private freeAt = 0
  /** Bytes ever handed to `transmit`. */
  private enqueued = 0
  // Backlog queued at an older rate: after a capacity change the queued transfers keep their
  // rate, so the future schedule is a run of segments ending at `epochUntil[i]` at `epochRate[i]`,
  // then the current rate up to `freeAt`. Only a capacity change with a backlog pushes one: rare.
  private epochUntil: number[] = []
  private epochRate: number[] = []
  private epochHead = 0
  private windowStart = 0
  private windowBase = 0
  private stepAt = 0
  private stepBase = 0

  constructor(bitsPerSecond: number) {
    if (!(bitsPerSecond > 0) || !Number.isFinite(bitsPerSecond)) throw new RangeError(`Link bandwidth must be positive, got ${bitsPerSecond}`)
    this.bitsPerSecond = bitsPerSecond
    this.rate = bitsPerSecond / 8
  }

  /** Queues `bytes` at `now`; returns the time its last byte leaves. */
  transmit(now: number, bytes: number): number {
    let start = this.freeAt
    if (now >= start) {
      start = now
      this.clearEpochs()
    }
    this.freeAt = start + bytes / this.rate
    this.enqueued += bytes
    return this.freeAt
  }

  /**
   * Scales the capacity (0 < f ≤ 1, e.g. a NIC renegotiated to 100 Mbps is 0.1) for transfers
   * queued after this call; transfers already queued keep their rate.
   */
  setCapacityFactor(f: number): void {
    if (!(f > 0 && f <= 1)) throw new RangeError(`capacity factor must be in (0, 1], got ${f}`)
    if (f === this.factor) return
    // Without `now` we cannot tell whether a backlog remains; an epoch already in the past is
    // dropped at the next reading, so recording it unconditionally is harmless.
    if (this.enqueued > 0) {
      this.epochUntil.push(this.freeAt)
      this.epochRate.push(this.rate)
    }
    this.factor = f
    this.rate = (this.bitsPerSecond / 8) * f
  }

  get capacityFactor(): number {
    return this.factor
  }

  /** Seconds of queued transmission still ahead at `now` (a newly queued transfer waits this long). */
  backlogSeconds(now: number): number {
    return this.freeAt > now ? this.freeAt - now : 0
  }

  /** Bytes that have left the link by `now` (since time 0). */
  sentBytes(now: number): number {
    return this.enqueued - this.backlogBytes(now)
  }

  /** Starts the measured window at `now`: window bytes and the step maximum start here. */
  startWindow(now: number): void {
    this.windowStart = now
    this.windowBase = this.sentBytes(now)
    this.maxStepMbps = 0
  }

  /** Bytes that left the link within the measured window, up to `now`. */
  windowBytes(now: number): number {
    return this.sentBytes(now) - this.windowBase
  }

  /** Mean throughput over the measured window, in Mbps (10^6 bits/s). */
  meanMbps(now: number): number {
    const span = now - this.windowStart
    return span > 0 ? (this.windowBytes(now) * 8) / span / 1e6 : 0
  }

  /**
   * Bytes that left since the previous call (or time 0), for one series step; also updates
   * `maxStepMbps` when the step lies inside the measured window.
   */
  takeStep(now: number): number {
    const sent = this.sentBytes(now)
    const bytes = sent - this.stepBase
    const span = now - this.stepAt
    if (span > 0 && this.stepAt >= this.windowStart) {
      const mbps = (bytes * 8) / span / 1e6
      if (mbps > this.maxStepMbps) this.maxStepMbps = mbps
    }
    this.stepBase = sent
    this.stepAt = now
    return bytes
  }

  private backlogBytes(now: number): number {
    if (this.freeAt <= now) {
      this.clearEpochs()
      return 0
    }
    let bytes = 0
    let from = now
    while (this.epochHead < this.epochUntil.length && this.epochUntil[this.epochHead] <= now) this.epochHead++
    if (this.epochHead === this.epochUntil.length) this.clearEpochs()
    for (let i = this.epochHead; i < this.epochUntil.length; i++) {
      const until = this.epochUntil[i]
      bytes += this.epochRate[i] * (until - from)
      from = until
    }
    return bytes + this.rate * (this.freeAt - from)
  }

  private clearEpochs(): void {
    if (this.epochUntil.length === 0) return
    this.epochUntil.length = 0
    this.epochRate.length = 0
    this.epochHead = 0
  }
}

/** docs/model.md §1 Hardware: 100 MB/s for sequential write and random read, 500 MB/s above 10,000 users. */
export function diskBytesPerSecondForUsers(users: number): number {
  return users > 10_000 ? 500e6 : 100e6
}

/**
 * The disk of a storage host: a sequential-write channel and a random-read channel, each a FIFO at
 * its own bandwidth in bytes/s (MB = 10^6 bytes, as disk vendors and the seed count).
 *
 * @example
 * const disk = new Disk(diskBytesPerSecondForUsers(20_000)) // 500 MB/s each way
 * const done = disk.write(now, 1024)
 * disk.slowFactor = 4                                       // a failing disk: 4× slower from now on
 */
export class Disk {
  readonly writeChannel: Link
  readonly readChannel: Link
  /** Operations per second, when the disk has an IOPS limit: each read or write is one operation, FIFO. */
  readonly opsChannel: Link | null
  private slow = 1

  constructor(writeBytesPerS: number, readBytesPerS = writeBytesPerS, iops: number | null = null) {
    this.writeChannel = new Link(writeBytesPerS * 8)
    this.readChannel = new Link(readBytesPerS * 8)
    // One "byte" per operation: a Link at 8 × iops bits/s serialises iops operations a second.
    this.opsChannel = iops === null ? null : new Link(iops * 8)
  }

  /** Queues a sequential write; returns its completion time. */
  write(now: number, bytes: number): number {
    const t = this.opsChannel === null ? now : this.opsChannel.transmit(now, 1)
    return this.writeChannel.transmit(t, bytes)
  }

  /** Queues a random read; returns its completion time. */
  read(now: number, bytes: number): number {
    const t = this.opsChannel === null ? now : this.opsChannel.transmit(now, 1)
    return this.readChannel.transmit(t, bytes)
  }

  /**
   * How many times slower than nominal (≥ 1) the disk is, for operations queued after the change
   * (queued ones keep their rate). 1 restores it.
   */
  get slowFactor(): number {
    return this.slow
  }

  set slowFactor(f: number) {
    if (!(f >= 1) || !Number.isFinite(f)) throw new RangeError(`slow factor must be ≥ 1, got ${f}`)
    this.slow = f
    this.writeChannel.setCapacityFactor(1 / f)
    this.readChannel.setCapacityFactor(1 / f)
  }

  startWindow(now: number): void {
    this.writeChannel.startWindow(now)
    this.readChannel.startWindow(now)
  }

  /** Mean write throughput over the measured window, MB/s. */
  meanWriteMBps(now: number): number {
    return this.writeChannel.meanMbps(now) / 8
  }

  /** Mean read throughput over the measured window, MB/s. */
  meanReadMBps(now: number): number {
    return this.readChannel.meanMbps(now) / 8
  }

  /** Largest per-step write throughput in the window, MB/s (steps taken on `writeChannel`). */
  get maxWriteMBps(): number {
    return this.writeChannel.maxStepMbps / 8
  }

  /** Largest per-step read throughput in the window, MB/s (steps taken on `readChannel`). */
  get maxReadMBps(): number {
    return this.readChannel.maxStepMbps / 8
  }
}

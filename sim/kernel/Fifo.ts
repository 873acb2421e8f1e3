/**
 * A growable ring-buffer FIFO: O(1) push and shift with no per-item allocation.
 * Used for InQueues and the core queue of a host.
 *
 * @example
 * const q = new Fifo<string>(); q.push("a"); q.push("b"); q.shift() // "a"
 */
export class Fifo<T> {
  private items: Array<T | undefined>
  private head = 0
  length = 0

  constructor(capacity = 16) {
    let cap = 1
    while (cap < capacity) cap <<= 1
    this.items = new Array(cap)
  }

  push(item: T): void {
    if (this.length === this.items.length) this.grow()
    this.items[(this.head + this.length) & (this.items.length - 1)] = item
    this.length++
  }

  /** The oldest item, left in place; undefined when empty. */
  peek(): T | undefined {
    return this.length === 0 ? undefined : this.items[this.head]
  }

  /** Removes and returns the oldest item; undefined when empty. */
  shift(): T | undefined {
    if (this.length === 0) return undefined
    const item = this.items[this.head]
    this.items[this.head] = undefined
    this.head = (this.head + 1) & (this.items.length - 1)
    this.length--
    return item
  }

  /** Removes every item, calling `f` on each in FIFO order. */
  drain(f: (item: T) => void): void {
    while (this.length > 0) f(this.shift() as T)
  }

  private grow(): void {
    const old = this.items
    const next = new Array<T | undefined>(old.length * 2)
    for (let k = 0; k < this.length; k++) next[k] = old[(this.head + k) & (old.length - 1)]
    this.items = next
    this.head = 0
  }
}

/**
 * A FIFO of numbers in a growable Float64Array ring: no boxing, no per-item allocation.
 *
 * @example
 * const q = new NumberFifo(); q.push(1.5); q.peek() // 1.5
 */
export class NumberFifo {
  private items: Float64Array
  private head = 0
  length = 0

  constructor(capacity = 16) {
    let cap = 1
    while (cap < capacity) cap <<= 1
    this.items = new Float64Array(cap)
  }

  push(x: number): void {
    if (this.length === this.items.length) this.grow()
    this.items[(this.head + this.length) & (this.items.length - 1)] = x
    this.length++
  }

  /** The oldest number; NaN when empty. */
  peek(): number {
    return this.length === 0 ? NaN : this.items[this.head]
  }

  /** Removes and returns the oldest number; NaN when empty. */
  shift(): number {
    if (this.length === 0) return NaN
    const x = this.items[this.head]
    this.head = (this.head + 1) & (this.items.length - 1)
    this.length--
    return x
  }

  private grow(): void {
    const old = this.items
    const next = new Float64Array(old.length * 2)
    for (let k = 0; k < this.length; k++) next[k] = old[(this.head + k) & (old.length - 1)]
    this.items = next
    this.head = 0
  }
}

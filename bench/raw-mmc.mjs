// The reference: a minimal M/M/c simulation in plain JavaScript — a binary heap of
// (time, type) events, a FIFO array queue, Math.random — with no statistics beyond the mean wait.
// wwsim's bench compares its whole-process speed on the same model against this loop's.
// Usage: node bench/raw-mmc.mjs <servers> <lambda> <meanService> <customers>
const [c, lambda, meanS, customers] = process.argv.slice(2).map(Number)
const t0 = performance.now()
const times = new Float64Array(1024), kinds = new Int8Array(1024)
let size = 0
function push(t, k) {
  let i = size++
  while (i > 0) {
    const p = (i - 1) >> 1
    if (times[p] <= t) break
    times[i] = times[p]; kinds[i] = kinds[p]; i = p
  }
  times[i] = t; kinds[i] = k
}
function pop() {
  const last = --size, t = times[last], k = kinds[last]
  let i = 0
  for (;;) {
    let ch = 2 * i + 1
    if (ch >= size) break
    if (ch + 1 < size && times[ch + 1] < times[ch]) ch++
    if (t <= times[ch]) break
    times[i] = times[ch]; kinds[i] = kinds[ch]; i = ch
  }
  times[i] = t; kinds[i] = k
}
const exp = (mean) => -mean * Math.log(1 - Math.random())
const queue = []
let head = 0, busy = 0, arrived = 0, served = 0, waitSum = 0, events = 0
push(exp(1 / lambda), 0)
while (served < customers) {
  const now = times[0], kind = kinds[0]
  pop(); events++
  if (kind === 0) {
    arrived++
    if (arrived < customers) push(now + exp(1 / lambda), 0)
    if (busy < c) { busy++; push(now + exp(meanS), 1) } else queue.push(now)
  } else {
    served++
    if (head < queue.length) { waitSum += now - queue[head++]; push(now + exp(meanS), 1) } else busy--
  }
}
const wallS = (performance.now() - t0) / 1000
console.log(JSON.stringify({ customers: served, events, loopS: wallS, meanWaitMs: (waitSum / served) * 1000 }))

/**
 * The calibration page: one self-contained HTML file (inline SVG and CSS, no script) with, per
 * host class, measured CPU over time against the calibrated model's (fitted demands × measured
 * rates + background), per kind the measured rate and mean $request_time over time against the
 * simulated latency, and the validation table. Every name is escaped: a hostile log cannot
 * inject markup.
 */
import type { Calibration } from "./estimate.ts"
import type { Validation } from "./validate.ts"

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
const W = 720, H = 200, L = 56, R = 12, T = 12, B = 28

interface Line { readonly name: string; readonly color: string; readonly ys: ReadonlyArray<number>; readonly dashed?: boolean }

function chart(title: string, t: ReadonlyArray<number>, lines: ReadonlyArray<Line>, unit: string): string {
  const all = lines.flatMap((l) => l.ys.filter(Number.isFinite))
  const yMax = Math.max(1e-9, ...all) * 1.1
  const t0 = t[0] ?? 0, t1 = t[t.length - 1] ?? 1
  const x = (v: number) => L + ((v - t0) / Math.max(1e-9, t1 - t0)) * (W - L - R)
  const y = (v: number) => T + (1 - v / yMax) * (H - T - B)
  const paths = lines.map((l) => {
    let d = ""
    l.ys.forEach((v, i) => { if (Number.isFinite(v)) d += `${d === "" || !Number.isFinite(l.ys[i - 1]) ? "M" : "L"}${x(t[i]).toFixed(1)},${y(v).toFixed(1)}` })
    return `<path d="${d}" fill="none" stroke="${l.color}" stroke-width="1.5"${l.dashed === true ? ' stroke-dasharray="5,3"' : ""}/>`
  }).join("")
  const ticks = [0, 0.5, 1].map((f) => `<text x="${L - 4}" y="${y(f * yMax) + 4}" text-anchor="end">${+(f * yMax).toPrecision(3)}</text><line x1="${L}" x2="${W - R}" y1="${y(f * yMax)}" y2="${y(f * yMax)}" stroke="#ddd"/>`).join("")
  const time = (v: number) => new Date(v * 1000).toISOString().slice(11, 16)
  const xt = [t0, (t0 + t1) / 2, t1].map((v) => `<text x="${x(v)}" y="${H - 8}" text-anchor="middle">${time(v)}</text>`).join("")
  const legend = lines.map((l) => `<span class="key"><svg width="22" height="8"><line x1="0" x2="22" y1="4" y2="4" stroke="${l.color}" stroke-width="2"${l.dashed === true ? ' stroke-dasharray="5,3"' : ""}/></svg> ${esc(l.name)}</span>`).join(" ")
  return `<figure><figcaption>${esc(title)} <small>(${esc(unit)}, UTC)</small></figcaption><svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">${ticks}${xt}${paths}</svg><div>${legend}</div></figure>`
}

const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]

/**
 * The page's HTML.
 *
 * @example
 * writeFileSync("calibration.html", calibrationPage(cal, validation, "access.log"))
 */
export function calibrationPage(cal: Calibration, validation: Validation | undefined, title: string): string {
  const figures: string[] = []
  for (const [cls, e] of Object.entries(cal.classes)) {
    const total = e.cores * e.hosts.length
    figures.push(chart(`${cls}: CPU measured vs calibrated model (R² ${e.fit.r2.toFixed(3)})`, e.t, [
      { name: "measured", color: COLORS[0], ys: e.measured.map((v) => (100 * v) / total) },
      { name: "model: background + Σ demand × rate", color: COLORS[1], ys: e.fit.fitted.map((v) => (100 * v) / total), dashed: true },
    ], "% of cores"))
  }
  const kinds = Object.keys(cal.kinds)
  figures.push(chart("requests per second, measured", cal.rates.t, kinds.map((k, i) => ({ name: k, color: COLORS[i % COLORS.length], ys: cal.rates.perKind[k] })), "/s"))
  kinds.forEach((k, i) => {
    const sim = validation?.report.requests[k]
    const lines: Line[] = [{ name: `${k} mean $request_time, measured`, color: COLORS[i % COLORS.length], ys: cal.rates.latencyMean[k].map((v) => 1000 * v) }]
    if (sim !== undefined && sim.ok > 0) lines.push({ name: `${k} mean latency, simulated at the mean load`, color: "#555", ys: cal.rates.t.map(() => sim.latencyMs.mean), dashed: true })
    figures.push(chart(`${k}: latency`, cal.rates.t, lines, "ms"))
  })
  const rows = (validation?.rows ?? []).map((r) => `<tr><td>${esc(r.metric)}</td><td>${esc(r.subject)}</td><td>${+r.measured.toPrecision(4)} ${r.unit}</td><td>${+r.predicted.toPrecision(4)} ${r.unit}</td><td>${r.relError === null ? "–" : `${r.relError >= 0 ? "+" : ""}${(100 * r.relError).toFixed(1)}%`}</td></tr>`).join("")
  const notes = cal.notes.map((n) => `<li>${esc(n)}</li>`).join("")
  return `<!doctype html><html><head><meta charset="utf-8"><title>wwsim calibration: ${esc(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#222}svg text{font-size:11px;fill:#444}figure{margin:16px 0}figcaption{font-weight:600}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child,td:nth-child(2){text-align:left}.key{margin-right:12px;font-size:12px}</style></head>
<body><h1>Calibration: measured vs predicted</h1><p>${esc(title)} — ${cal.window.intervals} intervals of ${cal.intervalS}s from ${new Date(cal.window.from * 1000).toISOString()}</p>
${validation === undefined ? "" : `<h2>Validation</h2><p>${esc(validation.scenario)} simulated at the measured mean load (${validation.warmupS}s warm-up + ${validation.durationS}s); CPU includes the fitted background.</p><table><tr><th>metric</th><th></th><th>measured</th><th>predicted</th><th>error</th></tr>${rows}</table>`}
<h2>Over time</h2>${figures.join("\n")}
${notes === "" ? "" : `<h2>Notes</h2><ul>${notes}</ul>`}
</body></html>
`
}

/**
 * The self-contained HTML report (`wwsim report`): the built visualiser's page with its script and
 * style inlined and the report data embedded as JSON, so one file opens from disk with no server.
 *
 * Plain functions of strings, with no Node imports: the visualiser imports `reportProblem` too, so
 * a report is judged by the same rules in the CLI and in the browser.
 */

/** The `id` of the `<script type="application/json">` holding the report the page shows. */
export const REPORT_DATA_ID = "wwsim-report"
/** The `id` of the `<script type="application/json">` holding the baseline report, when there is one. */
export const BASELINE_DATA_ID = "wwsim-baseline"

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x)
const isNumber = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x)

/**
 * What makes `value` unusable as a wwsim report, or `undefined` when the visualiser can draw it.
 * Checks the skeleton the charts rely on (names, window, series time axis); anything optional or
 * newer is drawn when present and skipped when not.
 *
 * @example
 * reportProblem({ scenario: "x" }) // "window: expected an object"
 * reportProblem(JSON.parse(readFileSync("results/x/report.json", "utf8"))) // undefined
 */
export function reportProblem(value: unknown): string | undefined {
  if (!isObject(value)) return "expected a JSON object (a wwsim report.json)"
  if (typeof value.scenario !== "string") return "scenario: expected a string"
  const w = value.window
  if (!isObject(w)) return "window: expected an object"
  if (!isNumber(w.warmupS) || !isNumber(w.durationS)) return "window: expected warmupS and durationS in seconds"
  for (const key of ["requests", "services", "hosts"] as const) {
    if (!isObject(value[key])) return `${key}: expected an object`
  }
  if (value.faults !== undefined && !Array.isArray(value.faults)) return "faults: expected an array"
  if (value.slo !== undefined && !Array.isArray(value.slo)) return "slo: expected an array"
  const s = value.series
  if (!isObject(s)) return "series: expected an object"
  if (!isNumber(s.stepS) || s.stepS <= 0) return "series.stepS: expected a positive number"
  if (!Array.isArray(s.t) || !s.t.every(isNumber)) return "series.t: expected an array of numbers"
  const n = s.t.length
  for (const group of ["kinds", "services", "hosts"] as const) {
    const g = s[group]
    if (!isObject(g)) return `series.${group}: expected an object`
    for (const [name, fields] of Object.entries(g)) {
      if (!isObject(fields)) return `series.${group}.${name}: expected an object`
      for (const [field, arr] of Object.entries(fields)) {
        const at = `series.${group}.${name}.${field}`
        if (group === "services" && field === "instances") {
          // Per-instance series: { <host>: { queueDepth: [...] } }, each aligned with series.t too.
          if (!isObject(arr)) return `${at}: expected an object`
          for (const [host, inst] of Object.entries(arr)) {
            const depth = isObject(inst) ? inst.queueDepth : undefined
            if (!Array.isArray(depth) || depth.length !== n) return `${at}.${host}.queueDepth: expected ${n} points`
          }
          continue
        }
        if (!Array.isArray(arr)) return `${at}: expected an array`
        if (arr.length !== n) return `${at}: ${arr.length} points, series.t has ${n}`
      }
    }
  }
  return undefined
}

/**
 * JSON for an inline `<script type="application/json">`: `<`, `>` and `&` become `\u003c`-style
 * escapes (they can only occur inside JSON strings, where the escape means the same), so a name
 * holding `</script>` or `<!--` cannot end the element early. U+2028/2029 are escaped too.
 *
 * @example
 * jsonForScript({ name: "</script><img src=x>" }) // '{"name":"\\u003c/script\\u003e\\u003cimg src=x\\u003e"}'
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029")
}

/** Script text safe inside `<script>`: no `</script` and no `<!--` (which could hide a later end tag). */
const scriptText = (js: string): string => js.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--")

/** Style text safe inside `<style>`. */
const styleText = (css: string): string => css.replace(/<\/(style)/gi, "<\\/$1")

/** The built page's own assets, as Vite wrote them to `dist/viz/`. */
export interface VizAssets {
  /** `dist/viz/index.html`: references `viz.js` and `viz.css`. */
  readonly html: string
  readonly js: string
  readonly css: string
}

/**
 * One HTML file holding the visualiser and the report (and optionally a baseline to compare with).
 * Replaces the page's `<script src>` and stylesheet `<link>` with inline copies, and adds the data
 * before the script.
 *
 * @example
 * writeFileSync("report.html", selfContainedHtml(assets, report))
 */
export function selfContainedHtml(assets: VizAssets, report: unknown, baseline?: unknown): string {
  const data = [
    `<script type="application/json" id="${REPORT_DATA_ID}">${jsonForScript(report)}</script>`,
    baseline === undefined ? "" : `<script type="application/json" id="${BASELINE_DATA_ID}">${jsonForScript(baseline)}</script>`,
  ].join("")
  let html = assets.html
    // the page's own script and stylesheet tags, in whatever order and attribute form Vite wrote them
    .replace(/<script\b[^>]*\bsrc="[^"]*"[^>]*>\s*<\/script>\s*/gi, "")
    .replace(/<link\b[^>]*\brel="stylesheet"[^>]*>\s*/gi, "")
    .replace(/<link\b[^>]*\brel="modulepreload"[^>]*>\s*/gi, "")
  // functions as replacements: `$` in the inlined text must not be read as a pattern
  html = html.replace(/<\/head>/i, () => `<style>${styleText(assets.css)}</style>\n</head>`)
  html = html.replace(/<\/body>/i, () => `${data}\n<script type="module">${scriptText(assets.js)}</script>\n</body>`)
  return html
}

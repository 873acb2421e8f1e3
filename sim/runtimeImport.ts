/**
 * `import()` of a package chosen at run time (Vite, for `wwsim report`).
 *
 * The installed CLI runs as a `vm.Script` so V8 can keep its compiled code between runs
 * (bin/wwsim.js), and in Node 20 such a script has no dynamic import without
 * `--experimental-vm-modules`. The launcher lends its own `import` on `globalThis`; run from source
 * (tsx, vitest) this module's `import()` is the real one.
 *
 * @example
 * const vite = (await runtimeImport("vite")) as typeof import("vite")
 */
export function runtimeImport(specifier: string): Promise<unknown> {
  const lent = (globalThis as { __wwsimImport?: (specifier: string) => Promise<unknown> }).__wwsimImport
  return lent !== undefined ? lent(specifier) : import(/* @vite-ignore */ specifier)
}

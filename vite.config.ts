// One config for the visualiser (Vite, rooted at viz/) and the tests (Vitest, rooted here).
import { defineConfig } from "vitest/config"

export default defineConfig({
  root: process.env.VITEST ? "." : "viz",
  build: { outDir: "../dist/viz", emptyOutDir: true },
  test: {
    include: ["test/**/*.test.ts"],
    // Simulation tests run seconds of model time; the default 5 s is for unit tests.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})

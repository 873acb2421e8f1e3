// One config for the visualiser (Vite, rooted at viz/) and the tests (Vitest, rooted here).
import { defineConfig } from "vitest/config"

export default defineConfig({
  root: process.env.VITEST ? "." : "viz",
  // relative asset URLs, so dist/viz/index.html also opens from disk
  base: "./",
  build: {
    outDir: "../dist/viz",
    emptyOutDir: true,
    // one script and one stylesheet with fixed names: `wwsim report` inlines them into one HTML file
    modulePreload: false,
    cssCodeSplit: false,
    assetsInlineLimit: Number.MAX_SAFE_INTEGER,
    rolldownOptions: {
      output: { entryFileNames: "viz.js", assetFileNames: "viz[extname]", codeSplitting: false },
    },
  },
  test: {
    include: ["test/**/*.test.ts"],
    // Simulation tests run seconds of model time; the default 5 s is for unit tests.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})

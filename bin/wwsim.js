#!/usr/bin/env node
// Launcher for the `wwsim` command: runs the bundled CLI, rebuilding it first when a source file
// changed since it was built (see scripts/bundle.mjs for why there is a bundle).
import { pathToFileURL } from "node:url"
import { bundle, bundlePath, isStale } from "../scripts/bundle.mjs"

if (isStale()) await bundle()
await import(pathToFileURL(bundlePath).href)

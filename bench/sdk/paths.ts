// Where the benchmark finds the repository, the SDK's build output and its scratch space.
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url))
export const ROOT = join(BENCH_DIR, '..', '..')
export const SDK_IIFE = join(ROOT, 'packages/sdk/dist/hookline.js')
export const SDK_ESM = join(ROOT, 'packages/sdk/dist/hookline.mjs')
/** Scratch output (bundles, pages); under node_modules/.cache so it is never committed. */
export const SCRATCH_DIR = join(ROOT, 'node_modules/.cache/bench-sdk')

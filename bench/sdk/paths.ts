// Where the benchmark finds the repository, the SDK's build output and its scratch space.
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url))
export const ROOT = join(BENCH_DIR, '..', '..')
/** Scratch output (bundles, pages); under node_modules/.cache so it is never committed. */
export const SCRATCH_DIR = join(ROOT, 'node_modules/.cache/bench-sdk')
/** The benchmark's own build of packages/sdk (see build-sdk.ts): the same files as its dist/. */
export const SDK_OUT = join(SCRATCH_DIR, 'sdk-dist')
export const SDK_IIFE = join(SDK_OUT, 'hookline.js')
/** The script tag's live chunk, which hookline.js loads from beside itself at start. */
export const SDK_IIFE_LIVE = join(SDK_OUT, 'hookline-live.js')
export const SDK_ESM = join(SDK_OUT, 'hookline.mjs')
/** The SDK's source entry (for the size breakdown by file only). */
export const SDK_SOURCE = join(ROOT, 'packages/sdk/src/index.ts')
/** The script-tag entry's source (for the IIFE's size breakdown by file only). */
export const SDK_SCRIPT_SOURCE = join(ROOT, 'packages/sdk/src/script.ts')

/**
 * esbuild aliases that make `@hookline/sdk` the given entry (SDK_ESM or SDK_SOURCE), and its
 * `/messages`, which the devtools import, the file beside it: an alias alone would also catch
 * `@hookline/sdk/messages` and look for it under the entry's file.
 */
export const sdkAliases = (entry: string): Record<string, string> => ({
  '@hookline/sdk/messages': join(dirname(entry), entry.endsWith('.mjs') ? 'messages.mjs' : 'messages.ts'),
  '@hookline/sdk': entry,
})

// Bundles page fixtures (track-pages/*.ts, drain-page.ts) into classic scripts with esbuild, the
// same settings for every SDK, and pairs each with a one-line HTML page for serveStatic.
import { build } from 'esbuild'
import { join } from 'node:path'
import { BENCH_DIR, ROOT, SCRATCH_DIR, SDK_ESM, SDK_SOURCE, sdkAliases } from './paths.ts'

export const PAGES_DIR = join(SCRATCH_DIR, 'pages')
export const READABLE_PAGES_DIR = join(SCRATCH_DIR, 'pages-readable')

/**
 * Bundles `fixtures` (paths relative to bench/sdk) and returns the HTML page of each by name.
 * `readable` keeps names and skips minifying (for profiles), with the SDK taken from its sources.
 */
export async function bundlePages(fixtures: Record<string, string>, readable = false): Promise<Record<string, string>> {
  await build({
    entryPoints: Object.fromEntries(Object.entries(fixtures).map(([name, path]) => [name, join(BENCH_DIR, path)])),
    absWorkingDir: ROOT,
    bundle: true,
    minify: !readable,
    keepNames: readable,
    platform: 'browser',
    format: 'iife',
    target: 'es2020',
    outdir: readable ? READABLE_PAGES_DIR : PAGES_DIR,
    logLevel: 'error',
    alias: sdkAliases(readable ? SDK_SOURCE : SDK_ESM),
    define: { 'process.env.NODE_ENV': '"production"' },
  })
  return Object.fromEntries(
    Object.keys(fixtures).map((name) => [
      `/${name}.html`,
      `<!doctype html><meta charset="utf-8"><title>${name}</title><script src="/${name}.js"></script>`,
    ]),
  )
}

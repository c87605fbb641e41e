// Bundles page fixtures (track-pages/*.ts, drain-page.ts) into classic scripts with esbuild, the
// same settings for every SDK, and pairs each with a one-line HTML page for serveStatic.
import { build } from 'esbuild'
import { join } from 'node:path'
import { BENCH_DIR, ROOT, SCRATCH_DIR, SDK_ESM } from './paths.ts'

export const PAGES_DIR = join(SCRATCH_DIR, 'pages')

/** Bundles `fixtures` (paths relative to bench/sdk) and returns the HTML page of each by name. */
export async function bundlePages(fixtures: Record<string, string>): Promise<Record<string, string>> {
  await build({
    entryPoints: Object.fromEntries(Object.entries(fixtures).map(([name, path]) => [name, join(BENCH_DIR, path)])),
    absWorkingDir: ROOT,
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2020',
    outdir: PAGES_DIR,
    logLevel: 'error',
    alias: { '@hookline/sdk': SDK_ESM },
    define: { 'process.env.NODE_ENV': '"production"' },
  })
  return Object.fromEntries(
    Object.keys(fixtures).map((name) => [
      `/${name}.html`,
      `<!doctype html><meta charset="utf-8"><title>${name}</title><script src="/${name}.js"></script>`,
    ]),
  )
}

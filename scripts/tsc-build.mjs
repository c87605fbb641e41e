// A package's `build` for Node and plain ESM consumers: `node ../../scripts/tsc-build.mjs`, run in
// the package folder. tsc compiles every source under src (tsconfig.build.json) to dist/ with .d.ts
// and maps, rewriting relative `.ts` imports to `.js`. A file loaded by URL rather than imported
// (`new Worker(new URL('./x.ts', import.meta.url))`) is compiled like every other, and its URL is
// rewritten here, since tsc leaves strings alone.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
rmSync('dist', { recursive: true, force: true })
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' })

const byUrl = /new URL\((['"`])(\.{1,2}\/[^'"`]+)\.ts\1,\s*import\.meta\.url\)/g
for (const entry of readdirSync('dist', { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.js')) continue
  const file = join(entry.parentPath, entry.name)
  const text = readFileSync(file, 'utf8')
  const rewritten = text.replace(byUrl, (_, quote, path) => `new URL(${quote}${path}.js${quote}, import.meta.url)`)
  if (rewritten !== text) writeFileSync(file, rewritten)
}

// `emitTypes(outDir)`, or `node scripts/types.mjs OUT_DIR`: the .d.ts files the tarball publishes (`npm run build` writes them to
// dist/types). tsc writes one per source file; only the entry points' and what they import are
// kept, so the Preact components' declarations, which import preact (bundled, and so not a
// dependency), are not published.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pruneUnreachableTypes } from './prune-types.mjs'

const root = join(import.meta.dirname, '..')

/** The types of each entry point in the published manifest, relative to dist/types. */
export function typeEntries() {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  return Object.values(manifest.publishConfig.exports)
    .map((target) => (typeof target === 'object' ? target.types : undefined))
    .filter((types) => types !== undefined)
    .map((types) => types.replace(/^\.\/dist\/types\//, ''))
}

/** Emits the declarations into `outDir` and deletes those no entry point reaches; answers the deleted ones. */
export function emitTypes(outDir) {
  const tsc = join(root, '../../node_modules/typescript/bin/tsc')
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', outDir], {
    stdio: 'inherit',
  })
  return pruneUnreachableTypes(outDir, typeEntries())
}

if (process.argv[1] === import.meta.filename) {
  const outDir = process.argv[2]
  if (!outDir) throw new Error('usage: node scripts/types.mjs OUT_DIR')
  emitTypes(outDir)
}

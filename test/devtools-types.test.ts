import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
// @ts-expect-error: a plain .mjs script, without declarations
import { declarationFiles, undeclaredTypeImports } from '../scripts/pack-check/type-imports.mjs'

// The devtools bundle Preact, so preact is not among their dependencies: no .d.ts the tarball
// publishes may import it (a user's install would not have it, and skipLibCheck off would fail).
// This emits the declarations as `npm run build` does, into a folder of its own.
const devtools = join(import.meta.dirname, '../packages/devtools')
const manifest = JSON.parse(readFileSync(join(devtools, 'package.json'), 'utf8'))
let out: string
beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'hookline-devtools-types-'))
  execFileSync(process.execPath, [join(devtools, 'scripts/types.mjs'), out], { stdio: 'inherit' })
}, 60_000)
afterAll(() => rmSync(out, { recursive: true, force: true }))

test('the published .d.ts files import only packages @hookline/devtools declares', () => {
  expect(manifest.dependencies.preact ?? manifest.peerDependencies?.preact).toBeUndefined()
  expect(undeclaredTypeImports(out, manifest)).toEqual([])
})

test('every entry point keeps its types, and what they import; the Preact components are left out', () => {
  const kept = declarationFiles(out) as string[]
  const entries = Object.values(manifest.publishConfig.exports as Record<string, { types?: string }>).flatMap(
    (target) => (target.types ? [target.types.replace('./dist/types/', '')] : []),
  )
  expect(entries).toEqual(['index.d.ts', 'tokens.d.ts', 'link/index.d.ts'])
  for (const entry of entries) expect(kept).toContain(entry)
  expect(kept).toContain('mount.d.ts')
  expect(kept).toContain('hookline.d.ts')
  expect(kept).not.toContain('panel.d.ts')
})

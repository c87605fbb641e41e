// A package's `prepack` and `postpack`: `node ../../scripts/pack-manifest.mjs prepack|postpack`.
//
// Inside the repository every workspace package points its entry points at its TypeScript sources,
// so tests, type-checks and the dev servers always see the code as it is, with no build between an
// edit and a run. The tarball must point at built JavaScript and .d.ts instead. npm does not apply
// `publishConfig.exports`, so `prepack` builds the package (its `build` script) and moves the
// `publishConfig` entry points (`exports`, `main`, `types`, `bin`) to the top of package.json for
// the pack; `postpack` restores the file byte for byte. A backup left by a failed pack is restored
// first, so the manifest can never stay rewritten.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'

const ENTRY_FIELDS = ['exports', 'main', 'module', 'types', 'bin']
const manifest = 'package.json'
const backup = 'package.json.pack-backup'
const mode = process.argv[2]

if (existsSync(backup)) renameSync(backup, manifest)

if (mode === 'prepack') {
  const text = readFileSync(manifest, 'utf8')
  const pkg = JSON.parse(text)
  // The build script itself, not `npm run build`: a second npm inside npm's lifecycle is fragile.
  if (pkg.scripts?.build) execFileSync('sh', ['-c', pkg.scripts.build], { stdio: 'inherit' })
  const publish = Object.entries(pkg.publishConfig ?? {})
  for (const [field, value] of publish) if (ENTRY_FIELDS.includes(field)) pkg[field] = value
  const rest = publish.filter(([field]) => !ENTRY_FIELDS.includes(field))
  if (rest.length) pkg.publishConfig = Object.fromEntries(rest)
  else delete pkg.publishConfig
  writeFileSync(backup, text)
  writeFileSync(manifest, JSON.stringify(pkg, null, 2) + '\n')
} else if (mode !== 'postpack') {
  console.error('usage: node pack-manifest.mjs prepack|postpack')
  process.exit(2)
}

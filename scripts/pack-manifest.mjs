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

/** The files an `exports`/`main`/`types`/`bin` value names (patterns with `*` are left out). */
function entryFiles(values) {
  const files = []
  const walk = (value) => {
    if (typeof value === 'string') {
      if (!value.includes('*')) files.push(value)
    } else if (value && typeof value === 'object') for (const inner of Object.values(value)) walk(inner)
  }
  walk(values)
  return files
}

if (existsSync(backup)) renameSync(backup, manifest)

if (mode === 'prepack') {
  const text = readFileSync(manifest, 'utf8')
  const pkg = JSON.parse(text)
  // The build script itself, not `npm run build`: a second npm inside npm's lifecycle is fragile.
  // HOOKLINE_PACK_PREBUILT=1 (scripts/pack-check.mjs, which has just built dist/) packs it as it is.
  const prebuilt = process.env.HOOKLINE_PACK_PREBUILT === '1'
  if (pkg.scripts?.build && !prebuilt) execFileSync('sh', ['-c', pkg.scripts.build], { stdio: 'inherit' })
  const publish = Object.entries(pkg.publishConfig ?? {})
  for (const [field, value] of publish) if (ENTRY_FIELDS.includes(field)) pkg[field] = value
  const rest = publish.filter(([field]) => !ENTRY_FIELDS.includes(field))
  if (rest.length) pkg.publishConfig = Object.fromEntries(rest)
  else delete pkg.publishConfig
  // Every entry point the tarball names must be there: a missing build fails the pack, not a user.
  const missing = entryFiles(ENTRY_FIELDS.map((field) => pkg[field])).filter((file) => !existsSync(file))
  if (missing.length) {
    console.error(`${pkg.name}: entry points missing (build first): ${missing.join(', ')}`)
    process.exit(1)
  }
  writeFileSync(backup, text)
  writeFileSync(manifest, JSON.stringify(pkg, null, 2) + '\n')
} else if (mode !== 'postpack') {
  console.error('usage: node pack-manifest.mjs prepack|postpack')
  process.exit(2)
}

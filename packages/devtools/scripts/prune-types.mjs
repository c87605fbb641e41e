// `pruneUnreachableTypes(typesDir, entries)`: after `tsc --emitDeclarationOnly`, deletes the .d.ts
// files no entry point's types reach. tsc writes one for every source file, internal ones too: the
// devtools' Preact components would ship declarations importing `preact`, which the package bundles
// and so does not declare. What a user can import keeps its types; the rest is not published.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

// What a .d.ts imports: `from './x'`, `import('./x')` (scripts/pack-check/type-imports.mjs reads
// the bare ones of a whole tarball).
const SPECIFIERS = [/\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g]

function relativeSpecifiersOf(text) {
  const found = []
  for (const pattern of SPECIFIERS)
    for (const match of text.matchAll(pattern)) if (match[1].startsWith('.')) found.push(match[1])
  return found
}

function declarationFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.d\.(c|m)?ts$/.test(entry.name))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
}

/** The .d.ts a relative specifier in a .d.ts means: `./a.tsx`, `./a.js` and `./a` are `./a.d.ts`, a folder its index. */
function declarationOf(fromFile, specifier) {
  const target = resolve(dirname(fromFile), specifier)
  const bare = target.replace(/\.(d\.)?(tsx?|mts|cts|jsx?|mjs|cjs)$/, '')
  for (const candidate of [`${bare}.d.ts`, `${bare}.d.mts`, join(target, 'index.d.ts')])
    if (existsSync(candidate)) return candidate
  return null
}

/** Deletes every .d.ts under `typesDir` that `entries` (paths relative to it) do not reach; answers the deleted ones. */
export function pruneUnreachableTypes(typesDir, entries) {
  const reached = new Set()
  const queue = entries.map((entry) => resolve(typesDir, entry))
  for (const file of queue) {
    if (!existsSync(file)) throw new Error(`entry point types missing: ${relative(typesDir, file)}`)
  }
  while (queue.length) {
    const file = queue.pop()
    if (reached.has(file)) continue
    reached.add(file)
    for (const specifier of relativeSpecifiersOf(readFileSync(file, 'utf8'))) {
      const next = declarationOf(file, specifier)
      if (next && !reached.has(next)) queue.push(next)
    }
  }
  const deleted = []
  for (const file of declarationFiles(typesDir)) {
    const path = resolve(typesDir, file)
    if (reached.has(path)) continue
    rmSync(path)
    rmSync(`${path}.map`, { force: true })
    deleted.push(file)
  }
  return deleted.sort()
}

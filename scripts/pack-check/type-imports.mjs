// What a package's .d.ts files import, and which of those packages its manifest does not declare.
// publint and @arethetypeswrong/cli look at the entry points, not at every file beside them: a
// .d.ts that imports a package the manifest leaves out type-checks inside the repository (the
// workspace hoists it) and fails for a user whose install holds only what is declared.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'

// `from 'x'`, `import 'x'`, `import('x')`, `/// <reference types="x" />`.
const SPECIFIERS = [
  /\bfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*['"]([^'"]+)['"]/g,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\/\/\/\s*<reference\s+types\s*=\s*['"]([^'"]+)['"]/g,
]

/** Every specifier a declaration file's text imports, relative ones included. */
export function specifiersOf(text) {
  const found = new Set()
  for (const pattern of SPECIFIERS) for (const match of text.matchAll(pattern)) found.add(match[1])
  return [...found]
}

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`), or null for a relative path or a Node builtin. */
export function packageOf(specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return null
  // `/// <reference types="node" />`: Node's own types, as with `node:` imports.
  if (specifier === 'node') return null
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

/** The .d.ts files under `dir`, as paths relative to it. */
export function declarationFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.d\.(c|m)?ts$/.test(entry.name))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
}

/**
 * `file: package` for each package a .d.ts under `dir` imports that `manifest` does not declare
 * (dependencies, peerDependencies or optionalDependencies; the package itself counts as declared).
 */
export function undeclaredTypeImports(dir, manifest) {
  const declared = new Set([
    manifest.name,
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
    ...Object.keys(manifest.optionalDependencies ?? {}),
  ])
  const problems = []
  for (const file of declarationFiles(dir)) {
    for (const specifier of specifiersOf(readFileSync(join(dir, file), 'utf8'))) {
      const name = packageOf(specifier)
      if (name && !declared.has(name)) problems.push(`${file}: ${name}`)
    }
  }
  return problems
}

// `npm run lint`: ESLint (strict, type-checked, cached in node_modules/.cache/eslint), the import
// cycle check (madge: unlike import-x/no-cycle it counts type-only imports too) and Prettier's
// check. Runs all three even when one fails, says how long each took, and fails if any did.
import { spawnSync } from 'node:child_process'

const steps = [
  ['eslint', 'lint:eslint'],
  ['import cycles', 'cycles'],
  ['prettier', 'lint:format'],
]

const failed = []
for (const [name, script] of steps) {
  const started = performance.now()
  const { status } = spawnSync('npm', ['run', '--silent', script], { stdio: 'inherit' })
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  console.log(`${status === 0 ? '✓' : '✗'} ${name} (${seconds} s)`)
  if (status !== 0) failed.push(name)
}
if (failed.length > 0) {
  console.error(`lint failed: ${failed.join(', ')}`)
  process.exit(1)
}

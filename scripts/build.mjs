// `npm run build`: every workspace's own build script, in dependency order (SDK before the demo).
import { execFileSync } from 'node:child_process'

// The API description first: it is made from the relay's schemas, and the tests compare it.
execFileSync(process.execPath, ['scripts/openapi.mjs'], { stdio: 'inherit' })
for (const workspace of ['@hookline/sdk', '@hookline/devtools', '@hookline/demo']) {
  execFileSync('npm', ['run', 'build', '--if-present', '-w', workspace], { stdio: 'inherit' })
}

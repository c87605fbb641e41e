import { execFileSync } from 'node:child_process'
import { join } from 'node:path'

const VITE = join(process.cwd(), 'node_modules/vite/bin/vite.js')

/**
 * The demo serves the built SDK, devtools and dashboard, as `npm start` does. They are built into a
 * private directory, so suites reading the packages' own `dist/` meanwhile are not disturbed.
 */
export function buildDemoPrivately(out: string) {
  const run = (args: string[], env: Record<string, string> = {}) =>
    execFileSync(process.execPath, args, { stdio: 'pipe', env: { ...process.env, ...env } })
  run(['packages/sdk/scripts/build.mjs', '--no-types'], { HOOKLINE_SDK_OUT: join(out, 'sdk') })
  run([VITE, 'build', 'packages/devtools', '--outDir', join(out, 'devtools'), '--emptyOutDir', '--logLevel', 'warn'])
  run([VITE, 'build', 'demo', '--outDir', join(out, 'demo'), '--emptyOutDir', '--logLevel', 'warn'])
  return {
    demo: join(out, 'demo'),
    sdk: join(out, 'sdk/hookline.js'),
    live: join(out, 'sdk/hookline-live.js'),
    loader: join(out, 'sdk/loader.js'),
    devtools: join(out, 'devtools/hookline-devtools.js'),
  }
}

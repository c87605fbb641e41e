// The benchmark measures the SDK's build output. It runs the SDK's own build
// (`npm run build -w @hookline/sdk`) into a private copy of dist/ (HOOKLINE_SDK_OUT), so that the
// figures are for the current sources and a teammate rebuilding packages/sdk/dist mid-run (the
// build empties it first) cannot pull files from under the benchmark.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { ROOT, SDK_ESM, SDK_IIFE, SDK_OUT } from './paths.ts'

export function buildSdk(log: (line: string) => void): void {
  log('Building the SDK: npm run build -w @hookline/sdk (into a private dist) …')
  execFileSync('npm', ['run', 'build', '-w', '@hookline/sdk', '--', '--no-types'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 300_000,
    env: { ...process.env, HOOKLINE_SDK_OUT: SDK_OUT },
  })
  for (const path of [SDK_IIFE, SDK_ESM])
    if (!existsSync(path)) throw new Error(`The SDK build did not produce ${path}`)
}

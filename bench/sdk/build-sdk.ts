// The benchmark measures the SDK's build output, so it builds it when dist is missing or older
// than the sources (a stale dist would give figures for code that no longer exists).
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, SDK_ESM, SDK_IIFE } from './paths.ts'

function newestSourceMs(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestSourceMs(path) : statSync(path).mtimeMs)
  }
  return newest
}

export function ensureSdkBuilt(log: (line: string) => void): void {
  const outputs = [SDK_IIFE, SDK_ESM]
  const sources = ['packages/sdk/src', 'packages/protocol/src'].map((dir) => newestSourceMs(join(ROOT, dir)))
  const fresh = outputs.every((path) => existsSync(path) && statSync(path).mtimeMs >= Math.max(...sources))
  if (fresh) return
  log('Building the SDK (npm run build -w @hookline/sdk) …')
  execFileSync('npm', ['run', 'build', '-w', '@hookline/sdk'], { cwd: ROOT, stdio: 'inherit', timeout: 300_000 })
  for (const path of outputs) if (!existsSync(path)) throw new Error(`The SDK build did not produce ${path}`)
}

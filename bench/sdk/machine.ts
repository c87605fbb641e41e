// A one-line description of the machine a run happened on, for BENCHMARKS.md.
import { cpus, totalmem, release } from 'node:os'

export function describeMachine(chromiumVersion: string | undefined): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU'
  return [
    `${cpus().length} × ${cpu}`,
    `${Math.round(totalmem() / 2 ** 30)} GiB RAM`,
    `Linux ${release()}`,
    `Node ${process.versions.node}`,
    chromiumVersion ? `Chromium ${chromiumVersion} (headless)` : undefined,
  ]
    .filter(Boolean)
    .join(', ')
}

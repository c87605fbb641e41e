/**
 * The relay under test, in its own process (started with --expose-gc so that memory per stream is
 * measured after a full collection). Answers `memory` requests over IPC.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { join } from 'node:path'
import { startRelay } from '@hookline/relay'

const dataDir = mkdtempSync(join(tmpdir(), 'hookline-bench-stream-'))
const relay = await startRelay({
  port: 0,
  host: '127.0.0.1',
  dataDir,
  log: false,
  adminToken: 'bench-admin-token-0123456789',
})
// The relay's own stream hub counts its open connections.
const hub = relay.context.hub
const openConnections = () => hub?.connections ?? 0

function memory() {
  const gc = (globalThis as { gc?: () => void }).gc
  for (let i = 0; i < 3; i++) gc?.()
  const usage = process.memoryUsage()
  return {
    rss: usage.rss,
    heapUsed: usage.heapUsed,
    external: usage.external,
    arrayBuffers: usage.arrayBuffers,
    connections: openConnections(),
  }
}

const loopDelay = monitorEventLoopDelay({ resolution: 5 })
loopDelay.enable()

/** CPU time used so far (ms), the wall clock, and how long the event loop was held up since the last call. */
function cpu() {
  const usage = process.cpuUsage()
  const loop = { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 }
  loopDelay.reset()
  return { cpuMs: (usage.user + usage.system) / 1000, wallMs: performance.now(), loop }
}

async function onMessage(message: { type: string }): Promise<void> {
  if (message.type === 'memory') process.send!({ type: 'memory', ...memory() })
  if (message.type === 'cpu') process.send!({ type: 'cpu', ...cpu() })
  if (message.type === 'close') {
    await relay.close()
    rmSync(dataDir, { recursive: true, force: true })
    process.exit(0)
  }
}

process.on('message', (message: { type: string }) => void onMessage(message))
process.send!({ type: 'started', url: relay.url, port: relay.port, adminToken: relay.adminToken })

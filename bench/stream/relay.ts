/**
 * The relay under test, in its own process (started with --expose-gc so that memory per stream is
 * measured after a full collection). Answers `memory` requests over IPC.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { tmpdir } from 'node:os'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { join } from 'node:path'
import { startRelay } from '@hookline/relay'
import { settledMemory } from '../../test/helpers/settled-memory.ts'

const dataDir = mkdtempSync(join(tmpdir(), 'hookline-bench-stream-'))
const relay = await startRelay({
  port: 0,
  host: '127.0.0.1',
  dataDir,
  log: false,
  adminToken: 'bench-admin-token-0123456789',
  // Every client of the benchmark is one address holding 10,000 streams under one key, and the load
  // generator sends up to 1,000 inbound/s from one address: far past the defaults for one NAT.
  connections: { total: 30_000, perAddress: 30_000 },
  streams: { perKey: 30_000, perAddress: 30_000 },
  connectRateLimit: { perSecond: 100_000, burst: 100_000 },
  inboundRateLimit: { perSecond: 100_000, burst: 100_000 },
})
const hub = relay.context.hub!

/** Memory once it holds still after full collections (the stream memory test's own reading). */
async function memory() {
  const usage = await settledMemory()
  return {
    rss: usage.rss,
    heapUsed: usage.heapUsed,
    external: usage.external,
    arrayBuffers: usage.arrayBuffers,
    connections: hub.connections,
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

// A CPU profile of one measured phase only (not of opening 10,000 streams), for STREAM_BENCH_PROFILE.
const inspector = new Session()
async function profile(action: 'start' | 'stop', file?: string): Promise<void> {
  if (action === 'start') {
    inspector.connect()
    await inspector.post('Profiler.enable')
    await inspector.post('Profiler.start')
    return
  }
  const { profile: taken } = await inspector.post('Profiler.stop')
  if (file) writeFileSync(file, JSON.stringify(taken))
  inspector.disconnect()
}

async function close(): Promise<never> {
  await relay.close()
  rmSync(dataDir, { recursive: true, force: true })
  process.exit(0)
}

process.on('message', (message: { type: string; action?: 'start' | 'stop'; file?: string }) => {
  if (message.type === 'memory') void memory().then((read) => process.send!({ type: 'memory', ...read }))
  if (message.type === 'cpu') process.send!({ type: 'cpu', ...cpu() })
  if (message.type === 'profile')
    void profile(message.action!, message.file).then(() => process.send!({ type: 'profiled' }))
  if (message.type === 'close') {
    void close()
  }
})
process.send!({ type: 'started', url: relay.url, port: relay.port, adminToken: relay.adminToken })

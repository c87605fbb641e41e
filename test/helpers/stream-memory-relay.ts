/**
 * A relay in a process of its own, started with --expose-gc by `stream-memory.test.ts`, so that the
 * heap it reports is the relay's alone (the test's sockets live in the test's process) and is read
 * after full collections. Over IPC: `claim` (sessions, answered as stream paths), `memory`, `close`.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startRelay } from '@hookline/relay'
import { settledMemory } from './settled-memory.ts'

const dataDir = mkdtempSync(join(tmpdir(), 'hookline-stream-memory-'))
const relay = await startRelay({
  port: 0,
  host: '127.0.0.1',
  dataDir,
  log: false,
  adminToken: 'test-admin-token-0123456789',
  // Every stream of the test comes from one address under one key.
  connections: { total: 10_000, perAddress: 10_000 },
  streams: { perKey: 10_000, perAddress: 10_000 },
  connectRateLimit: { perSecond: 100_000, burst: 100_000 },
})
const created = await fetch(`${relay.url}/v1/projects`, {
  method: 'POST',
  headers: { authorization: 'Bearer test-admin-token-0123456789', 'content-type': 'application/json' },
  body: JSON.stringify({ name: 'memory' }),
})
const project = (await created.json()) as { keys: { test: string } }
const scope = (await relay.context.keys.resolve(project.keys.test))!

async function claim(sessions: string[]): Promise<string[]> {
  const paths: string[] = []
  for (const session of sessions) {
    const claimed = (await relay.context.sessions.claim(scope, session))!
    paths.push(`/v1/stream?session=${session}&key=${project.keys.test}&token=${claimed.token}`)
  }
  return paths
}

async function memory() {
  const usage = await settledMemory()
  return { heapAndBuffers: usage.heapUsed + usage.external, connections: relay.context.hub!.connections }
}

process.on('message', (message: { type: string; sessions?: string[] }) => {
  if (message.type === 'claim') void claim(message.sessions!).then((paths) => process.send!({ type: 'claimed', paths }))
  if (message.type === 'memory') void memory().then((read) => process.send!({ type: 'memory', ...read }))
  if (message.type === 'close')
    void relay.close().then(() => {
      rmSync(dataDir, { recursive: true, force: true })
      process.exit(0)
    })
})
process.send!({ type: 'started', port: relay.port })

import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, expect, test } from 'vitest'
import { startEndpoint, type TestEndpoint } from './helpers/endpoint.ts'
import { testEvent } from './helpers/relay.ts'
import { relayCaller } from './helpers/relay-process.ts'

const ADMIN_TOKEN = 'crash-test-admin-token-000000'
const CLI = fileURLToPath(new URL('../packages/relay/src/cli.ts', import.meta.url))
const EVENTS = 2000
const dataDirs: string[] = []
const children: ChildProcess[] = []
const endpoints: TestEndpoint[] = []

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
  for (const endpoint of endpoints) await endpoint.close()
  for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true })
})

/** The relay as its own process (tsx), as an operator runs it; resolves with its URL. */
function startRelayProcess(dataDir: string, thread: string): Promise<{ child: ChildProcess; url: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOOKLINE_ADMIN_TOKEN: ADMIN_TOKEN,
    HOOKLINE_RATE_LIMIT: '10000:10000',
    HOOKLINE_SQLITE_THREAD: thread,
  }
  delete env.VITEST
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CLI, 'start', '--dev', '--port', '0', '--data-dir', dataDir],
    { env, stdio: ['ignore', 'ignore', 'pipe'] },
  )
  children.push(child)
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => reject(new Error(`The relay did not start: ${output}`)), 20_000)
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /Hookline relay on (http:\/\/\S+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve({ child, url: match[1]! })
      }
    })
    child.once('exit', (code) => reject(new Error(`The relay exited with ${code}: ${output}`)))
  })
}

const call = relayCaller(ADMIN_TOKEN)

// On the event loop, and with the SQLite worker thread, whose group commit answers each 202 only
// after the commit that holds its events returned.
test.each([
  ['commits on the event loop', '0'],
  ['SQLite in a worker thread', '1'],
])(
  'SIGKILL while 2,000 accepted events are being delivered: after a restart every one arrives (%s)',
  { timeout: 60_000 },
  async (_, thread) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hookline-crash-'))
    dataDirs.push(dataDir)
    const endpoint = await startEndpoint({ status: 200, delayMs: 200 })
    endpoints.push(endpoint)
    const first = await startRelayProcess(dataDir, thread)
    const project = await call(first.url, '/v1/projects', { method: 'POST', body: { name: 'crash' } })
    const webhook = await call(first.url, `/v1/projects/${project.body.project.id}/webhooks`, {
      method: 'POST',
      body: { name: 'slow', url: endpoint.url, events: ['*'] },
    })
    expect(webhook.status).toBe(201)

    const key = project.body.keys.test
    const session = await call(first.url, '/v1/sessions', { method: 'POST', key, body: {} })
    expect(session.status).toBe(201)
    const sessionTokens = { [session.body.id]: session.body.token }
    const accepted: string[] = []
    for (let i = 0; i < EVENTS / 100; i++) {
      const events = Array.from({ length: 100 }, () => testEvent({ sessionId: session.body.id }))
      const res = await call(first.url, '/v1/events', {
        method: 'POST',
        key,
        body: { sentAt: new Date().toISOString(), sessionTokens, events },
      })
      expect(res.status).toBe(202)
      accepted.push(...res.body.accepted)
    }
    expect(accepted).toHaveLength(EVENTS)

    await endpoint.waitFor(150, 20_000)
    first.child.kill('SIGKILL')
    await new Promise((resolve) => first.child.once('exit', resolve))
    const beforeRestart = endpoint.requests.length
    expect(beforeRestart).toBeLessThan(EVENTS)

    endpoint.respond({ status: 200 })
    await startRelayProcess(dataDir, thread)
    const wanted = new Set(accepted)
    const arrived = new Map<string, string>()
    let seen = 0
    await endpoint.waitFor((requests) => {
      for (const request of requests.slice(seen)) {
        const id = JSON.parse(request.body).id as string
        const messageId = request.headers['webhook-id']!
        // At least once, and a repeat carries the same webhook-id as the first send.
        if (arrived.has(id) && arrived.get(id) !== messageId)
          throw new Error(`Event ${id} came back with another webhook-id.`)
        arrived.set(id, messageId)
      }
      seen = requests.length
      return [...wanted].every((id) => arrived.has(id))
    }, 40_000)
    expect([...wanted].filter((id) => !arrived.has(id))).toEqual([])
  },
)

import { createServer, type Server } from 'node:http'
import { createServer as createNetServer, type Socket } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { afterAll, expect, test, vi } from 'vitest'
import { testEvent } from './helpers/relay.ts'
import { relayCaller, startRelayProcess, type RelayProcess } from './helpers/relay-process.ts'

const ADMIN_TOKEN = 'handoff-test-admin-token-0000'
const children: RelayProcess[] = []
const dataDirs: string[] = []
afterAll(() => {
  for (const { child } of children) if (child.exitCode === null) child.kill('SIGKILL')
  for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true })
})

/**
 * An endpoint that first holds every connection without a byte back (a plain TCP server: the
 * request arrives and is never answered), then, after `release()`, answers 200 on the same port.
 */
async function holdingEndpoint() {
  const held: Socket[] = []
  const bodies: { body: string; id: string }[] = []
  const holder = createNetServer((socket) => {
    held.push(socket)
    socket.on('error', () => {})
  })
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
  const { port } = holder.address() as { port: number }
  let answering: Server | undefined
  return {
    url: `http://127.0.0.1:${port}/hook`,
    held,
    bodies,
    async release(): Promise<void> {
      for (const socket of held) socket.destroy()
      await new Promise((resolve) => holder.close(resolve))
      answering = createServer((req, res) => {
        let body = ''
        req.on('data', (chunk: Buffer) => (body += chunk.toString()))
        req.on('end', () => {
          bodies.push({ body, id: String(req.headers['webhook-id']) })
          res.end('ok')
        })
      })
      await new Promise<void>((resolve) => answering!.listen(port, '127.0.0.1', resolve))
    },
    close(): void {
      holder.close()
      answering?.close()
    },
  }
}

test.each([
  ['on the event loop', '0'],
  ['SQLite in a worker thread', '1'],
])(
  'SIGKILL after the commit, before the endpoint answers: the handed-over delivery is claimed in the store and sent after a restart (%s)',
  { timeout: 60_000 },
  async (_, thread) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hookline-handoff-'))
    dataDirs.push(dataDir)
    const env = {
      HOOKLINE_ADMIN_TOKEN: ADMIN_TOKEN,
      HOOKLINE_RATE_LIMIT: '10000:10000',
      HOOKLINE_SQLITE_THREAD: thread,
    }
    const call = relayCaller(ADMIN_TOKEN)
    const endpoint = await holdingEndpoint()
    try {
      const first = await startRelayProcess(['--data-dir', dataDir], env)
      children.push(first)
      const project = await call(first.url, '/v1/projects', { method: 'POST', body: { name: 'handoff' } })
      const hook = await call(first.url, `/v1/projects/${project.body.project.id}/webhooks`, {
        method: 'POST',
        body: { name: 'held', url: endpoint.url, events: ['*'] },
      })
      expect(hook.status).toBe(201)
      const key = project.body.keys.test
      const session = await call(first.url, '/v1/sessions', { method: 'POST', key, body: {} })
      const event = testEvent({ sessionId: session.body.id })
      const res = await call(first.url, '/v1/events', {
        method: 'POST',
        key,
        body: {
          sentAt: new Date().toISOString(),
          sessionTokens: { [session.body.id]: session.body.token },
          events: [event],
        },
      })
      expect(res.status).toBe(202)
      // The relay connected to send it; the endpoint reads nothing, so no answer comes back.
      await vi.waitFor(() => expect(endpoint.held.length).toBeGreaterThan(0), { timeout: 10_000 })
      first.child.kill('SIGKILL')
      await first.exited

      // Left as a claim leaves it: claimed by the dead process, no attempt recorded.
      const file = new SQLite(join(dataDir, 'hookline.db'))
      const stored = file
        .prepare(
          'SELECT d.msg_id, d.attempts, q.claimed_by FROM deliveries d JOIN delivery_queue q ON q.delivery_id = d.id WHERE d.event_id = ?',
        )
        .get(event.id) as { msg_id: string; attempts: number; claimed_by: string | null }
      file.close()
      expect(stored.claimed_by).not.toBeNull()
      expect(stored.attempts).toBe(0)

      await endpoint.release()
      const second = await startRelayProcess(['--data-dir', dataDir], env)
      children.push(second)
      await vi.waitFor(() => expect(endpoint.bodies.length).toBeGreaterThan(0), { timeout: 20_000 })
      const arrived = endpoint.bodies.map(({ body, id }) => ({ id: (JSON.parse(body) as { id: string }).id, msg: id }))
      expect(arrived).toContainEqual({ id: event.id, msg: stored.msg_id })
      second.child.kill('SIGKILL')
      await second.exited
    } finally {
      endpoint.close()
    }
  },
)

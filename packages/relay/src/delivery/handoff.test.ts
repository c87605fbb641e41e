import { createServer } from 'node:http'
import { newId } from '@hookline/protocol'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import type { ClaimedDelivery } from '../storage/delivery-queue.ts'
import { storageThread } from '../storage/remote.ts'
import { createTestRelay, type InProcessRelay } from '../testing.ts'

// A real relay (SQLite in its worker thread) delivering to a real endpoint; what each claim returns
// is counted on its way back from the worker, and every call goes through to it unchanged.
let relay: InProcessRelay
let received = 0
const endpoint = createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    received++
    res.end('ok')
  })
})
const claimedIds: string[] = []
let url = ''

beforeAll(async () => {
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(endpoint.address() as { port: number }).port}/hook`
  relay = await createTestRelay({ sqliteThread: true })
  await relay.start()
  const thread = storageThread(relay.context.db)!
  const run = thread.run.bind(thread)
  vi.spyOn(thread, 'run').mockImplementation(async (name, args) => {
    const value: unknown = await run(name, args)
    if (name === 'claimDue') claimedIds.push(...(value as { claimed: ClaimedDelivery[] }).claimed.map((row) => row.id))
    return value
  })
})
afterAll(async () => {
  vi.restoreAllMocks()
  await relay.close()
  endpoint.close()
})

/** Ingests `count` events of one session into a new project whose one webhook is `webhook`; answers its delivery ids once all were sent. */
async function deliver(webhook: Record<string, unknown>, count: number): Promise<string[]> {
  const { projectId, keys } = await relay.createProject()
  const created = await relay.admin('POST', `/v1/projects/${projectId}/webhooks`, {
    name: 'hook',
    url,
    events: ['*'],
    ...webhook,
  })
  expect(created.status).toBe(201)
  const headers = { authorization: `Bearer ${keys.test}`, 'content-type': 'application/json' }
  const session = await relay.request('/v1/sessions', { method: 'POST', headers, body: '{}' })
  const { id: sessionId, token } = session.body as { id: string; token: string }
  const events = Array.from({ length: count }, (_, i) => ({
    id: newId('evt'),
    name: 'checkout-completed',
    ts: new Date(Date.now() + i).toISOString(),
    sessionId,
  }))
  const before = received
  const res = await relay.request('/v1/events', {
    method: 'POST',
    headers,
    body: JSON.stringify({ sentAt: new Date().toISOString(), sessionTokens: { [sessionId]: token }, events }),
  })
  expect(res.status).toBe(202)
  await vi.waitFor(() => expect(received - before).toBe(count), { timeout: 10_000 })
  await relay.context.dispatcher.idle()
  await relay.context.dispatcher.flush()
  const rows = await relay.context.db
    .selectFrom('deliveries')
    .select(['id', 'status'])
    .where('project_id', '=', projectId)
    .execute()
  expect(rows.map((row) => row.status)).toEqual(Array.from({ length: count }, () => 'succeeded'))
  return rows.map((row) => row.id)
}

test('an unordered webhook: every ingested delivery reaches its endpoint with no claim returning it', async () => {
  const ids = await deliver({}, 20)
  expect(claimedIds.filter((id) => ids.includes(id))).toEqual([])
})

test('a webhook ordered by session: its deliveries are not handed over, claims take them in lane order', async () => {
  const ids = await deliver({ ordering: 'session' }, 5)
  expect(claimedIds.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort())
})

import { sql } from 'kysely'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { newId, sign } from '@hookline/protocol'
import { startEndpoint, type TestEndpoint } from '../helpers/endpoint.ts'
import { startTestRelay, testEvent, type TestProject, type TestRelay } from '../helpers/relay.ts'

// Issue 10, LOW: a full disk gave a generic 500, and the log said only "cannot rollback - no
// transaction is active". A real SQLite file is made full (`max_page_count` at its size now): every
// write that needs room answers 503 `storage_unavailable` with Retry-After, the log names the
// cause, the relay keeps running, and once there is room again every event it accepted is
// delivered and every one it refused can be sent again.

let relay: TestRelay
let endpoint: TestEndpoint
let project: TestProject
let listener: { listener: { url: string }; secret: string }
const logged: string[] = []
const write = process.stdout.write.bind(process.stdout)

beforeAll(async () => {
  process.stdout.write = (chunk: string | Uint8Array, ...rest: never[]): boolean => {
    logged.push(String(chunk))
    return write(chunk, ...rest)
  }
  relay = await startTestRelay({ log: true })
  endpoint = await startEndpoint()
  project = await relay.createProject()
  await relay.createWebhook(project.projectId, { url: endpoint.url })
  listener = (
    await relay.admin('POST', `/v1/projects/${project.projectId}/listeners`, {
      name: 'orders',
      set: { orderStatus: '$.status' },
    })
  ).body
})

/** A signed inbound webhook with this `webhook-id`. */
async function inbound(id: string) {
  const text = JSON.stringify({ status: 'x'.repeat(4000) })
  const headers = await sign(listener.secret, id, Math.floor(Date.now() / 1000), text)
  return relay.request(listener.listener.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: text,
  })
}
afterAll(async () => {
  process.stdout.write = write
  await relay.close()
  await endpoint.close()
})

const setMaxPages = async (pages: number) => {
  await sql.raw(`PRAGMA max_page_count = ${pages}`).execute(relay.context.db)
}

it('answers 503 storage_unavailable with Retry-After on a full database, logs why, and loses nothing it accepted', async () => {
  const accepted: string[] = []
  const refused: ReturnType<typeof testEvent>[] = []
  const first = Array.from({ length: 20 }, () => testEvent())
  expect((await relay.ingest(project.keys.test, first)).status).toBe(202)
  accepted.push(...first.map((event) => event.id))
  await endpoint.waitFor(20)

  const { rows } = await sql<{ page_count: number }>`PRAGMA page_count`.execute(relay.context.db)
  await setMaxPages(rows[0]!.page_count)
  // Free pages inside the file still take a few batches; then the file cannot grow.
  let full: Awaited<ReturnType<TestRelay['ingest']>> | undefined
  for (let i = 0; i < 200 && !full; i++) {
    const batch = Array.from({ length: 50 }, () => testEvent({ props: { pad: 'x'.repeat(2000) } }))
    const res = await relay.ingest(project.keys.test, batch)
    if (res.status === 202) accepted.push(...batch.map((event) => event.id))
    else {
      full = res
      refused.push(...batch)
    }
  }
  expect(full?.status).toBe(503)
  expect(full?.body).toMatchObject({ error: { code: 'storage_unavailable' } })
  expect(full?.body.error.message).toMatch(/storage is full/i)
  expect(Number(full?.headers.get('retry-after'))).toBeGreaterThan(0)

  // Admin writes too (a few small ones may still fit in the last page), and the relay still answers the rest.
  let webhook: Awaited<ReturnType<TestRelay['admin']>> | undefined
  for (let i = 0; i < 20 && webhook?.status !== 503; i++) {
    webhook = await relay.admin('POST', `/v1/projects/${project.projectId}/webhooks`, {
      name: 'More',
      url: endpoint.url,
      events: ['*'],
      template: { pad: 'x'.repeat(20_000) },
    })
  }
  expect(webhook?.status).toBe(503)
  expect(webhook?.body).toMatchObject({ error: { code: 'storage_unavailable' } })
  expect((await relay.request('/healthz')).status).toBe(200)

  // Inbound webhooks: the sender is told to come back, and nothing of the refused one is kept.
  let refusedInbound: { id: string; res: Awaited<ReturnType<typeof inbound>> } | undefined
  for (let i = 0; i < 50 && !refusedInbound; i++) {
    const id = newId('msg')
    const res = await inbound(id)
    if (res.status !== 202) refusedInbound = { id, res }
  }
  expect(refusedInbound?.res.status).toBe(503)
  expect(refusedInbound?.res.body).toMatchObject({ error: { code: 'storage_unavailable' } })
  expect(Number(refusedInbound?.res.headers.get('retry-after'))).toBeGreaterThan(0)

  const lines = logged.join('').split('\n').filter(Boolean)
  const cause = lines.find((line) => line.includes('storage unavailable'))
  expect(cause).toBeDefined()
  expect(cause).toMatch(/SQLITE_FULL|database or disk is full/)
  expect(lines.join('\n')).not.toContain('cannot rollback')
  expect(lines.filter((line) => line.includes('unhandled error'))).toEqual([])

  // Room again: everything accepted reaches the endpoint; what was refused was never stored, so it is new now.
  await setMaxPages(1_073_741_823)
  const again = await relay.ingest(project.keys.test, refused)
  expect(again.status).toBe(202)
  expect(again.body.duplicates).toEqual([])
  const retried = await inbound(refusedInbound!.id)
  expect(retried.status).toBe(202)
  expect(retried.body.duplicate).toBeUndefined()
  accepted.push(...refused.map((event) => event.id))
  const delivered = await endpoint.waitFor(
    (requests) => accepted.every((id) => requests.some((request) => request.body.includes(id))),
    30_000,
  )
  expect(delivered.length).toBeGreaterThanOrEqual(accepted.length)
})

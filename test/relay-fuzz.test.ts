import { createHash } from 'node:crypto'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startEndpoint, type TestEndpoint } from './helpers/endpoint.ts'
import { startTestRelay, testEvent, type TestProject, type TestRelay } from './helpers/relay.ts'

let relay: TestRelay
let target: TestEndpoint
let project: TestProject
let webhookId: string

/** A fingerprint of every row of every table, read through a second connection. */
function snapshot(): string {
  const file = new SQLite(join(relay.dataDir, 'hookline.db'), { readonly: true })
  try {
    const hash = createHash('sha256')
    const tables = file
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'kysely_%' ORDER BY name")
      .all() as { name: string }[]
    for (const { name } of tables)
      hash.update(name + JSON.stringify(file.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all()))
    return hash.digest('hex')
  } finally {
    file.close()
  }
}

beforeAll(async () => {
  relay = await startTestRelay()
  target = await startEndpoint()
  project = await relay.createProject()
  webhookId = (await relay.createWebhook(project.projectId, { url: target.url })).webhook.id
  await relay.ingest(project.keys.test, [testEvent(), testEvent()])
  await target.waitFor(2)
  // The store must be at rest before fuzzing: an endpoint can have the request before the relay
  // has read its answer and written the attempt, so wait for both deliveries to be final.
  const deadline = Date.now() + 10_000
  for (;;) {
    await relay.context.dispatcher.flush()
    const { body } = await relay.admin('GET', `/v1/projects/${project.projectId}/webhooks/${webhookId}/deliveries`)
    const statuses = (body as { deliveries: { status: string }[] }).deliveries.map((d) => d.status)
    if (statuses.length === 2 && statuses.every((status) => status === 'succeeded')) break
    if (Date.now() > deadline) throw new Error(`deliveries did not settle: ${statuses.join(', ')}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
})
afterAll(async () => {
  await relay.close()
  await target.close()
})

const header = fc.string({
  unit: fc.constantFrom(...' !#$%&*+-./0123456789:;=?@ABCXYZ_abcxyz~'.split('')),
  maxLength: 60,
})
const contentType = fc.oneof(
  fc.constantFrom(
    'application/json',
    'text/plain',
    'text/plain;charset=UTF-8',
    'application/x-www-form-urlencoded',
    'multipart/form-data',
    '',
  ),
  header,
)
// Events that can never be valid: the id never has the evt_ prefix.
const brokenEvent = fc.record(
  {
    id: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
    name: fc.oneof(fc.string(), fc.constant('checkout-completed')),
    ts: fc.string(),
    sessionId: fc.string(),
    props: fc.jsonValue(),
  },
  { requiredKeys: [] },
)
const body = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc
    .record({
      sentAt: fc.oneof(fc.string(), fc.constant(new Date().toISOString())),
      events: fc.oneof(fc.array(brokenEvent, { maxLength: 5 }), fc.jsonValue()),
    })
    .map((value) => JSON.stringify(value)),
  fc
    .integer({ min: 500_000, max: 560_000 })
    .map((size) =>
      JSON.stringify({ sentAt: new Date().toISOString(), events: [{ id: 'x', props: { blob: 'x'.repeat(size) } }] }),
    ),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
)
const ok = (status: number) => expect(status, 'a 5xx for bad input').toBeLessThan(500)

describe('fuzzed bad input', () => {
  test('ingest: never a 5xx, never a change to the store', async () => {
    const before = snapshot()
    await fc.assert(
      fc.asyncProperty(
        body,
        contentType,
        fc.constantFrom('test', 'none', 'garbage', 'query'),
        header,
        async (text, type, auth, origin) => {
          const headers: Record<string, string> = {}
          if (type) headers['content-type'] = type
          if (auth === 'test') headers.authorization = `Bearer ${project.keys.test}`
          if (auth === 'garbage') headers.authorization = `Bearer ${origin}`
          if (origin) headers.origin = origin
          const query = auth === 'query' ? `?key=${encodeURIComponent(project.keys.test)}` : ''
          const res = await fetch(`${relay.url}/v1/events${query}`, { method: 'POST', headers, body: text })
          await res.arrayBuffer()
          ok(res.status)
        },
      ),
      { numRuns: 150 },
    )
    expect(snapshot()).toBe(before)
  })

  test('admin routes: never a 5xx, never a change to the store', async () => {
    const before = snapshot()
    const { projectId } = project
    const routes = [
      ['POST', '/v1/projects'],
      ['PATCH', `/v1/projects/${projectId}`],
      ['POST', `/v1/projects/${projectId}/webhooks`],
      ['PATCH', `/v1/projects/${projectId}/webhooks/${webhookId}`],
      ['PUT', `/v1/projects/${projectId}/config`],
      ['GET', `/v1/projects/${projectId}/webhooks/${webhookId}/deliveries?status=`],
      ['GET', `/v1/projects/${projectId}/events?limit=`],
      ['GET', `/v1/projects/${projectId}/stats?window=`],
      ['POST', `/v1/projects/${projectId}/webhooks/wh_nope/rotate-secret`],
      ['POST', `/v1/projects/prj_nope/webhooks/${webhookId}/resume`],
    ] as const
    // Bodies that a route must refuse: JSON with an unknown field, or a config whose variables are not an object.
    const adminBody = fc.oneof(
      body,
      fc
        .dictionary(fc.string(), fc.jsonValue())
        .map((value) => JSON.stringify({ ...value, __fuzz: true, variables: 'nope' })),
    )
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        adminBody,
        contentType,
        fc.string({ maxLength: 30 }),
        async ([method, path], text, type, query) => {
          const url = `${relay.url}${path}${path.endsWith('=') ? encodeURIComponent(query) : ''}`
          const res = await fetch(url, {
            method,
            headers: { authorization: `Bearer ${relay.adminToken}`, ...(type ? { 'content-type': type } : {}) },
            body: method === 'GET' ? undefined : text,
          })
          await res.arrayBuffer()
          ok(res.status)
        },
      ),
      { numRuns: 200 },
    )
    expect(snapshot()).toBe(before)
  })

  test('random paths and methods: a JSON 4xx, never a 5xx', async () => {
    const segment = fc.string({
      unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789_-.%'.split('')),
      maxLength: 12,
    })
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
        fc.array(segment, { maxLength: 5 }),
        async (method, parts) => {
          const path = '/v1/' + parts.join('/')
          if (/^\/v1\/(inbound|stream)/.test(path)) return // the stream's own routes are fuzzed by their tests
          const res = await fetch(relay.url + path, {
            method,
            headers: { authorization: `Bearer ${relay.adminToken}`, 'content-type': 'application/json' },
            body: method === 'GET' ? undefined : '{}',
          })
          ok(res.status)
          if (res.status >= 400)
            expect(((await res.json()) as { error: { code: string } }).error.code).toMatch(/^[a-z_]+$/)
          else await res.arrayBuffer()
        },
      ),
      { numRuns: 150 },
    )
  })
})

import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startEndpoint, type TestEndpoint } from './helpers/endpoint.ts'
import { startTestRelay, testEvent, type TestProject, type TestRelay } from './helpers/relay.ts'
import { storeSnapshot } from './helpers/store-snapshot.ts'

let relay: TestRelay
let target: TestEndpoint
let project: TestProject
let webhookId: string

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
    const before = storeSnapshot(relay.dataDir)
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
    expect(storeSnapshot(relay.dataDir)).toBe(before)
  })

  test('admin routes: never a 5xx, never a change to the store', async () => {
    const before = storeSnapshot(relay.dataDir)
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
    expect(storeSnapshot(relay.dataDir)).toBe(before)
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

// Operator inputs of delivery semantics: filters, recovery backoffs, ordering, test sends and replays. These
// routes may change the store (a valid body does something), so only the answer is checked.
describe('fuzzed delivery-semantics input', () => {
  const operator = fc.constantFrom(
    '$gte',
    '$in',
    '$regex',
    '$elemMatch',
    '$where',
    '$nope',
    '$and',
    '$or',
    '$not',
    '$size',
    '$type',
    '$mod',
    '$exists',
  )
  const query: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      fc.jsonValue({ maxDepth: 2 }),
      fc.dictionary(fc.oneof(operator, fc.constantFrom('data.total', 'type', 'session.screen')), tie('node'), {
        maxKeys: 3,
      }),
      fc.array(tie('node'), { maxLength: 3 }),
    ),
  })).node
  const semanticsBody = fc.record(
    {
      filter: query,
      autoResume: fc.oneof(
        fc.boolean(),
        fc.jsonValue({ maxDepth: 2 }),
        fc.record({ scheduleMs: fc.array(fc.integer(), { maxLength: 4 }) }),
      ),
      ordering: fc.oneof(fc.constantFrom('none', 'session'), fc.jsonValue({ maxDepth: 1 })),
      plain: fc.jsonValue({ maxDepth: 1 }),
      event: fc.oneof(
        fc.jsonValue({ maxDepth: 2 }),
        fc.record({ name: fc.string(), props: fc.jsonValue() }, { requiredKeys: [] }),
      ),
      since: fc.oneof(
        fc.string({ maxLength: 30 }),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.integer(),
      ),
      until: fc.oneof(
        fc.string({ maxLength: 30 }),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      ),
      sessionId: fc.oneof(fc.string({ maxLength: 120 }), fc.integer()),
      onlyFailed: fc.jsonValue({ maxDepth: 1 }),
      includeDelivered: fc.jsonValue({ maxDepth: 1 }),
      name: fc.constant('fuzz'),
      url: fc.constant('http://127.0.0.1:9/'),
      events: fc.constant(['*']),
    },
    { requiredKeys: [] },
  )

  test('webhook create/patch with filter, autoResume and ordering, test send, replay, pause and resume: never a 5xx', async () => {
    const { projectId } = project
    const routes = [
      ['POST', `/v1/projects/${projectId}/webhooks`],
      ['PATCH', `/v1/projects/${projectId}/webhooks/${webhookId}`],
      ['POST', `/v1/projects/${projectId}/webhooks/${webhookId}/test`],
      ['POST', `/v1/projects/${projectId}/webhooks/${webhookId}/replay`],
      ['POST', `/v1/projects/${projectId}/webhooks/${webhookId}/pause`],
      ['POST', `/v1/projects/${projectId}/webhooks/${webhookId}/resume`],
    ] as const
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.oneof(
          semanticsBody.map((b) => JSON.stringify(b)),
          body,
        ),
        async ([method, path], text) => {
          const res = await fetch(relay.url + path, {
            method,
            headers: { authorization: `Bearer ${relay.adminToken}`, 'content-type': 'application/json' },
            body: text,
          })
          await res.arrayBuffer()
          ok(res.status)
        },
      ),
      { numRuns: 200 },
    )
  })
})

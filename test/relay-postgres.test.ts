import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { Webhook } from 'standardwebhooks'
import { startEndpoint, type TestEndpoint } from './helpers/endpoint.ts'
import { postgresSchema } from './helpers/postgres.ts'
import { startTestRelay, testEvent, type TestRelay } from './helpers/relay.ts'

// The PostgreSQL dialect, against the CI database, in a schema of this file's own.
const { databaseUrl, drop } = postgresSchema('relay_test')
const relays: TestRelay[] = []
let target: TestEndpoint

beforeAll(async () => {
  target = await startEndpoint()
})
afterAll(async () => {
  for (const relay of relays) await relay.close()
  await target.close()
  await drop()
})

async function relayOnPostgres() {
  const relay = await startTestRelay({ databaseUrl })
  relays.push(relay)
  return relay
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('Timed out')
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

describe('PostgreSQL storage', () => {
  test('ingest, dedupe, signed delivery, retries with one webhook-id, the log and stats', async () => {
    const relay = await relayOnPostgres()
    const { projectId, keys } = await relay.createProject()
    const calls = new Map<string, number>()
    target.respond((request) => {
      const id = JSON.parse(request.body).id as string
      calls.set(id, (calls.get(id) ?? 0) + 1)
      return calls.get(id) === 1 && id.endsWith('0') ? { status: 503 } : { status: 200 }
    })
    const { webhook, secret } = await relay.createWebhook(projectId, { url: target.url, retry: { scheduleMs: [20] } })
    const events = Array.from({ length: 30 }, () => testEvent())
    const first = await relay.ingest(keys.test, events)
    expect(first.body.accepted).toHaveLength(30)
    const again = await relay.ingest(keys.test, events.slice(0, 5))
    expect(again.body.duplicates).toHaveLength(5)

    await until(
      () =>
        events.every((event) => calls.has(event.id)) &&
        target.requests.length >= 30 + events.filter((e) => e.id.endsWith('0')).length,
    )
    for (const request of target.requests) new Webhook(secret).verify(request.body, request.headers)
    const byEvent = new Map<string, Set<string>>()
    for (const request of target.requests) {
      const id = JSON.parse(request.body).id
      byEvent.set(id, (byEvent.get(id) ?? new Set()).add(request.headers['webhook-id']!))
    }
    expect([...byEvent.values()].every((ids) => ids.size === 1)).toBe(true)

    let deliveries: any[] = []
    await until(async () => {
      deliveries = (await relay.admin('GET', `/v1/projects/${projectId}/webhooks/${webhook.id}/deliveries?limit=200`))
        .body.deliveries
      return deliveries.length === 30 && deliveries.every((d) => d.status === 'succeeded')
    })
    const log = await relay.admin('GET', `/v1/projects/${projectId}/events?limit=5`)
    expect(log.body.events).toHaveLength(5)
    expect(log.body.events[0].deliveries.succeeded).toBe(1)
    const stats = await relay.admin('GET', `/v1/projects/${projectId}/stats`)
    expect(stats.body.events).toMatchObject({ count: 30, sessions: 1, valid: 30 })
    expect(stats.body.deliveries).toMatchObject({ succeeded: 30, successRate: 1 })
  })

  test('two relay nodes share the queue: FOR UPDATE SKIP LOCKED gives each delivery to one of them', async () => {
    const a = await relayOnPostgres()
    const b = await relayOnPostgres()
    const { projectId, keys } = await a.createProject()
    const endpoint = await startEndpoint({ status: 200, delayMs: 5 })
    try {
      await a.createWebhook(projectId, { url: endpoint.url })
      const events = Array.from({ length: 200 }, () => testEvent())
      for (let i = 0; i < 200; i += 50) await (i % 100 === 0 ? a : b).ingest(keys.test, events.slice(i, i + 50))
      await endpoint.waitFor(200, 15_000)
      await new Promise((resolve) => setTimeout(resolve, 200))
      const ids = endpoint.requests.map((request) => JSON.parse(request.body).id)
      expect(new Set(ids).size).toBe(200)
      expect(ids).toHaveLength(200)
    } finally {
      await endpoint.close()
    }
  })

  test('a webhook changed on one node is not sent from a stale copy on another (LISTEN/NOTIFY)', async () => {
    const [a, b] = relays.length >= 2 ? relays.slice(-2) : [await relayOnPostgres(), await relayOnPostgres()]
    const before = await startEndpoint()
    const after = await startEndpoint()
    try {
      const { projectId, keys } = await a!.createProject()
      const { webhook } = await a!.createWebhook(projectId, { url: before.url })
      // Both nodes load and cache the webhook.
      await a!.ingest(keys.test, [testEvent()])
      await b!.ingest(keys.test, [testEvent()])
      await before.waitFor(2)
      expect(
        (await a!.admin('PATCH', `/v1/projects/${projectId}/webhooks/${webhook.id}`, { url: after.url })).status,
      ).toBe(200)
      await new Promise((resolve) => setTimeout(resolve, 300))
      for (let i = 0; i < 4; i++)
        await (i % 2 ? a : b)!.ingest(
          keys.test,
          Array.from({ length: 10 }, () => testEvent()),
        )
      await after.waitFor(40, 10_000)
      expect(before.requests).toHaveLength(2)
    } finally {
      await before.close()
      await after.close()
    }
  })

  test('a project changed on one node is seen by the others (allowed origins)', async () => {
    const [a, b] = relays.length >= 2 ? relays.slice(-2) : [await relayOnPostgres(), await relayOnPostgres()]
    const { projectId, keys } = await a!.createProject({ allowedOrigins: ['https://a.example'] })
    const send = () =>
      b!.request('/v1/events', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${keys.test}`,
          'content-type': 'application/json',
          origin: 'https://b.example',
        },
        body: JSON.stringify({ sentAt: new Date().toISOString(), events: [testEvent()] }),
      })
    expect((await send()).status).toBe(403)
    await a!.admin('PATCH', `/v1/projects/${projectId}`, { allowedOrigins: ['https://b.example'] })
    await until(async () => (await send()).status === 202, 3000)
  })
})

import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { LIMITS } from '@hookline/protocol'
import { startEndpoint, type TestEndpoint } from './helpers/endpoint.ts'
import { startTestRelay, testEvent, type TestRelay } from './helpers/relay.ts'

let relay: TestRelay
let target: TestEndpoint
beforeAll(async () => {
  relay = await startTestRelay()
  target = await startEndpoint()
})
afterAll(async () => {
  await relay.close()
  await target.close()
})

const post = async (key: string | null, body: string, headers: Record<string, string> = {}, query = '') =>
  relay.request(`/v1/events${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body: await relay.withSessionTokens(key ?? new URLSearchParams(query).get('key') ?? '', body),
  })

const batch = (events: unknown[]) => JSON.stringify({ sentAt: new Date().toISOString(), events })

describe('POST /v1/events', () => {
  test('needs a valid publishable key', async () => {
    expect((await post(null, batch([testEvent()]))).body.error.code).toBe('missing_key')
    const wrong = await post('pk_test_AAAAAAAAAAAAAAAAAAAAAAAA', batch([testEvent()]))
    expect(wrong.status).toBe(401)
    expect(wrong.body.error.code).toBe('invalid_key')
  })

  test('a bad event is rejected alone; re-sent ids are duplicates', async () => {
    const { keys } = await relay.createProject()
    const good = testEvent()
    const res = await post(keys.test, batch([good, { ...testEvent(), name: 'Bad Name!' }, { nonsense: true }, good]))
    expect(res.status).toBe(202)
    expect(res.body.accepted).toEqual([good.id])
    expect(res.body.duplicates).toEqual([good.id])
    expect(res.body.rejected).toHaveLength(2)
    expect(res.body.rejected[0].error).toMatchObject({ code: 'invalid_event' })
    expect(res.body.rejected[0].error.message).toContain('name')
    expect(res.body.rejected[1].id).toBeNull()
    const again = await post(keys.test, batch([good]))
    expect(again.body).toEqual({ accepted: [], duplicates: [good.id], rejected: [], deliveries: { [good.id]: 0 } })
  })

  test('concurrent requests carrying one id: exactly one accepts it', async () => {
    const { keys } = await relay.createProject()
    const shared = testEvent()
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(keys.test, batch([shared, testEvent()]))))
    expect(answers.filter((res) => res.body.accepted.includes(shared.id))).toHaveLength(1)
    expect(answers.filter((res) => res.body.duplicates.includes(shared.id))).toHaveLength(5)
    expect(
      answers.every((res) => (res.body.accepted as string[]).length + (res.body.duplicates as string[]).length === 2),
    ).toBe(true)
  })

  test('limits: 512 KiB body → 413, 500 events → 413, a 64 KiB event is rejected alone', async () => {
    const { keys } = await relay.createProject()
    const big = await post(keys.test, batch([testEvent({ props: { blob: 'x'.repeat(LIMITS.batchBytes) } })]))
    expect(big.status).toBe(413)
    expect(big.body.error.code).toBe('payload_too_large')
    const many = await post(keys.test, batch(Array.from({ length: 501 }, () => testEvent())))
    expect(many.status).toBe(413)
    expect(many.body.error.code).toBe('too_many_events')
    const fat = testEvent({ props: { blob: 'x'.repeat(LIMITS.eventBytes) } })
    const thin = testEvent()
    const one = await post(keys.test, batch([fat, thin]))
    expect(one.status).toBe(202)
    expect(one.body.accepted).toEqual([thin.id])
    expect(one.body.rejected).toMatchObject([{ id: fat.id, error: { code: 'event_too_large' } }])
  })

  test('wrong content type → 415, malformed JSON → 400, bad envelope → 400', async () => {
    const { keys } = await relay.createProject()
    expect((await post(keys.test, 'x', { 'content-type': 'application/xml' })).status).toBe(415)
    const malformed = await post(keys.test, '{"sentAt":')
    expect(malformed.status).toBe(400)
    expect(malformed.body.error.code).toBe('malformed_json')
    const envelope = await post(keys.test, JSON.stringify({ events: 'nope' }))
    expect(envelope.status).toBe(400)
    expect(envelope.body.error.code).toBe('invalid_input')
  })

  test('sendBeacon: text/plain with ?key= is accepted', async () => {
    const { keys } = await relay.createProject()
    const event = testEvent()
    const res = await post(
      null,
      batch([event]),
      { 'content-type': 'text/plain;charset=UTF-8', origin: 'https://proto.example' },
      `?key=${keys.test}`,
    )
    expect(res.status).toBe(202)
    expect(res.body.accepted).toEqual([event.id])
  })

  test('CORS: any origin for test keys while allowedOrigins is empty; only the list otherwise; never for live keys without a list', async () => {
    const open = await relay.createProject()
    const anyOrigin = await post(open.keys.test, batch([testEvent()]), { origin: 'https://a.example' })
    expect(anyOrigin.status).toBe(202)
    expect(anyOrigin.headers.get('access-control-allow-origin')).toBe('https://a.example')
    const live = await post(open.keys.live, batch([testEvent()]), { origin: 'https://a.example' })
    expect(live.status).toBe(403)
    expect(live.body.error.code).toBe('origin_not_allowed')
    expect(live.headers.get('access-control-allow-origin')).toBeNull()

    const closed = await relay.createProject({ allowedOrigins: ['https://app.example'] })
    expect((await post(closed.keys.test, batch([testEvent()]), { origin: 'https://evil.example' })).status).toBe(403)
    expect((await post(closed.keys.live, batch([testEvent()]), { origin: 'https://app.example' })).status).toBe(202)
    const preflight = await relay.request('/v1/events', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example')
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization')
  })

  test('stored before 202: accepted events are in the event log at once', async () => {
    const { projectId, keys } = await relay.createProject()
    const events = Array.from({ length: 20 }, () => testEvent())
    await post(keys.test, batch(events))
    const log = await relay.admin('GET', `/v1/projects/${projectId}/events?limit=10`)
    expect(log.body.events).toHaveLength(10)
    const rest = await relay.admin('GET', `/v1/projects/${projectId}/events?limit=10&cursor=${log.body.nextCursor}`)
    expect([...log.body.events, ...rest.body.events].map((e: any) => e.id).sort()).toEqual(
      events.map((e) => e.id).sort(),
    )
  })
})

describe('rate limit', () => {
  test('over the token bucket: 429 with Retry-After', async () => {
    const limited = await startTestRelay({ rateLimit: { perSecond: 1, burst: 2 } })
    try {
      const { keys } = await limited.createProject()
      const send = () => limited.ingest(keys.test, [testEvent()])
      expect((await send()).status).toBe(202)
      expect((await send()).status).toBe(202)
      const third = await send()
      expect(third.status).toBe(429)
      expect(third.body.error.code).toBe('rate_limited')
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
      // Another key has its own bucket.
      const other = await limited.createProject()
      expect((await limited.ingest(other.keys.test, [testEvent()])).status).toBe(202)
    } finally {
      await limited.close()
    }
  })
})

describe('project config and monitoring', () => {
  test('config with JSON Schemas: bad schema → 400; invalid props accepted but counted; GET /v1/config by key', async () => {
    const { projectId, keys } = await relay.createProject()
    const badSchema = await relay.admin('PUT', `/v1/projects/${projectId}/config`, {
      events: [{ name: 'add-to-cart', schema: { type: 'nope' } }],
      variables: {},
    })
    expect(badSchema.status).toBe(400)
    expect(badSchema.body.error.code).toBe('invalid_schema')
    const config = {
      events: [
        {
          name: 'add-to-cart',
          trigger: { tap: '#add' },
          schema: { type: 'object', required: ['sku'], properties: { sku: { type: 'string' } } },
        },
      ],
      variables: { plan: 'free', cartCount: 0 },
    }
    expect((await relay.admin('PUT', `/v1/projects/${projectId}/config`, config)).status).toBe(200)
    expect((await relay.admin('GET', `/v1/projects/${projectId}/config`)).body.config).toEqual(config)
    const byKey = await relay.request('/v1/config', { headers: { authorization: `Bearer ${keys.test}` } })
    expect(byKey.body).toEqual(config)

    const { webhook } = await relay.createWebhook(projectId, { url: target.url })
    const res = await relay.ingest(keys.test, [
      { name: 'add-to-cart', props: { sku: 'A1' }, sessionId: 'ses_statsession0001' },
      { name: 'add-to-cart', props: { qty: 1 }, sessionId: 'ses_statsession0001' },
      { name: 'add-to-cart', props: { sku: 'B2' }, sessionId: 'ses_statsession0002' },
    ])
    expect(res.body.accepted).toHaveLength(3)
    const log = await relay.admin('GET', `/v1/projects/${projectId}/events`)
    expect(log.body.events.filter((e: any) => !e.valid)).toHaveLength(1)

    let stats: any
    for (let i = 0; i < 100; i++) {
      stats = (await relay.admin('GET', `/v1/projects/${projectId}/stats`)).body
      if (stats.deliveries.succeeded === 3) break
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(stats.events).toMatchObject({ count: 3, sessions: 2, firesPerSession: 1.5, valid: 2 })
    expect(stats.events.validationRate).toBeCloseTo(2 / 3)
    expect(stats.deliveries).toMatchObject({ succeeded: 3, failed: 0, successRate: 1, queueDepth: 0 })
    expect(stats.deliveries.latencyMs.p99).toBeGreaterThanOrEqual(0)
    expect(stats.webhooks[0]).toMatchObject({ succeeded: 3, successRate: 1 })
    // The relay's own notices (a pause by hand here) are in the event log, not in the prototype's figures.
    await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${webhook.id}/pause`)
    expect((await relay.admin('GET', `/v1/projects/${projectId}/events`)).body.events[0].name).toBe(
      'hookline.webhook.paused',
    )
    const after = (await relay.admin('GET', `/v1/projects/${projectId}/stats`)).body
    expect(after.events).toMatchObject({ count: 3, sessions: 2, firesPerSession: 1.5, valid: 2 })

    const metrics = await relay.request('/metrics', { headers: { authorization: `Bearer ${relay.adminToken}` } })
    expect(metrics.status).toBe(200)
    expect(metrics.body).toContain(`hookline_events_accepted_total{project="${projectId}",environment="test"} 3`)
    expect(metrics.body).toContain('hookline_event_to_delivery_seconds_bucket')
    expect(metrics.body).toContain('hookline_delivery_queue_depth')
    expect(metrics.body).not.toContain('whsec_')
  })

  test('stats: the attempt success rate counts every refused try, the delivery success rate final states', async () => {
    const { projectId, keys } = await relay.createProject()
    const flaky = await startEndpoint()
    try {
      // Two refusals, then a 200: one delivery delivered, one attempt in three answered 2xx.
      flaky.respond((request) => ({ status: request.index < 2 ? 503 : 200 }))
      await relay.createWebhook(projectId, { url: flaky.url, retry: { maxAttempts: 5, scheduleMs: [10, 10, 10, 10] } })
      await relay.ingest(keys.test, [{ name: 'add-to-cart', sessionId: 'ses_statsession0003' }])
      let stats: any
      for (let i = 0; i < 200; i++) {
        stats = (await relay.admin('GET', `/v1/projects/${projectId}/stats?window=1h`)).body
        if (stats.deliveries.succeeded === 1) break
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      expect(stats.deliveries).toMatchObject({ succeeded: 1, failed: 0, successRate: 1 })
      expect(stats.attempts).toEqual({ succeeded: 1, failed: 2, successRate: 1 / 3 })
      expect(stats.webhooks[0]).toMatchObject({ successRate: 1, attemptSuccessRate: 1 / 3 })
    } finally {
      await flaky.close()
    }
  })

  test('latency runs from the event time, unless the browser clock is ahead or an hour behind', async () => {
    const { projectId, keys } = await relay.createProject()
    await relay.createWebhook(projectId, { url: target.url })
    const now = Date.now()
    await relay.ingest(keys.test, [testEvent({ ts: new Date(now - 3000).toISOString() })])
    let stats: any
    for (let i = 0; i < 100 && stats?.deliveries.succeeded !== 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20))
      stats = (await relay.admin('GET', `/v1/projects/${projectId}/stats`)).body
    }
    expect(stats.deliveries.latencyMs.p50).toBeGreaterThanOrEqual(3000)
    expect(stats.deliveries.latencyMs.p50).toBeLessThan(10_000)

    const skewed = await relay.createProject()
    await relay.createWebhook(skewed.projectId, { url: target.url })
    await relay.ingest(skewed.keys.test, [
      testEvent({ ts: new Date(now + 60_000).toISOString() }),
      testEvent({ ts: new Date(now - 7_200_000).toISOString() }),
    ])
    for (let i = 0; i < 100 && stats?.deliveries.succeeded !== 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20))
      stats = (await relay.admin('GET', `/v1/projects/${skewed.projectId}/stats`)).body
    }
    expect(stats.deliveries.latencyMs.p99).toBeLessThan(2000)
  })
})

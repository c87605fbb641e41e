import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { Webhook as StandardWebhook } from 'standardwebhooks'
import { Webhook as SvixWebhook } from 'svix'
import type { JsonObject, VarsFrame } from '@hookline/protocol'
import { startEndpoint, type RecordedRequest, type TestEndpoint } from './helpers/endpoint.ts'
import { startTestRelay, testEvent, type TestRelay } from './helpers/relay.ts'
import { noFrames, type FrameSink } from '@hookline/relay'

// Frames the dispatcher hands to the stream, recorded instead of sent.
const varsFrames: { projectId: string; target: unknown; set: JsonObject; source: VarsFrame['source'] }[] = []
const deliveryFrames: { sessionId: string; frame: any }[] = []
const ackFrames: { projectId: string; sessionId: string; ids: string[] }[] = []
const frames: FrameSink = {
  ...noFrames,
  ack: (projectId, sessionId, ids) => void ackFrames.push({ projectId, sessionId, ids }),
  vars: (projectId, target, set, source) => {
    varsFrames.push({ projectId, target, set, source })
    return Promise.resolve()
  },
  delivery: (_projectId, sessionId, frame) => void deliveryFrames.push({ sessionId, frame }),
}

let relay: TestRelay
const endpoints: TestEndpoint[] = []
beforeAll(async () => {
  relay = await startTestRelay({ frames })
})
afterAll(async () => {
  await relay.close()
  await Promise.all(endpoints.map((endpoint) => endpoint.close()))
})

async function endpoint(...args: Parameters<typeof startEndpoint>) {
  const started = await startEndpoint(...args)
  endpoints.push(started)
  return started
}

/** Both libraries must accept the request; each throws otherwise. */
function verifyBoth(secret: string, request: RecordedRequest) {
  const headers = {
    'webhook-id': request.headers['webhook-id']!,
    'webhook-timestamp': request.headers['webhook-timestamp']!,
    'webhook-signature': request.headers['webhook-signature']!,
  }
  new StandardWebhook(secret).verify(request.body, headers)
  new SvixWebhook(secret).verify(request.body, headers)
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline) throw new Error(`Timed out waiting; last value: ${JSON.stringify(value).slice(0, 500)}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

const deliveriesOf = (projectId: string, webhookId: string, query = '') =>
  relay
    .admin('GET', `/v1/projects/${projectId}/webhooks/${webhookId}/deliveries${query}`)
    .then((res) => res.body.deliveries as any[])

describe('outbound webhooks', () => {
  test('every request verifies with standardwebhooks and svix, and carries the default envelope', async () => {
    const target = await endpoint()
    const { projectId, keys } = await relay.createProject()
    const { webhook, secret } = await relay.createWebhook(projectId, { url: target.url + '/hook' })
    expect(secret).toMatch(/^whsec_/)
    expect(JSON.stringify(webhook)).not.toContain(secret)
    const events = [
      testEvent({ props: { total: 42 }, screen: 'checkout', vars: { plan: 'pro' } }),
      testEvent({ name: 'cart.added' }),
    ]
    const res = await relay.ingest(keys.test, events)
    expect(res.status).toBe(202)
    expect(res.body.accepted).toEqual(events.map((event) => event.id))
    await target.waitFor(2)
    for (const request of target.requests) {
      verifyBoth(secret, request)
      expect(request.headers['content-type']).toBe('application/json')
      expect(request.headers['user-agent']).toMatch(/^Hookline\/\d/)
      expect(request.headers['webhook-id']).toMatch(/^msg_/)
    }
    const first = target.requests.map((r) => JSON.parse(r.body)).find((body) => body.id === events[0]!.id)
    expect(first).toEqual({
      id: events[0]!.id,
      type: 'checkout-completed',
      timestamp: events[0]!.ts,
      projectId,
      environment: 'test',
      session: { id: events[0]!.sessionId, screen: 'checkout' },
      data: { total: 42 },
      vars: { plan: 'pro' },
    })
    const log = await relay.admin('GET', `/v1/projects/${projectId}/events`)
    expect(log.body.events).toHaveLength(2)
    await until(
      () => relay.admin('GET', `/v1/projects/${projectId}/events`),
      (r) => r.body.events.every((e: any) => e.deliveries.succeeded === 1),
    )
  })

  test('a retried delivery keeps one webhook-id, and the attempt log shows each try', async () => {
    const target = await endpoint((request) =>
      request.index < 2 ? { status: 503, body: 'busy' } : { status: 200, body: { ok: true } },
    )
    const { projectId, keys } = await relay.createProject()
    const { webhook, secret } = await relay.createWebhook(projectId, {
      url: target.url,
      retry: { maxAttempts: 4, scheduleMs: [20] },
    })
    await relay.ingest(keys.test, [testEvent()])
    await target.waitFor(3)
    expect(new Set(target.requests.map((r) => r.headers['webhook-id'])).size).toBe(1)
    for (const request of target.requests) verifyBoth(secret, request)
    const [delivery] = await until(
      () => deliveriesOf(projectId, webhook.id),
      (list) => list[0]?.status === 'succeeded',
    )
    const detail = await relay.admin(
      'GET',
      `/v1/projects/${projectId}/webhooks/${webhook.id}/deliveries/${delivery.id}`,
    )
    expect(detail.body.delivery.attempts.map((a: any) => a.status)).toEqual([503, 503, 200])
    const attempt = detail.body.delivery.attempts[0]
    expect(attempt.responseBody).toBe('busy')
    expect(attempt.request.headers['webhook-id']).toBe(delivery.messageId)
    expect(JSON.parse(attempt.request.body).type).toBe('checkout-completed')
    expect(attempt.responseHeaders['content-type']).toBe('text/plain')
    expect(typeof attempt.latencyMs).toBe('number')
  })

  test('a 400 is tried once; a 410 disables the webhook', async () => {
    const bad = await endpoint({ status: 400, body: 'no' })
    const gone = await endpoint({ status: 410 })
    const { projectId, keys } = await relay.createProject()
    const once = await relay.createWebhook(projectId, { url: bad.url, retry: { scheduleMs: [10] } })
    const disabled = await relay.createWebhook(projectId, { url: gone.url, retry: { scheduleMs: [10] } })
    await relay.ingest(keys.test, [testEvent()])
    const [failed] = await until(
      () => deliveriesOf(projectId, once.webhook.id),
      (list) => list[0]?.status === 'failed',
    )
    expect(failed.attemptCount).toBe(1)
    expect(failed.lastError).toContain('400')
    await until(
      () => relay.admin('GET', `/v1/projects/${projectId}/webhooks/${disabled.webhook.id}`),
      (r) => r.body.webhook.status === 'disabled',
    )
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(bad.requests).toHaveLength(1)
    expect(gone.requests).toHaveLength(1)
    // A disabled webhook takes no new events.
    await relay.ingest(keys.test, [testEvent()])
    await bad.waitFor(2)
    expect(gone.requests).toHaveLength(1)
  })

  test('Retry-After holds the next attempt back', async () => {
    const target = await endpoint((request) =>
      request.index === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 },
    )
    const { projectId, keys } = await relay.createProject()
    await relay.createWebhook(projectId, { url: target.url, retry: { scheduleMs: [10] } })
    await relay.ingest(keys.test, [testEvent()])
    const [first, second] = await target.waitFor(2, 5000)
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(950)
  })

  test('a hanging endpoint times out', async () => {
    const target = await endpoint({ hang: true })
    const { projectId, keys } = await relay.createProject()
    const { webhook } = await relay.createWebhook(projectId, {
      url: target.url,
      timeoutMs: 1000,
      retry: { maxAttempts: 1 },
    })
    const started = Date.now()
    await relay.ingest(keys.test, [testEvent()])
    const [failed] = await until(
      () => deliveriesOf(projectId, webhook.id),
      (list) => list[0]?.status === 'failed',
      5000,
    )
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000)
    expect(failed.lastError).toMatch(/timeout/)
    expect(failed.lastStatus).toBe(0)
  })

  test('ten consecutive failures pause the webhook; held deliveries arrive oldest first after resume', async () => {
    let healthy = false
    const target = await endpoint(() => (healthy ? { status: 200 } : { status: 500 }))
    const { projectId, keys } = await relay.createProject()
    const { webhook } = await relay.createWebhook(projectId, { url: target.url, retry: { maxAttempts: 1 } })
    await relay.ingest(
      keys.test,
      Array.from({ length: 10 }, () => testEvent()),
    )
    const paused = await until(
      () => relay.admin('GET', `/v1/projects/${projectId}/webhooks/${webhook.id}`),
      (r) => r.body.webhook.status === 'paused',
    )
    expect(paused.body.webhook.statusReason).toContain('10 consecutive')
    const held = Array.from({ length: 8 }, (_, i) => testEvent({ props: { n: i } }))
    for (const event of held) await relay.ingest(keys.test, [event])
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect(target.requests).toHaveLength(10)
    expect((await deliveriesOf(projectId, webhook.id, '?status=held')).length).toBe(8)
    healthy = true
    const resumed = await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${webhook.id}/resume`)
    expect(resumed.body.webhook.status).toBe('active')
    await target.waitFor(18)
    expect(target.requests.slice(10).map((r) => JSON.parse(r.body).id)).toEqual(held.map((e) => e.id))
  })

  test('redeliver sends a finished delivery again with the same webhook-id', async () => {
    const target = await endpoint()
    const { projectId, keys } = await relay.createProject()
    const { webhook } = await relay.createWebhook(projectId, { url: target.url })
    await relay.ingest(keys.test, [testEvent()])
    const [delivery] = await until(
      () => deliveriesOf(projectId, webhook.id),
      (list) => list[0]?.status === 'succeeded',
    )
    const res = await relay.admin(
      'POST',
      `/v1/projects/${projectId}/webhooks/${webhook.id}/deliveries/${delivery.id}/redeliver`,
    )
    expect(res.status).toBe(202)
    await target.waitFor(2)
    expect(target.requests[1]!.headers['webhook-id']).toBe(target.requests[0]!.headers['webhook-id'])
    const detail = await until(
      () => relay.admin('GET', `/v1/projects/${projectId}/webhooks/${webhook.id}/deliveries/${delivery.id}`),
      (r) => r.body.delivery.attempts.length === 2,
    )
    expect(detail.body.delivery.status).toBe('succeeded')
  })

  test('during a rotation both secrets sign, and each verifies', async () => {
    const target = await endpoint()
    const { projectId, keys } = await relay.createProject()
    const { webhook, secret: oldSecret } = await relay.createWebhook(projectId, { url: target.url })
    const rotated = await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${webhook.id}/rotate-secret`)
    const newSecret = rotated.body.secret as string
    expect(newSecret).not.toBe(oldSecret)
    await relay.ingest(keys.test, [testEvent()])
    const [request] = await target.waitFor(1)
    expect(request!.headers['webhook-signature']!.split(' ')).toHaveLength(2)
    verifyBoth(oldSecret, request!)
    verifyBoth(newSecret, request!)
    expect(
      (await relay.admin('GET', `/v1/projects/${projectId}/webhooks/${webhook.id}`)).body.webhook.secretRotating,
    ).toBe(true)
  })

  test('test keys reach only test webhooks, live keys only live ones; patterns filter names', async () => {
    const testSide = await endpoint()
    const liveSide = await endpoint()
    const { projectId, keys } = await relay.createProject()
    await relay.createWebhook(projectId, { url: testSide.url, events: ['cart.*'] })
    await relay.createWebhook(projectId, { url: liveSide.url, environment: 'live' })
    await relay.ingest(keys.test, [testEvent({ name: 'cart.added' }), testEvent({ name: 'checkout-completed' })])
    await relay.ingest(keys.live, [testEvent({ name: 'checkout-completed' })])
    await liveSide.waitFor(1)
    await testSide.waitFor(1)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(testSide.requests.map((r) => JSON.parse(r.body).type)).toEqual(['cart.added'])
    expect(liveSide.requests.map((r) => JSON.parse(r.body).environment)).toEqual(['live'])
  })

  test('a template reshapes the body, keeping JSON types of whole placeholders', async () => {
    const target = await endpoint()
    const { projectId, keys } = await relay.createProject()
    await relay.createWebhook(projectId, {
      url: target.url,
      template: { text: 'Order {{event.id}}: {{props.total}}', total: '{{props.total}}', plan: '{{vars.plan}}' },
    })
    const event = testEvent({ props: { total: 42 }, vars: { plan: 'pro' } })
    await relay.ingest(keys.test, [event])
    const [request] = await target.waitFor(1)
    expect(JSON.parse(request!.body)).toEqual({ text: `Order ${event.id}: 42`, total: 42, plan: 'pro' })
  })

  test('send test answers with the attempt (the plain webhook.test body)', async () => {
    const target = await endpoint({ status: 201, body: { received: true } })
    const { projectId } = await relay.createProject()
    const { webhook, secret } = await relay.createWebhook(projectId, { url: target.url })
    const res = await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${webhook.id}/test`, { plain: true })
    expect(res.status).toBe(200)
    expect(res.body.delivery.status).toBe('succeeded')
    expect(res.body.delivery.attempts).toMatchObject([{ status: 201, responseBody: '{"received":true}', error: null }])
    const body = JSON.parse(target.requests[0]!.body)
    expect(body).toMatchObject({
      type: 'webhook.test',
      projectId,
      data: { message: 'This is a test event from Hookline', test: true },
    })
    verifyBoth(secret, target.requests[0]!)
  })

  test('one slow endpoint never delays another', async () => {
    const slow = await endpoint({ delayMs: 1500 })
    const fast = await endpoint()
    const { projectId, keys } = await relay.createProject()
    await relay.createWebhook(projectId, { url: slow.url })
    await relay.createWebhook(projectId, { url: fast.url })
    const started = Date.now()
    await relay.ingest(
      keys.test,
      Array.from({ length: 150 }, () => testEvent()),
    )
    await fast.waitFor(150, 5000)
    expect(Date.now() - started).toBeLessThan(1400)
  })

  test('a mapped JSON answer becomes variables of the session, and each attempt a delivery frame', async () => {
    const target = await endpoint({ status: 200, body: { order: { status: 'shipped', eta: 3 } } })
    const { projectId, keys } = await relay.createProject()
    await relay.createWebhook(projectId, {
      url: target.url,
      response: { set: { orderStatus: '$.order.status', eta: '$.order.eta', missing: '$.nope' } },
    })
    const event = testEvent({ sessionId: 'ses_mapped000000001' })
    await relay.ingest(keys.test, [event])
    await until(() => Promise.resolve(varsFrames.find((f) => f.projectId === projectId)), Boolean)
    const frame = varsFrames.find((f) => f.projectId === projectId)!
    expect(frame.target).toEqual({ session: 'ses_mapped000000001' })
    expect(frame.set).toEqual({ orderStatus: 'shipped', eta: 3 })
    expect(frame.source.kind).toBe('response')
    expect(deliveryFrames.find((f) => f.frame.eventId === event.id)).toMatchObject({
      sessionId: 'ses_mapped000000001',
      frame: { ok: true, status: 200, attempt: 1, final: true },
    })
  })

  test('PATCH changes a webhook; disabling stops new deliveries, enabling resumes; DELETE removes it', async () => {
    const first = await endpoint()
    const second = await endpoint()
    const { projectId, keys } = await relay.createProject()
    const { webhook } = await relay.createWebhook(projectId, { url: first.url, events: ['a'] })
    const path = `/v1/projects/${projectId}/webhooks/${webhook.id}`
    const patched = await relay.admin('PATCH', path, {
      url: second.url,
      events: ['b'],
      timeoutMs: 2000,
      retry: { maxAttempts: 2 },
    })
    expect(patched.body.webhook).toMatchObject({
      url: second.url,
      events: ['b'],
      timeoutMs: 2000,
      retry: { maxAttempts: 2, scheduleMs: null },
    })
    expect((await relay.admin('PATCH', path, { url: 'ftp://x' })).status).toBe(400)
    expect((await relay.admin('PATCH', path, { color: 'red' })).status).toBe(400)
    await relay.ingest(keys.test, [testEvent({ name: 'a' }), testEvent({ name: 'b' })])
    await second.waitFor(1)
    expect(JSON.parse(second.requests[0]!.body).type).toBe('b')
    expect(first.requests).toHaveLength(0)

    expect((await relay.admin('PATCH', path, { enabled: false })).body.webhook).toMatchObject({
      status: 'disabled',
      enabled: false,
    })
    await relay.ingest(keys.test, [testEvent({ name: 'b' })])
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(second.requests).toHaveLength(1)
    expect((await relay.admin('PATCH', path, { enabled: true })).body.webhook.status).toBe('active')
    await relay.ingest(keys.test, [testEvent({ name: 'b' })])
    await second.waitFor(2)

    expect((await relay.admin('DELETE', path)).status).toBe(204)
    expect((await relay.admin('GET', path)).status).toBe(404)
    expect((await relay.admin('GET', `/v1/projects/${projectId}/webhooks`)).body.webhooks).toEqual([])
  })

  test('a beacon batch (text/plain, ?key=) is acknowledged to its sessions over the stream', async () => {
    const { projectId, keys } = await relay.createProject()
    const events = [testEvent({ sessionId: 'ses_beacon00000001' }), testEvent({ sessionId: 'ses_beacon00000002' })]
    const res = await relay.request(`/v1/events?key=${keys.test}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify({ sentAt: new Date().toISOString(), events }),
    })
    expect(res.status).toBe(202)
    expect(ackFrames.filter((f) => f.projectId === projectId)).toEqual([
      { projectId, sessionId: 'ses_beacon00000001', ids: [events[0]!.id] },
      { projectId, sessionId: 'ses_beacon00000002', ids: [events[1]!.id] },
    ])
  })
})

import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { Webhook as StandardWebhook } from 'standardwebhooks'
import { startEndpoint, type RecordedRequest, type TestEndpoint } from './helpers/endpoint.ts'
import { startTestRelay, testEvent, type TestRelay } from './helpers/relay.ts'
import { until } from './helpers/until.ts'

let relay: TestRelay
const endpoints: TestEndpoint[] = []
beforeAll(async () => {
  relay = await startTestRelay()
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

const bodies = (target: TestEndpoint) => target.requests.map((request) => JSON.parse(request.body))
const types = (target: TestEndpoint) => bodies(target).map((body) => body.type as string)
const verify = (secret: string, request: RecordedRequest) =>
  new StandardWebhook(secret).verify(request.body, {
    'webhook-id': request.headers['webhook-id']!,
    'webhook-timestamp': request.headers['webhook-timestamp']!,
    'webhook-signature': request.headers['webhook-signature']!,
  })
const eventLog = (projectId: string) =>
  relay.admin('GET', `/v1/projects/${projectId}/events?limit=200`).then((res) => res.body.events as any[])

describe('operational events', () => {
  test('the hookline. prefix is reserved: such an event is rejected alone', async () => {
    const { keys } = await relay.createProject()
    const good = testEvent()
    const forged = testEvent({ name: 'hookline.webhook.paused' })
    const res = await relay.ingest(keys.test, [good, forged, testEvent({ name: 'hookline.anything' })])
    expect(res.status).toBe(202)
    expect(res.body.accepted).toEqual([good.id])
    expect(res.body.rejected).toMatchObject([
      { id: forged.id, error: { code: 'reserved_event_name' } },
      { error: { code: 'reserved_event_name' } },
    ])
  })

  test('exhausted deliveries and a pause reach hookline.* subscribers, signed; never * nor the failing webhook', async () => {
    const failing = await endpoint({ status: 400, body: 'no' })
    const ops = await endpoint()
    const everything = await endpoint()
    const { projectId, keys } = await relay.createProject()
    // It subscribes to its own trouble too: it must still never be sent news of itself.
    const { webhook: bad } = await relay.createWebhook(projectId, {
      name: 'Broken CRM',
      url: failing.url,
      events: ['*', 'hookline.*'],
      retry: { maxAttempts: 1 },
    })
    const { secret } = await relay.createWebhook(projectId, { url: ops.url, events: ['hookline.*'] })
    await relay.createWebhook(projectId, { url: everything.url, events: ['*'] })

    const events = Array.from({ length: 10 }, (_, i) => testEvent({ props: { n: i } }))
    for (const event of events) await relay.ingest(keys.test, [event])
    await ops.waitFor((list) => list.some((r) => r.body.includes('hookline.webhook.paused')))
    await ops.waitFor(11)
    expect(types(ops).filter((type) => type === 'hookline.delivery.exhausted')).toHaveLength(10)
    for (const request of ops.requests) verify(secret, request)

    const exhausted = bodies(ops).find((body) => body.type === 'hookline.delivery.exhausted')
    expect(exhausted).toMatchObject({
      environment: 'test',
      projectId,
      data: {
        webhook: { id: bad.id, name: 'Broken CRM' },
        reason: expect.stringContaining('failed after 1 attempt'),
        lastAttempt: { eventName: 'checkout-completed', attempt: 1, status: 400, error: expect.any(String) },
      },
    })
    expect(events.map((event) => event.id)).toContain(exhausted.data.lastAttempt.eventId)
    const paused = bodies(ops).find((body) => body.type === 'hookline.webhook.paused')
    expect(paused.data).toMatchObject({
      webhook: { id: bad.id },
      reason: expect.stringContaining('10 consecutive failed attempts'),
      lastAttempt: { status: 400 },
    })

    await everything.waitFor(10)
    expect(types(everything).every((type) => type === 'checkout-completed')).toBe(true)
    expect(types(failing).every((type) => !type.startsWith('hookline.'))).toBe(true)

    // In the event log, like any event.
    const log = await eventLog(projectId)
    expect(log.filter((entry) => entry.name === 'hookline.delivery.exhausted')).toHaveLength(10)
    expect(log.find((entry) => entry.name === 'hookline.webhook.paused')).toMatchObject({ deliveries: { total: 1 } })

    // A resume by hand says so too.
    await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${bad.id}/resume`)
    await ops.waitFor((list) => list.some((r) => r.body.includes('hookline.webhook.resumed')))
    const resumed = bodies(ops).find((body) => body.type === 'hookline.webhook.resumed')
    expect(resumed.data).toEqual({
      webhook: { id: bad.id, name: 'Broken CRM' },
      reason: 'Resumed by hand.',
      lastAttempt: null,
    })
  })

  test('a 410 disables the webhook and says so; a retried operational event keeps its webhook-id', async () => {
    const gone = await endpoint({ status: 410 })
    const ops = await endpoint((request) => (request.index === 0 ? { status: 503 } : {}))
    const { projectId, keys } = await relay.createProject()
    const { webhook } = await relay.createWebhook(projectId, { url: gone.url })
    await relay.createWebhook(projectId, {
      url: ops.url,
      events: ['hookline.webhook.disabled'],
      retry: { scheduleMs: [50] },
    })
    await relay.ingest(keys.test, [testEvent()])
    const [first, second] = await ops.waitFor(2)
    expect(JSON.parse(second!.body)).toMatchObject({
      type: 'hookline.webhook.disabled',
      data: { webhook: { id: webhook.id }, reason: 'The endpoint answered 410 Gone.', lastAttempt: { status: 410 } },
    })
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id'])
    // 410 is a final failure: it is exhausted as well, which this webhook did not subscribe to.
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(types(ops).every((type) => type === 'hookline.webhook.disabled')).toBe(true)
  })

  test('two failing webhooks subscribed to each other’s trouble do not feed each other', async () => {
    const a = await endpoint({ status: 400 })
    const b = await endpoint({ status: 400 })
    const { projectId, keys } = await relay.createProject()
    await relay.createWebhook(projectId, { url: a.url, events: ['*', 'hookline.*'], retry: { maxAttempts: 1 } })
    await relay.createWebhook(projectId, { url: b.url, events: ['hookline.*'], retry: { maxAttempts: 1 } })
    await relay.ingest(keys.test, [testEvent()])
    // a fails the event; b is told and fails that too, which emits nothing more.
    await b.waitFor(1)
    await new Promise((resolve) => setTimeout(resolve, 500))
    const log = await until(
      () => eventLog(projectId),
      (entries) => entries.every((entry) => entry.deliveries.pending === 0),
    )
    expect(log.map((entry) => entry.name).sort()).toEqual(['checkout-completed', 'hookline.delivery.exhausted'])
    expect(a.requests).toHaveLength(1)
    expect(b.requests).toHaveLength(1)
  })
})

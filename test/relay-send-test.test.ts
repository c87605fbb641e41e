import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { Webhook as StandardWebhook } from 'standardwebhooks'
import { startEndpoint, type RecordedRequest, type TestEndpoint } from './helpers/endpoint.ts'
import { startTestRelay, testEvent, type TestRelay } from './helpers/relay.ts'

let relay: TestRelay
let target: TestEndpoint
beforeAll(async () => {
  relay = await startTestRelay()
  target = await startEndpoint({ status: 200 })
})
afterAll(async () => {
  await relay.close()
  await target.close()
})

const template = { text: 'Order {{event.id}} of {{event.name}}: {{props.total}}', total: '{{props.total}}' }
const verify = (secret: string, request: RecordedRequest) =>
  new StandardWebhook(secret).verify(request.body, {
    'webhook-id': request.headers['webhook-id']!,
    'webhook-timestamp': request.headers['webhook-timestamp']!,
    'webhook-signature': request.headers['webhook-signature']!,
  })

describe('send test', () => {
  test('renders the template with a sample event named after the first subscription', async () => {
    const { projectId } = await relay.createProject()
    const { webhook, secret } = await relay.createWebhook(projectId, {
      url: target.url,
      events: ['cart.*', 'order-placed'],
      template,
    })
    const before = target.requests.length
    const res = await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${webhook.id}/test`)
    expect(res.status).toBe(200)
    expect(res.body.delivery.status).toBe('succeeded')
    const request = target.requests[before]!
    const body = JSON.parse(request.body)
    expect(body).toEqual({ text: expect.stringMatching(/^Order evt_\S+ of order-placed: $/), total: null })
    expect(res.body.delivery.attempts[0].request.body).toBe(request.body)
    verify(secret, request)
  })

  test("the latest matching event of the log fills the placeholders; the caller's fields override", async () => {
    const { projectId, keys } = await relay.createProject()
    const { webhook } = await relay.createWebhook(projectId, {
      url: target.url,
      events: ['checkout-completed'],
      template,
    })
    const real = testEvent({ props: { total: 42 } })
    await relay.ingest(keys.test, [testEvent({ name: 'other', props: { total: 1 } }), real])
    await target.waitFor((list) => list.some((r) => r.body.includes(real.id)))
    let before = target.requests.length
    await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${webhook.id}/test`, {})
    const sample = JSON.parse(target.requests[before]!.body)
    expect(sample.total).toBe(42)
    // A fresh id: an endpoint that dedupes by event id never takes the sample for the real event.
    expect(sample.text).not.toContain(real.id)

    before = target.requests.length
    const res = await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${webhook.id}/test`, {
      event: { props: { total: 7 } },
    })
    expect(res.status).toBe(200)
    expect(JSON.parse(target.requests[before]!.body).total).toBe(7)
  })

  test('without a template the sample arrives as the default envelope; plain sends webhook.test', async () => {
    const { projectId } = await relay.createProject()
    const { webhook } = await relay.createWebhook(projectId, { url: target.url, events: ['signup'] })
    let before = target.requests.length
    await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${webhook.id}/test`, {
      event: { props: { plan: 'pro' }, screen: 'welcome' },
    })
    expect(JSON.parse(target.requests[before]!.body)).toMatchObject({
      type: 'signup',
      projectId,
      environment: 'test',
      session: { screen: 'welcome' },
      data: { plan: 'pro' },
    })
    before = target.requests.length
    await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${webhook.id}/test`, { plain: true })
    expect(JSON.parse(target.requests[before]!.body)).toMatchObject({ type: 'webhook.test', data: { test: true } })
  })

  test('a bad body is a 400 naming the field, and nothing is sent', async () => {
    const { projectId } = await relay.createProject()
    const { webhook } = await relay.createWebhook(projectId, { url: target.url })
    const before = target.requests.length
    for (const body of [{ plain: 'yes' }, { event: { name: 'Not A Name' } }, { event: { id: 'evt_x' } }, [1]]) {
      const res = await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${webhook.id}/test`, body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.body.error.code).toBe('invalid_input')
    }
    expect(target.requests.length).toBe(before)
  })
})

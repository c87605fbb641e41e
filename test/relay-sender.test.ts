import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { Webhook as StandardWebhook } from 'standardwebhooks'
import { startEndpoint, type TestEndpoint } from './helpers/endpoint.ts'
import { startTestRelay, testEvent, type TestRelay } from './helpers/relay.ts'

// The delivery HTTP client as a receiver sees it: connections, bytes on the wire, big answers.
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

describe('the delivery client', () => {
  // undici's pool marks a socket free a microtask after the answer completes, so an attempt started in
  // that microtask may open one more connection: the bound is the per-webhook cap (64) plus that slack,
  // well under the 300 a client without keep-alive opens.
  test('keeps connections alive: 300 deliveries arrive over about the per-webhook cap of connections', async () => {
    const target = await endpoint()
    const { projectId, keys } = await relay.createProject()
    await relay.createWebhook(projectId, { url: target.url + '/hook' })
    for (let batch = 0; batch < 3; batch++) {
      const res = await relay.ingest(
        keys.test,
        Array.from({ length: 100 }, () => testEvent()),
      )
      expect(res.status).toBe(202)
    }
    await target.waitFor(300)
    expect(new Set(target.requests.map((request) => request.headers['webhook-id'])).size).toBe(300)
    expect(target.connections).toBeGreaterThan(0)
    expect(target.connections).toBeLessThanOrEqual(96)
  })

  test('sends the signed bytes: a non-ASCII body arrives whole, with its length, and verifies', async () => {
    const target = await endpoint()
    const { projectId, keys } = await relay.createProject()
    const { secret } = await relay.createWebhook(projectId, { url: target.url + '/hook' })
    const props = { name: 'Zoë’s café', note: '€ 5 · 😀 · 日本語' }
    await relay.ingest(keys.test, [testEvent({ props })])
    const [request] = await target.waitFor(1)
    expect(Number(request!.headers['content-length'])).toBe(Buffer.byteLength(request!.body))
    expect(JSON.parse(request!.body).data).toEqual(props)
    const headers = {
      'webhook-id': request!.headers['webhook-id']!,
      'webhook-timestamp': request!.headers['webhook-timestamp']!,
      'webhook-signature': request!.headers['webhook-signature']!,
    }
    expect(() => new StandardWebhook(secret).verify(request!.body, headers)).not.toThrow()
  })

  test('an answer past 1 MiB: its status counts, the log keeps the first 16 KiB of the body', async () => {
    const huge = 'x'.repeat(2 * 1024 * 1024)
    const target = await endpoint({ status: 200, body: huge })
    const { projectId } = await relay.createProject()
    const { webhook } = await relay.createWebhook(projectId, { url: target.url + '/hook' })
    const res = await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${webhook.id}/test`)
    expect(res.body.delivery.status).toBe('succeeded')
    const [attempt] = res.body.delivery.attempts
    expect(attempt.status).toBe(200)
    expect(attempt.responseBody).toBe(huge.slice(0, 16 * 1024))
  })

  test('a refused connection is a network failure that names the endpoint', async () => {
    const closed = await startEndpoint()
    await closed.close()
    const { projectId } = await relay.createProject()
    const { webhook } = await relay.createWebhook(projectId, { url: closed.url + '/hook' })
    const res = await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${webhook.id}/test`)
    const [attempt] = res.body.delivery.attempts
    expect(attempt.status).toBe(0)
    expect(attempt.error).toBe(`Connection refused by 127.0.0.1:${closed.port}: is the endpoint running?`)
  })
})

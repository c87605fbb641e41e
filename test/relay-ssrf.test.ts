import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startEndpoint, type TestEndpoint } from './helpers/endpoint.ts'
import { startTestRelay, testEvent, type TestRelay } from './helpers/relay.ts'

// Nothing here dials an address outside 127.0.0.0/8 and ::1: non-loopback URLs are refused before
// any socket exists, and the live refusals use loopback spellings with nothing allowed.
let relay: TestRelay
let target: TestEndpoint
beforeAll(async () => {
  relay = await startTestRelay({ dev: false, allowHosts: [] })
  target = await startEndpoint()
})
afterAll(async () => {
  await relay.close()
  await target.close()
})

describe('SSRF guard', () => {
  test.each([
    ['http://127.0.0.1:PORT/', 'plain_http'],
    ['https://127.0.0.1:PORT/', 'loopback'],
    ['https://127.1:PORT/', 'loopback'],
    ['https://2130706433:PORT/', 'loopback'],
    ['https://[::ffff:127.0.0.1]:PORT/', 'loopback'],
    ['https://[::1]:PORT/', 'loopback'],
    ['https://10.0.0.1/', 'private'],
    ['https://169.254.169.254/latest/meta-data/', 'cloud_metadata'],
    ['https://metadata.google.internal/', 'cloud_metadata'],
  ])('creating a webhook for %s is refused (%s)', async (url, rule) => {
    const { projectId } = await relay.createProject()
    const res = await relay.admin('POST', `/v1/projects/${projectId}/webhooks`, {
      name: 'x',
      url: url.replace('PORT', String(target.port)),
      events: ['*'],
    })
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('url_not_allowed')
    expect(res.body.error.details.rule).toBe(rule)
    expect(res.body.error.message).toContain(`rule ${rule}`)
  })

  test('a name that resolves to loopback is refused at connect time, before any connection', async () => {
    const { projectId } = await relay.createProject()
    const { webhook } = await relay.createWebhook(projectId, { url: `https://localhost:${target.port}/hook` })
    const res = await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${webhook.id}/test`)
    expect(res.body.delivery.status).toBe('failed')
    const [attempt] = res.body.delivery.attempts
    expect(attempt.status).toBe(0)
    expect(attempt.error).toMatch(/rule loopback.*localhost resolved to (127\.0\.0\.1|::1)/)
    expect(target.connections).toBe(0)
  })

  test('addresses are judged when sending, not only when the webhook was created', async () => {
    // Created while loopback was allowed (dev mode), delivered by a relay that allows nothing.
    const dev = await startTestRelay({ dataDir: relay.dataDir + '-dev' })
    const { projectId, keys } = await dev.createProject()
    await dev.createWebhook(projectId, { url: `${target.url}/hook`, retry: { maxAttempts: 1 } })
    await dev.close()
    const strict = await startTestRelay({ dataDir: relay.dataDir + '-dev', dev: false, allowHosts: [] })
    try {
      await strict.ingest(keys.test, [testEvent()])
      const webhooks = (await strict.admin('GET', `/v1/projects/${projectId}/webhooks`)).body.webhooks
      let deliveries: any[] = []
      for (let i = 0; i < 100 && deliveries[0]?.status !== 'failed'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20))
        deliveries = (await strict.admin('GET', `/v1/projects/${projectId}/webhooks/${webhooks[0].id}/deliveries`)).body
          .deliveries
      }
      expect(deliveries[0].status).toBe('failed')
      expect(deliveries[0].lastError).toContain('rule plain_http')
      expect(target.connections).toBe(0)
    } finally {
      await strict.close()
      rmSync(relay.dataDir + '-dev', { recursive: true, force: true })
    }
  })
})

describe('redirects', () => {
  test('are never followed: a 3xx is a failure, the Location is not visited', async () => {
    const elsewhere = await startEndpoint()
    const redirecting = await startEndpoint({ status: 302, headers: { location: `${elsewhere.url}/stolen` } })
    const dev = await startTestRelay()
    try {
      const { projectId } = await dev.createProject()
      const { webhook } = await dev.createWebhook(projectId, { url: redirecting.url })
      const res = await dev.admin('POST', `/v1/projects/${projectId}/webhooks/${webhook.id}/test`)
      expect(res.body.delivery.status).toBe('failed')
      expect(res.body.delivery.attempts[0].error).toMatch(/redirects are not followed/)
      expect(elsewhere.connections).toBe(0)
    } finally {
      await dev.close()
      await elsewhere.close()
      await redirecting.close()
    }
  })
})

import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startEndpoint, type TestEndpoint } from './helpers/endpoint.ts'
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
const ids = (target: TestEndpoint, from = 0) => target.requests.slice(from).map((r) => JSON.parse(r.body).id as string)
const settled = (projectId: string, webhookId: string) =>
  until(
    () =>
      relay
        .admin('GET', `/v1/projects/${projectId}/webhooks/${webhookId}/deliveries?limit=200`)
        .then((res) => res.body.deliveries as any[]),
    (list) => list.every((d) => d.status !== 'pending' && d.status !== 'sending'),
  )

describe('bulk replay', () => {
  test('a webhook wired in the middle catches up: subscribed, filter-admitted events, in event order', async () => {
    const first = await endpoint()
    const { projectId, keys } = await relay.createProject()
    await relay.createWebhook(projectId, { url: first.url })
    const since = new Date(Date.now() - 1000).toISOString()
    // Event order is ts, then id: sent out of order here, replayed in order.
    const base = Date.now() - 500
    const events = [3, 1, 4, 0, 2].map((n) =>
      testEvent({ ts: new Date(base + n * 10).toISOString(), props: { n, total: n * 50 } }),
    )
    await relay.ingest(keys.test, [...events, testEvent({ name: 'other-event' })])
    await first.waitFor(6)

    const late = await endpoint()
    const { webhook } = await relay.createWebhook(projectId, {
      url: late.url,
      events: ['checkout-completed'],
      filter: { 'data.total': { $gte: 100 } },
    })
    const res = await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${webhook.id}/replay`, { since })
    expect(res.status).toBe(202)
    expect(res.body).toMatchObject({ queued: 3, skipped: { filtered: 2, delivered: 0 }, more: false })
    await late.waitFor(3)
    const byN = (n: number) => events.find((e) => e.props!.n === n)!.id
    expect(ids(late)).toEqual([byN(2), byN(3), byN(4)])

    // Once delivered, a second replay skips them, unless includeDelivered.
    await settled(projectId, webhook.id)
    const again = await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${webhook.id}/replay`, { since })
    expect(again.body).toMatchObject({ queued: 0, skipped: { delivered: 3 } })
    const all = await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${webhook.id}/replay`, {
      since,
      includeDelivered: true,
    })
    expect(all.body.queued).toBe(3)
    await late.waitFor(6)
  })

  test('onlyFailed, sessionId and until narrow it; a bad body is a 400', async () => {
    const target = await endpoint({ status: 400 })
    const { projectId, keys } = await relay.createProject()
    const { webhook } = await relay.createWebhook(projectId, { url: target.url, retry: { maxAttempts: 1 } })
    const since = new Date(Date.now() - 1000).toISOString()
    const mine = testEvent({ sessionId: 'ses_replay-session-1' })
    const theirs = testEvent({ sessionId: 'ses_replay-session-2' })
    await relay.ingest(keys.test, [mine, theirs])
    await target.waitFor(2)
    await settled(projectId, webhook.id)
    target.respond({ status: 200 })
    const res = await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${webhook.id}/replay`, {
      since,
      onlyFailed: true,
      sessionId: 'ses_replay-session-1',
    })
    expect(res.body).toMatchObject({ queued: 1 })
    await target.waitFor(3)
    expect(ids(target, 2)).toEqual([mine.id])
    await settled(projectId, webhook.id)
    const none = await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${webhook.id}/replay`, {
      since,
      until: since,
    })
    expect(none.status).toBe(400)
    const past = await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${webhook.id}/replay`, {
      since: '2020-01-01T00:00:00Z',
      until: '2020-01-02T00:00:00Z',
    })
    expect(past.body.queued).toBe(0)
    for (const body of [{}, { since: 'yesterday' }, { since, onlyFailed: 'yes' }, { since, extra: 1 }]) {
      const bad = await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${webhook.id}/replay`, body)
      expect(bad.status, JSON.stringify(body)).toBe(400)
    }
  })
})

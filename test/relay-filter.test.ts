import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startEndpoint, type TestEndpoint } from './helpers/endpoint.ts'
import { startTestRelay, testEvent, type TestRelay } from './helpers/relay.ts'
import { until } from './helpers/until.ts'

let relay: TestRelay
let target: TestEndpoint
let other: TestEndpoint
beforeAll(async () => {
  relay = await startTestRelay()
  target = await startEndpoint()
  other = await startEndpoint()
})
afterAll(async () => {
  await relay.close()
  await target.close()
  await other.close()
})

const eventLog = (projectId: string) =>
  relay.admin('GET', `/v1/projects/${projectId}/events?limit=200`).then((res) => res.body.events as any[])

describe('webhook filters', () => {
  test('only events the filter admits are sent; the others are logged as filtered for that webhook', async () => {
    const { projectId, keys } = await relay.createProject()
    const filter = { 'data.total': { $gte: 100 }, 'session.screen': 'checkout' }
    const { webhook } = await relay.createWebhook(projectId, { url: target.url, filter })
    expect(webhook.filter).toEqual(filter)
    const { webhook: all } = await relay.createWebhook(projectId, { url: other.url })
    const big = testEvent({ props: { total: 120 }, screen: 'checkout' })
    const small = testEvent({ props: { total: 5 }, screen: 'checkout' })
    const elsewhere = testEvent({ props: { total: 500 }, screen: 'cart' })
    await relay.ingest(keys.test, [big, small, elsewhere])
    await other.waitFor((list) => [big, small, elsewhere].every((e) => list.some((r) => r.body.includes(e.id))))
    const log = await until(
      () => eventLog(projectId),
      (entries) => entries.every((entry) => entry.deliveries.pending === 0),
    )
    const outcome = (id: string) => log.find((entry) => entry.id === id).webhooks
    expect(outcome(big.id)).toEqual(
      expect.arrayContaining([expect.objectContaining({ webhookId: webhook.id, status: 'succeeded' })]),
    )
    for (const id of [small.id, elsewhere.id]) {
      expect(outcome(id)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ webhookId: webhook.id, status: 'filtered' }),
          expect.objectContaining({ webhookId: all.id, status: 'succeeded' }),
        ]),
      )
      expect(log.find((entry) => entry.id === id).deliveries).toMatchObject({ total: 1, succeeded: 1, filtered: 1 })
    }
    const received = target.requests.map((request) => JSON.parse(request.body).id)
    expect(received).toContain(big.id)
    expect(received).not.toContain(small.id)
    expect(received).not.toContain(elsewhere.id)
    const filtered = await relay.admin(
      'GET',
      `/v1/projects/${projectId}/webhooks/${webhook.id}/deliveries?status=filtered`,
    )
    expect(filtered.body.deliveries.map((d: any) => d.eventId).sort()).toEqual([small.id, elsewhere.id].sort())
  })

  test('a bad operator is refused at creation, naming it; a patch can change or clear the filter', async () => {
    const { projectId, keys } = await relay.createProject()
    for (const [filter, named] of [
      [{ 'data.total': { $gtx: 1 } }, '$gtx'],
      [{ $where: 'this.data.total > 1' }, '$where'],
      [{ $or: [{ type: 'a' }, { 'data.x': { $elemMatch: { $nope: 1 } } }] }, '$nope'],
    ] as const) {
      const res = await relay.admin('POST', `/v1/projects/${projectId}/webhooks`, {
        name: 'x',
        url: target.url,
        events: ['*'],
        filter,
      })
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('invalid_input')
      expect(JSON.stringify(res.body.error)).toContain(`unknown filter operator \\"${named}\\"`)
    }
    const bad = await relay.admin('POST', `/v1/projects/${projectId}/webhooks`, {
      name: 'x',
      url: target.url,
      events: ['*'],
      filter: { type: { $regex: '(' } },
    })
    expect(bad.status).toBe(400)

    const { webhook } = await relay.createWebhook(projectId, { url: target.url, filter: { type: 'never' } })
    const patched = await relay.admin('PATCH', `/v1/projects/${projectId}/webhooks/${webhook.id}`, {
      filter: { 'data.n': { $in: [1, 2] } },
    })
    expect(patched.body.webhook.filter).toEqual({ 'data.n': { $in: [1, 2] } })
    const wrong = await relay.admin('PATCH', `/v1/projects/${projectId}/webhooks/${webhook.id}`, {
      filter: { 'data.n': { $inn: [1] } },
    })
    expect(wrong.status).toBe(400)
    const events = [1, 3].map((n) => testEvent({ props: { n } }))
    await relay.ingest(keys.test, events)
    await target.waitFor((list) => list.some((r) => r.body.includes(events[0]!.id)))
    await relay.admin('PATCH', `/v1/projects/${projectId}/webhooks/${webhook.id}`, { filter: null })
    const later = testEvent({ props: { n: 9 } })
    await relay.ingest(keys.test, [later])
    await target.waitFor((list) => list.some((r) => r.body.includes(later.id)))
    expect(target.requests.some((r) => r.body.includes(events[1]!.id))).toBe(false)
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEndpoint, type TestEndpoint } from '../helpers/endpoint.ts'
import { startTestRelay, testEvent, type TestRelay } from '../helpers/relay.ts'
import { storeSnapshot } from '../helpers/store-snapshot.ts'

// Ownership before any change: every admin route, given project A's id and project B's webhook,
// listener or delivery, answers 404 and changes nothing (the finding: DELETE of B's webhook through
// A's path answered 404 after deleting B's deliveries and attempts).

let relay: TestRelay
let target: TestEndpoint
const ids = { a: '', aWebhook: '', aDelivery: '', b: '', bWebhook: '', bListener: '', bDelivery: '' }

async function delivered(projectId: string, webhookId: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    await relay.context.dispatcher.flush()
    const { body } = await relay.admin('GET', `/v1/projects/${projectId}/webhooks/${webhookId}/deliveries`)
    const [first] = body.deliveries as { id: string; status: string }[]
    if (first?.status === 'succeeded') return first.id
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error('the delivery did not finish')
}

beforeAll(async () => {
  relay = await startTestRelay()
  target = await startEndpoint()
  for (const side of ['a', 'b'] as const) {
    const project = await relay.createProject({ name: side })
    const { webhook } = await relay.createWebhook(project.projectId, { url: target.url })
    const listener = await relay.admin('POST', `/v1/projects/${project.projectId}/listeners`, {
      name: 'l',
      set: { x: '$.x' },
    })
    await relay.ingest(project.keys.test, [testEvent({ sessionId: `ses_owner_${side}_0001` })])
    const delivery = await delivered(project.projectId, webhook.id)
    if (side === 'a') Object.assign(ids, { a: project.projectId, aWebhook: webhook.id, aDelivery: delivery })
    else
      Object.assign(ids, {
        b: project.projectId,
        bWebhook: webhook.id,
        bListener: listener.body.listener.id,
        bDelivery: delivery,
      })
  }
})
afterAll(async () => {
  await relay.close()
  await target.close()
})

describe('every admin route checks ownership before it reads or writes', () => {
  it("answers 404 to another project's ids, and nothing stored changes", async () => {
    const { a, aWebhook, b, bWebhook, bListener, bDelivery } = ids
    const routes: [string, string, unknown?][] = [
      ['GET', `/v1/projects/${a}/webhooks/${bWebhook}`],
      ['PATCH', `/v1/projects/${a}/webhooks/${bWebhook}`, { name: 'taken' }],
      ['DELETE', `/v1/projects/${a}/webhooks/${bWebhook}`],
      ['POST', `/v1/projects/${a}/webhooks/${bWebhook}/rotate-secret`],
      ['POST', `/v1/projects/${a}/webhooks/${bWebhook}/test`],
      ['POST', `/v1/projects/${a}/webhooks/${bWebhook}/resume`],
      ['POST', `/v1/projects/${a}/webhooks/${bWebhook}/pause`],
      ['GET', `/v1/projects/${a}/webhooks/${bWebhook}/deliveries`],
      ['GET', `/v1/projects/${a}/webhooks/${bWebhook}/deliveries/${bDelivery}`],
      ['POST', `/v1/projects/${a}/webhooks/${bWebhook}/deliveries/${bDelivery}/redeliver`],
      // A's own webhook, B's delivery.
      ['GET', `/v1/projects/${a}/webhooks/${aWebhook}/deliveries/${bDelivery}`],
      ['POST', `/v1/projects/${a}/webhooks/${aWebhook}/deliveries/${bDelivery}/redeliver`],
      ['GET', `/v1/projects/${a}/listeners/${bListener}`],
      ['PATCH', `/v1/projects/${a}/listeners/${bListener}`, { name: 'taken' }],
      ['DELETE', `/v1/projects/${a}/listeners/${bListener}`],
      // Projects that do not exist.
      ['GET', `/v1/projects/prj_nope/webhooks/${bWebhook}`],
      ['DELETE', `/v1/projects/prj_nope`],
      ['PUT', `/v1/projects/prj_nope/config`, { events: [], variables: {} }],
      ['GET', `/v1/projects/prj_nope/events`],
      ['GET', `/v1/projects/prj_nope/stats`],
      ['POST', `/v1/projects/prj_nope/webhooks`, { name: 'x', url: target.url, events: ['*'] }],
      ['POST', `/v1/projects/prj_nope/listeners`, { name: 'x', set: { x: '$.x' } }],
    ]
    const before = storeSnapshot(relay.dataDir)
    for (const [method, path, body] of routes) {
      const res = await relay.admin(method, path, body)
      expect([method, path, res.status]).toEqual([method, path, 404])
      expect(res.body.error.code).toMatch(/_not_found$/)
    }
    await relay.context.dispatcher.flush()
    expect(storeSnapshot(relay.dataDir)).toBe(before)
    // B's webhook and delivery are whole.
    expect((await relay.admin('GET', `/v1/projects/${b}/webhooks/${bWebhook}/deliveries/${bDelivery}`)).status).toBe(
      200,
    )
  })
})

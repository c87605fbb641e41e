import { afterAll, beforeAll, expect, test } from 'vitest'
import { startEndpoint, type TestEndpoint } from './helpers/endpoint.ts'
import { startTestRelay, testEvent, type TestRelay } from './helpers/relay.ts'
import { until } from './helpers/until.ts'

// The event log names a delivery held by a paused webhook `held`, as that webhook's delivery log
// does, so a reader never has to infer it from the webhook's state.
let relay: TestRelay
let paused: TestEndpoint
let active: TestEndpoint
beforeAll(async () => {
  relay = await startTestRelay()
  paused = await startEndpoint()
  active = await startEndpoint()
})
afterAll(async () => {
  await relay.close()
  await paused.close()
  await active.close()
})

test('a delivery held by a paused webhook is "held" in the event log, and "succeeded" once it is resumed and sent', async () => {
  const { projectId, keys } = await relay.createProject()
  const { webhook: held } = await relay.createWebhook(projectId, { url: paused.url })
  const { webhook: open } = await relay.createWebhook(projectId, { url: active.url })
  expect((await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${held.id}/pause`)).status).toBe(200)
  const event = testEvent()
  await relay.ingest(keys.test, [event])
  await active.waitFor(1)
  const outcomes = async () => {
    const log = await relay.admin('GET', `/v1/projects/${projectId}/events?limit=10`)
    const entry = (log.body.events as any[]).find((line) => line.id === event.id)
    return { webhooks: entry.webhooks as { webhookId: string; status: string }[], deliveries: entry.deliveries }
  }
  const status = (found: Awaited<ReturnType<typeof outcomes>>, id: string) =>
    found.webhooks.find((outcome) => outcome.webhookId === id)?.status
  const before = await until(outcomes, (found) => status(found, open.id) === 'succeeded')
  expect(status(before, held.id)).toBe('held')
  // Counted as held, not as pending: nothing is on its way until the webhook is resumed.
  expect(before.deliveries).toMatchObject({ total: 2, succeeded: 1, pending: 0, held: 1 })
  expect(paused.requests).toHaveLength(0)

  await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${held.id}/resume`)
  await paused.waitFor(1)
  const after = await until(outcomes, (found) => status(found, held.id) === 'succeeded')
  expect(after.deliveries).toMatchObject({ total: 2, succeeded: 2, pending: 0, held: 0 })
})

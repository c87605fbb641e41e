import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { resolveConfig } from '@hookline/relay'
import { startEndpoint, type TestEndpoint } from './helpers/endpoint.ts'
import { startTestRelay, testEvent, type TestRelay } from './helpers/relay.ts'
import { until } from './helpers/until.ts'

const DAY = 24 * 60 * 60 * 1000
let relay: TestRelay
let target: TestEndpoint
beforeAll(async () => {
  relay = await startTestRelay({ retentionDays: 30 })
  target = await startEndpoint({ status: 200, body: { status: 'ok' } })
})
afterAll(async () => {
  await relay.close()
  await target.close()
})

describe('retention', () => {
  test('prunes what is older than the retention, in batches, but never a pending or held delivery or its event', async () => {
    const { projectId, keys } = await relay.createProject()
    const { webhook: live } = await relay.createWebhook(projectId, {
      url: target.url,
      response: { set: { status: '$.status' } },
    })
    const { webhook: paused } = await relay.createWebhook(projectId, { url: target.url, events: ['held-event'] })
    await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${paused.id}/pause`)
    const done = Array.from({ length: 5 }, () => testEvent())
    const held = testEvent({ name: 'held-event' })
    await relay.ingest(keys.test, [...done, held])
    await until(
      () => relay.admin('GET', `/v1/projects/${projectId}/webhooks/${live.id}/deliveries?status=succeeded`),
      (res) => res.body.deliveries.length === 6,
    )
    await relay.context.dispatcher.flush()

    // Nothing is 30 days old yet.
    expect(await relay.context.retention.prune()).toEqual({ attempts: 0, deliveries: 0, events: 0, frames: 0 })
    // 31 days on: everything finished goes (the 5 events, and the pause's operational event); the
    // held delivery and its event stay.
    const pruned = await relay.context.retention.prune(Date.now() + 31 * DAY)
    expect(pruned).toMatchObject({ attempts: 6, deliveries: 6, events: 6 })
    expect(pruned.frames).toBeGreaterThanOrEqual(1)
    const log = await relay.admin('GET', `/v1/projects/${projectId}/events`)
    expect(log.body.events.map((entry: any) => entry.id)).toEqual([held.id])
    const stillHeld = await relay.admin('GET', `/v1/projects/${projectId}/webhooks/${paused.id}/deliveries?status=held`)
    expect(stillHeld.body.deliveries).toHaveLength(1)

    // Once resumed and delivered, it ages like the rest.
    await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${paused.id}/resume`)
    await until(
      () => relay.admin('GET', `/v1/projects/${projectId}/webhooks/${paused.id}/deliveries?status=succeeded`),
      (res) => res.body.deliveries.length === 1,
    )
    await relay.context.dispatcher.flush()
    // With it goes the resume's operational event.
    expect(await relay.context.retention.prune(Date.now() + 31 * DAY)).toMatchObject({ events: 2, deliveries: 1 })
  })

  test('HOOKLINE_RETENTION_DAYS must be a number of days', () => {
    expect(() => resolveConfig({ adminToken: 'x'.repeat(20) }, { HOOKLINE_RETENTION_DAYS: 'soon' })).toThrow(
      /HOOKLINE_RETENTION_DAYS/,
    )
    expect(resolveConfig({ adminToken: 'x'.repeat(20) }, { HOOKLINE_RETENTION_DAYS: '7' }).retentionDays).toBe(7)
    expect(resolveConfig({ adminToken: 'x'.repeat(20) }, {}).retentionDays).toBe(30)
  })
})

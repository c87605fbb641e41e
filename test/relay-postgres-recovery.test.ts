import { afterAll, describe, expect, test } from 'vitest'
import { startEndpoint } from './helpers/endpoint.ts'
import { postgresSchema } from './helpers/postgres.ts'
import { startTestRelay, testEvent, type TestRelay } from './helpers/relay.ts'
import { until } from './helpers/until.ts'
import { recoveryTests } from './suites/recovery.ts'

// Self-recovery on PostgreSQL: the SQLite tests on one node, then two nodes sharing one webhook's
// failures (ten in all pause it) and its probes (each sent by one node), the drain sending none twice.
const { databaseUrl, drop } = postgresSchema('relay_recovery')
// Registered first, so it runs last: after every relay of the file closed.
afterAll(drop)
recoveryTests((options) => startTestRelay({ ...options, databaseUrl }))

describe('two nodes', () => {
  const relays: TestRelay[] = []
  afterAll(async () => {
    for (const relay of relays) await relay.close()
  })

  test('each probe is sent by one node; after the 2xx the held deliveries drain once each, in order', async () => {
    const PROBE_MS = 400
    const options = { databaseUrl, dispatcher: { probeScheduleMs: [PROBE_MS], probeTickMs: 20 } }
    relays.push(await startTestRelay(options), await startTestRelay(options))
    const [a, b] = relays as [TestRelay, TestRelay]
    const target = await startEndpoint({ status: 503 })
    try {
      // Ten failures spread over both nodes pause it: the stored run adds up every node's attempts.
      const { projectId, keys } = await a.createProject()
      const { webhook } = await a.createWebhook(projectId, { url: target.url, retry: { maxAttempts: 1 } })
      for (let i = 0; i < 10; i++) await (i % 2 ? b : a).ingest(keys.test, [testEvent()])
      const paused = await until(
        () => b.admin('GET', `/v1/projects/${projectId}/webhooks/${webhook.id}`),
        (res) => res.body.webhook.status === 'paused',
      )
      expect(paused.body.webhook).toMatchObject({ pausedBy: 'failures', consecutiveFailures: 10 })
      expect(target.requests).toHaveLength(10)
      // Paused once, by whichever node's change landed, and said so once.
      const log = await a.admin('GET', `/v1/projects/${projectId}/events?limit=200`)
      expect(log.body.events.filter((e: { name: string }) => e.name === 'hookline.webhook.paused')).toHaveLength(1)
      const held = Array.from({ length: 6 }, (_, i) => testEvent({ props: { n: i } }))
      for (const [i, event] of held.entries()) await (i % 2 ? b : a).ingest(keys.test, [event])

      // Probes while the endpoint still fails: one per step of the backoff, never two at once.
      const before = target.requests.length
      await new Promise((resolve) => setTimeout(resolve, PROBE_MS * 5))
      const probes = target.requests.slice(before)
      expect(probes.length).toBeGreaterThanOrEqual(2)
      expect(probes.length).toBeLessThanOrEqual(6)
      for (const probe of probes) expect(JSON.parse(probe.body).id).toBe(held[0]!.id)
      for (let i = 1; i < probes.length; i++)
        expect(probes[i]!.receivedAt - probes[i - 1]!.receivedAt).toBeGreaterThan(PROBE_MS / 2)

      target.respond({ status: 200 })
      const resumedAt = target.requests.length
      await until(
        () => a.admin('GET', `/v1/projects/${projectId}/webhooks/${webhook.id}`),
        (res) => res.body.webhook.status === 'active',
      )
      await target.waitFor(resumedAt + held.length)
      await new Promise((resolve) => setTimeout(resolve, 500))
      const drained = target.requests.slice(resumedAt).map((request) => JSON.parse(request.body).id as string)
      expect(drained).toEqual(held.map((event) => event.id))
    } finally {
      await target.close()
    }
  })
})

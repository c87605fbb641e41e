import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startEndpoint, type TestEndpoint } from '../helpers/endpoint.ts'
import type { StartOptions } from '@hookline/relay'
import { testEvent, type TestRelay } from '../helpers/relay.ts'
import { until } from '../helpers/until.ts'

/**
 * Self-recovery of paused webhooks, against a relay `start` opens (SQLite, or PostgreSQL), with a
 * fast probe backoff (150 ms, then 300 ms) injected so the tests take a second, not an hour.
 */
export function recoveryTests(start: (options: StartOptions) => Promise<TestRelay>): void {
  // In a block of its own, so its relay lives only while its tests run.
  describe('one relay', () => {
    let relay: TestRelay
    const endpoints: TestEndpoint[] = []
    beforeAll(async () => {
      relay = await start({ dispatcher: { probeScheduleMs: [150, 300], probeTickMs: 25 } })
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

    const webhookOf = (projectId: string, id: string) =>
      relay.admin('GET', `/v1/projects/${projectId}/webhooks/${id}`).then((res) => res.body.webhook)
    const ids = (target: TestEndpoint, from = 0) =>
      target.requests.slice(from).map((r) => JSON.parse(r.body).id as string)

    /** A webhook paused by ten failed events (one attempt each), then `held` more events stored while paused. */
    async function pausedWithHeld(target: TestEndpoint, held: number, extra: Record<string, unknown> = {}) {
      const { projectId, keys } = await relay.createProject()
      const { webhook } = await relay.createWebhook(projectId, { url: target.url, retry: { maxAttempts: 1 }, ...extra })
      for (let i = 0; i < 10; i++) await relay.ingest(keys.test, [testEvent()])
      await until(
        () => webhookOf(projectId, webhook.id),
        (w) => w.status === 'paused',
      )
      const events = Array.from({ length: held }, (_, i) => testEvent({ props: { n: i } }))
      for (const event of events) await relay.ingest(keys.test, [event])
      return { projectId, keys, webhook, events }
    }

    describe('self-recovery of a paused webhook', () => {
      test('probes with the oldest held delivery; a failed probe keeps it held; a 2xx resumes and drains in order', async () => {
        let probesToFail = 1
        const target = await endpoint({ status: 503 })
        const ops = await endpoint()
        const { projectId, webhook, events } = await pausedWithHeld(target, 5)
        await relay.createWebhook(projectId, { url: ops.url, events: ['hookline.webhook.*'] })
        const paused = await webhookOf(projectId, webhook.id)
        expect(paused).toMatchObject({ status: 'paused', pausedBy: 'failures', nextProbeAt: expect.any(String) })
        const sentBefore = target.requests.length
        target.respond(() => (probesToFail-- > 0 ? { status: 503 } : { status: 200 }))

        await target.waitFor(sentBefore + 1 + events.length, 8000)
        const probes = ids(target, sentBefore)
        // The first probe failed and the same (oldest) delivery was probed again, then the rest in order.
        expect(probes.slice(0, 2)).toEqual([events[0]!.id, events[0]!.id])
        expect(probes.slice(1)).toEqual(events.map((e) => e.id))
        const resumed = await until(
          () => webhookOf(projectId, webhook.id),
          (w) => w.status === 'active',
        )
        expect(resumed).toMatchObject({ pausedBy: null, nextProbeAt: null, consecutiveFailures: 0 })
        const told = await ops.waitFor((list) => list.some((r) => r.body.includes('hookline.webhook.resumed')))
        const notice = told.map((r) => JSON.parse(r.body)).find((b) => b.type === 'hookline.webhook.resumed')
        expect(notice.data).toMatchObject({
          webhook: { id: webhook.id },
          reason: expect.stringContaining('recovery probe succeeded'),
          lastAttempt: { eventId: events[0]!.id, status: 200 },
        })
        // Nothing held was dropped: every delivery succeeded (results are written behind the sends).
        const succeeded = async () =>
          (
            await relay.admin('GET', `/v1/projects/${projectId}/webhooks/${webhook.id}/deliveries?status=succeeded`)
          ).body.deliveries.map((d: any) => d.eventId as string)
        const deadline = Date.now() + 5000
        while ((await succeeded()).length < events.length && Date.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 50))
        const deliveries = { body: { deliveries: (await succeeded()).map((eventId: string) => ({ eventId })) } }
        expect(deliveries.body.deliveries.map((d: any) => d.eventId).sort()).toEqual(events.map((e) => e.id).sort())
      })

      test('paused by hand: never probed; resume drains what was held in order', async () => {
        const target = await endpoint()
        const { projectId, keys } = await relay.createProject()
        const { webhook } = await relay.createWebhook(projectId, { url: target.url })
        const res = await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${webhook.id}/pause`)
        expect(res.body.webhook).toMatchObject({ status: 'paused', pausedBy: 'hand', nextProbeAt: null })
        const events = Array.from({ length: 4 }, () => testEvent())
        for (const event of events) await relay.ingest(keys.test, [event])
        await new Promise((resolve) => setTimeout(resolve, 700))
        expect(target.requests).toHaveLength(0)
        const held = await relay.admin('GET', `/v1/projects/${projectId}/webhooks/${webhook.id}/deliveries?status=held`)
        expect(held.body.deliveries).toHaveLength(4)
        await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${webhook.id}/resume`)
        await target.waitFor(4)
        expect(ids(target)).toEqual(events.map((e) => e.id))
      })

      test('a resume sends held retries in event order, not in the order their attempts failed', async () => {
        // The first event's attempt fails last, so its retry is due last; held, the resume still sends it first.
        let healthy = false
        const target = await endpoint((request) =>
          healthy ? { status: 200 } : { status: 503, delayMs: [400, 200, 0][request.index] ?? 0 },
        )
        const { projectId, keys } = await relay.createProject()
        const { webhook } = await relay.createWebhook(projectId, {
          url: target.url,
          retry: { maxAttempts: 4, scheduleMs: [1500] },
        })
        // Three participants' sessions, so no session's own ordering lines them up.
        const events = Array.from({ length: 3 }, (_, i) =>
          testEvent({ sessionId: `ses_participant${i}`, props: { n: i } }),
        )
        for (const event of events) await relay.ingest(keys.test, [event])
        await target.waitFor(3)
        await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${webhook.id}/pause`)
        await until(
          () => relay.admin('GET', `/v1/projects/${projectId}/webhooks/${webhook.id}/deliveries?status=held`),
          (res) =>
            res.body.deliveries.length === 3 &&
            res.body.deliveries.every((d: { attemptCount: number }) => d.attemptCount === 1),
        )
        healthy = true
        await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${webhook.id}/resume`)
        await target.waitFor(6)
        expect(ids(target, 3)).toEqual(events.map((e) => e.id))
      })

      test('a pause by hand also stops the probing of a webhook paused by failures', async () => {
        const target = await endpoint({ status: 503 })
        const { projectId, webhook } = await pausedWithHeld(target, 1)
        await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${webhook.id}/pause`)
        target.respond({ status: 200 })
        const before = target.requests.length
        await new Promise((resolve) => setTimeout(resolve, 700))
        expect(target.requests.length).toBe(before)
        expect(await webhookOf(projectId, webhook.id)).toMatchObject({ status: 'paused', pausedBy: 'hand' })
      })

      test('autoResume: false is never probed; {scheduleMs} sets the backoff', async () => {
        const target = await endpoint({ status: 503 })
        const off = await pausedWithHeld(target, 1, { autoResume: false })
        expect(await webhookOf(off.projectId, off.webhook.id)).toMatchObject({
          status: 'paused',
          pausedBy: 'failures',
          nextProbeAt: null,
          autoResume: false,
        })
        target.respond({ status: 200 })
        const before = target.requests.length
        await new Promise((resolve) => setTimeout(resolve, 700))
        expect(target.requests.length).toBe(before)

        const slow = await endpoint({ status: 503 })
        const own = await pausedWithHeld(slow, 1, { autoResume: { scheduleMs: [60_000] } })
        const view = await webhookOf(own.projectId, own.webhook.id)
        expect(view.autoResume).toEqual({ scheduleMs: [60_000] })
        const wait = Date.parse(view.nextProbeAt) - Date.now()
        expect(wait).toBeGreaterThan(55_000)
        expect(wait).toBeLessThanOrEqual(60_000)

        // Turned on by a patch while paused: probing starts on the relay's backoff.
        await relay.admin('PATCH', `/v1/projects/${off.projectId}/webhooks/${off.webhook.id}`, { autoResume: true })
        await until(
          () => webhookOf(off.projectId, off.webhook.id),
          (w) => w.status === 'active',
        )
      })

      test('bad autoResume values are a 400', async () => {
        const { projectId } = await relay.createProject()
        for (const autoResume of ['yes', { scheduleMs: [] }, { scheduleMs: [10] }, { scheduleMs: [1000], x: 1 }]) {
          const res = await relay.admin('POST', `/v1/projects/${projectId}/webhooks`, {
            name: 'x',
            url: 'http://127.0.0.1:9/',
            events: ['*'],
            autoResume,
          })
          expect(res.status, JSON.stringify(autoResume)).toBe(400)
        }
      })
    })
  })
}

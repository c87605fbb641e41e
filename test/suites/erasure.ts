import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startEndpoint, type TestEndpoint } from '../helpers/endpoint.ts'
import { testEvent, type TestRelay } from '../helpers/relay.ts'
import { until } from '../helpers/until.ts'

/** Erasure of a session or a user, against a relay `start` opens (SQLite, or PostgreSQL). */
export function erasureTests(start: () => Promise<TestRelay>): void {
  // In a block of its own, so its relay lives only while its tests run.
  describe('one relay', () => {
    let relay: TestRelay
    let target: TestEndpoint
    let held: TestEndpoint
    beforeAll(async () => {
      relay = await start()
      target = await startEndpoint({ status: 200, body: { status: 'shipped' } })
      held = await startEndpoint()
    })
    afterAll(async () => {
      await relay.close()
      await target.close()
      await held.close()
    })

    const eventLog = (projectId: string) =>
      relay.admin('GET', `/v1/projects/${projectId}/events?limit=200`).then((res) => res.body.events as any[])

    describe('erasure', () => {
      test("a session's events, attempt bodies and stored variables go; its pending deliveries are cancelled as erased", async () => {
        const { projectId, keys } = await relay.createProject()
        const { webhook: live } = await relay.createWebhook(projectId, {
          url: target.url,
          response: { set: { orderStatus: '$.status' } },
        })
        const { webhook: paused } = await relay.createWebhook(projectId, { url: held.url })
        await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${paused.id}/pause`)
        const mine = [1, 2].map(() => testEvent({ sessionId: 'ses_erase-me-0001', user: { id: 'u_erase' } }))
        const other = testEvent({ sessionId: 'ses_keep-me-00001', user: { id: 'u_keep' } })
        await relay.ingest(keys.test, [...mine, other])
        await target.waitFor(3)
        await until(
          () => relay.admin('GET', `/v1/projects/${projectId}/webhooks/${live.id}/deliveries?status=succeeded`),
          (res) => res.body.deliveries.length === 3,
        )
        // The mapped answer became stored variables (frames) of each session; let them land.
        await new Promise((resolve) => setTimeout(resolve, 200))

        const res = await relay.admin('DELETE', `/v1/projects/${projectId}/sessions/ses_erase-me-0001`)
        expect(res.status).toBe(200)
        expect(res.body.erased).toMatchObject({ events: 2, deliveriesCancelled: 2, attempts: 2 })
        expect(res.body.erased.frames).toBeGreaterThanOrEqual(1)

        // The pause by hand was logged as an operational event; that one stays.
        const log = await eventLog(projectId)
        expect(log.filter((entry) => !entry.name.startsWith('hookline.')).map((entry) => entry.id)).toEqual([other.id])
        const erased = await relay.admin(
          'GET',
          `/v1/projects/${projectId}/webhooks/${paused.id}/deliveries?status=erased`,
        )
        expect(erased.body.deliveries.map((d: any) => d.eventId).sort()).toEqual(mine.map((e) => e.id).sort())
        const detail = await relay.admin(
          'GET',
          `/v1/projects/${projectId}/webhooks/${live.id}/deliveries?status=succeeded`,
        )
        for (const delivery of detail.body.deliveries.filter((d: any) => d.eventId !== other.id)) {
          const one = await relay.admin(
            'GET',
            `/v1/projects/${projectId}/webhooks/${live.id}/deliveries/${delivery.id}`,
          )
          expect(one.body.delivery.attempts[0].request.body).toBe('')
          expect(one.body.delivery.attempts[0].responseBody).toBeNull()
        }

        // Resumed, the paused webhook gets only what was not erased.
        await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${paused.id}/resume`)
        await held.waitFor(1)
        await new Promise((resolve) => setTimeout(resolve, 300))
        expect(held.requests.map((r) => JSON.parse(r.body).id)).toEqual([other.id])
      })

      test('a user is erased across its sessions; an unknown one erases nothing; a bad id is a 400', async () => {
        const { projectId, keys } = await relay.createProject()
        const events = [
          testEvent({ sessionId: 'ses_user-session-1', user: { id: 'u_42' } }),
          testEvent({ sessionId: 'ses_user-session-2', user: { id: 'u_42' } }),
          testEvent({ sessionId: 'ses_user-session-3', user: { id: 'u_43' } }),
        ]
        await relay.ingest(keys.test, events)
        const res = await relay.admin('DELETE', `/v1/projects/${projectId}/users/u_42`)
        expect(res.body.erased).toMatchObject({ events: 2, deliveriesCancelled: 0 })
        expect((await eventLog(projectId)).map((entry) => entry.id)).toEqual([events[2]!.id])
        const none = await relay.admin('DELETE', `/v1/projects/${projectId}/users/nobody`)
        expect(none.body.erased).toEqual({ events: 0, deliveriesCancelled: 0, attempts: 0, frames: 0 })
        const bad = await relay.admin('DELETE', `/v1/projects/${projectId}/users/${'x'.repeat(300)}`)
        expect(bad.status).toBe(400)
        const missing = await relay.admin('DELETE', `/v1/projects/prj_nope/sessions/ses_x`)
        expect(missing.status).toBe(404)
      })

      test("a user's erasure takes the events with no user id of the sessions they identified in, not another user's", async () => {
        const { projectId, keys } = await relay.createProject()
        const { webhook } = await relay.createWebhook(projectId, { url: target.url })
        const start = target.requests.length
        const session = 'ses_identified-later'
        // Before `identify`, the session's events carry no user; then Ada; then someone else on the same device.
        const anonymous = [testEvent({ sessionId: session }), testEvent({ sessionId: session })]
        const ada = testEvent({ sessionId: session, user: { id: 'u_ada' } })
        const grace = testEvent({ sessionId: session, user: { id: 'u_grace' } })
        const elsewhere = testEvent({ sessionId: 'ses_never-identified' })
        await relay.ingest(keys.test, [...anonymous, ada, grace, elsewhere])
        await target.waitFor(start + 5)
        await until(
          () => relay.admin('GET', `/v1/projects/${projectId}/webhooks/${webhook.id}/deliveries?status=succeeded`),
          (res) => res.body.deliveries.length === 5,
        )

        const res = await relay.admin('DELETE', `/v1/projects/${projectId}/users/u_ada`)
        expect(res.status).toBe(200)
        expect(res.body.erased).toMatchObject({ events: 3, attempts: 3, deliveriesCancelled: 0 })
        const kept = (await eventLog(projectId)).filter((entry) => !entry.name.startsWith('hookline.'))
        expect(kept.map((entry) => entry.id).sort()).toEqual([grace.id, elsewhere.id].sort())
        const list = await relay.admin('GET', `/v1/projects/${projectId}/webhooks/${webhook.id}/deliveries?limit=100`)
        for (const delivery of list.body.deliveries) {
          const one = await relay.admin(
            'GET',
            `/v1/projects/${projectId}/webhooks/${webhook.id}/deliveries/${delivery.id}`,
          )
          const erased = [...anonymous, ada].some((event) => event.id === delivery.eventId)
          expect(one.body.delivery.attempts[0].request.body === '').toBe(erased)
        }
      })

      test('an attempt in flight during the erasure writes nothing back: the delivery stays erased', async () => {
        for (const status of [200, 503]) {
          const { projectId, keys } = await relay.createProject()
          let answer: () => void = () => {}
          const answered = new Promise<void>((resolve) => (answer = resolve))
          const slow = await startEndpoint(async () => {
            await new Promise((resolve) => setTimeout(resolve, 400))
            answer()
            return { status, body: { status: 'shipped' } }
          })
          try {
            const { webhook } = await relay.createWebhook(projectId, {
              url: slow.url,
              retry: { maxAttempts: 1 },
              response: { set: { orderStatus: '$.status' } },
            })
            const ops = await relay.createWebhook(projectId, { url: held.url, events: ['hookline.delivery.exhausted'] })
            await relay.admin('POST', `/v1/projects/${projectId}/webhooks/${ops.webhook.id}/pause`)
            const event = testEvent({ sessionId: 'ses_erase-in-flight', props: { secret: 'erase me' } })
            await relay.ingest(keys.test, [event])
            await slow.waitFor(1)
            const res = await relay.admin('DELETE', `/v1/projects/${projectId}/sessions/ses_erase-in-flight`)
            expect(res.body.erased).toMatchObject({ events: 1, deliveriesCancelled: 1 })
            await answered
            // Past the write-behind's flush.
            await new Promise((resolve) => setTimeout(resolve, 300))

            const list = await relay.admin('GET', `/v1/projects/${projectId}/webhooks/${webhook.id}/deliveries`)
            expect(list.body.deliveries).toHaveLength(1)
            const [delivery] = list.body.deliveries
            expect(delivery.status).toBe('erased')
            const detail = await relay.admin(
              'GET',
              `/v1/projects/${projectId}/webhooks/${webhook.id}/deliveries/${delivery.id}`,
            )
            expect(detail.body.delivery.attempts).toEqual([])
            // Nothing of the subject came back: no frame from the mapped answer, no operational event
            // naming its event.
            const again = await relay.admin('DELETE', `/v1/projects/${projectId}/sessions/ses_erase-in-flight`)
            expect(again.body.erased).toEqual({ events: 0, deliveriesCancelled: 0, attempts: 0, frames: 0 })
            expect(JSON.stringify((await eventLog(projectId)).map((entry) => entry.id))).not.toContain(event.id)
            const opsHeld = await relay.admin('GET', `/v1/projects/${projectId}/webhooks/${ops.webhook.id}/deliveries`)
            expect(opsHeld.body.deliveries).toEqual([])
          } finally {
            await slow.close()
          }
        }
      })
    })
  })
}

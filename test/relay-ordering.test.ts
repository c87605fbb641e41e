import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { HooklineEvent } from '@hookline/protocol'
import { startEndpoint, type RecordedRequest, type TestEndpoint } from './helpers/endpoint.ts'
import { startTestRelay, testEvent, type TestRelay } from './helpers/relay.ts'
import { until } from './helpers/until.ts'

// `ordering: "session"` against a real receiver: each session's events arrive one at a time, in
// event order (ts, then id), whatever order they were ingested in; lanes flow side by side; a
// failing head holds only its own lane; once its retries run out the lane moves on without it.
let relay: TestRelay
const endpoints: TestEndpoint[] = []
beforeAll(async () => {
  relay = await startTestRelay()
})
afterAll(async () => {
  await relay.close()
  await Promise.all(endpoints.map((endpoint) => endpoint.close()))
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const bodyOf = (request: RecordedRequest) => JSON.parse(request.body) as { id: string; session: { id: string } }

/**
 * A receiver that answers after `delay(request)` ms with `status(request)`, and counts the
 * requests of each session in flight at once (`overlaps` lists any session that had two).
 */
async function laneReceiver(
  status: (request: RecordedRequest) => number = () => 200,
  delay: () => number = () => Math.floor(Math.random() * 12),
) {
  const active = new Map<string, number>()
  const overlaps: string[] = []
  let inFlight = 0
  let maxInFlight = 0
  const endpoint = await startEndpoint(async (request) => {
    const session = bodyOf(request).session.id
    const now = (active.get(session) ?? 0) + 1
    active.set(session, now)
    if (now > 1) overlaps.push(session)
    maxInFlight = Math.max(maxInFlight, ++inFlight)
    await sleep(delay())
    inFlight--
    active.set(session, (active.get(session) ?? 1) - 1)
    return { status: status(request) }
  })
  endpoints.push(endpoint)
  return { endpoint, overlaps, maxInFlight: () => maxInFlight }
}

const eventOrder = (a: HooklineEvent, b: HooklineEvent) =>
  Date.parse(a.ts) - Date.parse(b.ts) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** Events of each session with increasing `ts` (two sharing one, so the id breaks the tie), in event order. */
function sessionEvents(sessions: number, perSession: number, prefix: string): Map<string, HooklineEvent[]> {
  const bySession = new Map<string, HooklineEvent[]>()
  const start = Date.now() - 60_000
  for (let s = 0; s < sessions; s++) {
    const sessionId = `ses_${prefix}-${String(s).padStart(4, '0')}`
    const events = Array.from({ length: perSession }, (_, i) =>
      testEvent({ sessionId, ts: new Date(start + Math.max(1, i) * 1000).toISOString(), props: { n: i } }),
    )
    bySession.set(sessionId, events.sort(eventOrder))
  }
  return bySession
}

/**
 * Ingests the sessions' events in batches of up to ten sessions each, shuffled within the batch, so
 * arrival order says nothing about event order. (A lane orders what it holds: an event that arrives
 * after a later one of its session was sent cannot overtake it.)
 */
async function ingestShuffled(key: string, bySession: Map<string, HooklineEvent[]>) {
  const sessions = [...bySession.values()]
  for (let i = 0; i < sessions.length; i += 10) {
    const batch = sessions
      .slice(i, i + 10)
      .flat()
      .sort(() => Math.random() - 0.5)
    const res = await relay.ingest(key, batch)
    expect(res.status).toBe(202)
  }
}

const arrivals = (endpoint: TestEndpoint, sessionId: string) =>
  endpoint.requests.map(bodyOf).filter((body) => body.session.id === sessionId)

/** Every delivery of the webhook, page by page. */
async function deliveriesOf(projectId: string, webhookId: string): Promise<any[]> {
  const all: any[] = []
  let cursor = ''
  for (;;) {
    const path = `/v1/projects/${projectId}/webhooks/${webhookId}/deliveries?limit=200${cursor && `&cursor=${cursor}`}`
    const res = await relay.admin('GET', path)
    all.push(...res.body.deliveries)
    if (!res.body.nextCursor) return all
    cursor = res.body.nextCursor
  }
}

describe('ordered delivery per session', () => {
  test('each of 30 sessions gets its events one at a time in event order; lanes run side by side', async () => {
    const { endpoint, overlaps, maxInFlight } = await laneReceiver()
    const { projectId, keys } = await relay.createProject()
    const { webhook } = await relay.createWebhook(projectId, { url: endpoint.url, ordering: 'session' })
    expect(webhook.ordering).toBe('session')
    const bySession = sessionEvents(30, 12, 'order')
    const all = [...bySession.values()].flat()
    await ingestShuffled(keys.test, bySession)

    await endpoint.waitFor(all.length, 30_000)
    for (const [sessionId, events] of bySession)
      expect(arrivals(endpoint, sessionId).map((body) => body.id)).toEqual(events.map((event) => event.id))
    expect(overlaps).toEqual([])
    // Not one lane for the whole webhook: sessions were delivered concurrently.
    expect(maxInFlight()).toBeGreaterThan(1)
    const deliveries = await until(
      () => deliveriesOf(projectId, webhook.id),
      (list) => list.filter((d) => d.status === 'succeeded').length === all.length,
    )
    expect(deliveries.some((d) => d.outOfOrder)).toBe(false)
  })

  test('a failing head holds only its own lane: other sessions and an unordered webhook flow meanwhile', async () => {
    let headFailures = 0
    let headId = ''
    const ordered = await laneReceiver((request) => {
      const body = bodyOf(request)
      if (body.id !== headId) return 200
      headFailures++
      return headFailures < 3 ? 503 : 200
    })
    const unordered = await laneReceiver()
    const { projectId, keys } = await relay.createProject()
    const { webhook } = await relay.createWebhook(projectId, {
      url: ordered.endpoint.url,
      ordering: 'session',
      retry: { maxAttempts: 4, scheduleMs: [1500, 1500, 1500] },
    })
    await relay.createWebhook(projectId, { url: unordered.endpoint.url })
    const bySession = sessionEvents(5, 6, 'hold')
    const [stuckSession, stuck] = [...bySession.entries()][0]!
    headId = stuck[0]!.id
    await ingestShuffled(keys.test, bySession)

    // Every other lane is delivered whole while the stuck lane's head waits for its retry.
    const others = [...bySession.entries()].slice(1)
    await ordered.endpoint.waitFor(
      () => others.every(([sessionId, events]) => arrivals(ordered.endpoint, sessionId).length === events.length),
      10_000,
    )
    expect(arrivals(ordered.endpoint, stuckSession).map((body) => body.id)).toEqual([headId])
    // The unordered webhook had the stuck session's events at once.
    await unordered.endpoint.waitFor(30, 10_000)

    // The head succeeds on its third attempt; the rest of its lane follows, in order.
    await ordered.endpoint.waitFor(() => arrivals(ordered.endpoint, stuckSession).length === 8, 10_000)
    expect(arrivals(ordered.endpoint, stuckSession).map((body) => body.id)).toEqual([
      headId,
      headId,
      ...stuck.map((event) => event.id),
    ])
    expect(ordered.overlaps).toEqual([])
    const deliveries = await until(
      () => deliveriesOf(projectId, webhook.id),
      (list) => list.filter((d) => d.status === 'succeeded').length === 30,
    )
    expect(deliveries.some((d) => d.outOfOrder)).toBe(false)
  })

  test('once the head has no retries left the lane moves on; it stays redeliverable, marked out of order', async () => {
    let failing = true
    let headId = ''
    const { endpoint, overlaps } = await laneReceiver((request) =>
      failing && bodyOf(request).id === headId ? 503 : 200,
    )
    const { projectId, keys } = await relay.createProject()
    const { webhook } = await relay.createWebhook(projectId, {
      url: endpoint.url,
      ordering: 'session',
      retry: { maxAttempts: 2, scheduleMs: [200] },
    })
    const bySession = sessionEvents(3, 5, 'exhaust')
    const [session, events] = [...bySession.entries()][0]!
    headId = events[0]!.id
    await ingestShuffled(keys.test, bySession)

    await endpoint.waitFor(15 + 1, 10_000)
    // Two attempts at the head, then the rest of its lane in order.
    expect(arrivals(endpoint, session).map((body) => body.id)).toEqual([headId, ...events.map((e) => e.id)])
    const deliveries = await until(
      () => deliveriesOf(projectId, webhook.id),
      (list) => list.filter((d) => d.status === 'succeeded').length === 14,
    )
    const head = deliveries.find((d) => d.eventId === headId)
    expect(head).toMatchObject({ status: 'failed', attemptCount: 2, outOfOrder: true })
    expect(deliveries.filter((d) => d.outOfOrder)).toHaveLength(1)

    // Redelivered by hand it goes at once, after the events that went ahead of it, and keeps the mark.
    failing = false
    const redelivered = await relay.admin(
      'POST',
      `/v1/projects/${projectId}/webhooks/${webhook.id}/deliveries/${head.id}/redeliver`,
    )
    expect(redelivered.status).toBeLessThan(300)
    await endpoint.waitFor(17, 5000)
    expect(arrivals(endpoint, session).at(-1)!.id).toBe(headId)
    const after = await until(
      () => relay.admin('GET', `/v1/projects/${projectId}/webhooks/${webhook.id}/deliveries/${head.id}`),
      (res) => res.body.delivery.status === 'succeeded',
    )
    expect(after.body.delivery.outOfOrder).toBe(true)
    expect(overlaps).toEqual([])
  })

  test("each answer of an ordered lane still becomes the session's variables", async () => {
    const endpoint = await startEndpoint({ status: 200, body: { status: 'shipped' } })
    endpoints.push(endpoint)
    const { projectId, keys } = await relay.createProject()
    const { webhook } = await relay.createWebhook(projectId, {
      url: endpoint.url,
      ordering: 'session',
      response: { set: { orderStatus: '$.status' } },
    })
    const bySession = sessionEvents(1, 5, 'vars')
    const [sessionId] = [...bySession.keys()]
    await ingestShuffled(keys.test, bySession)
    await until(
      () => deliveriesOf(projectId, webhook.id),
      (list) => list.filter((d) => d.status === 'succeeded').length === 5,
    )
    await sleep(200)
    // One stored vars frame per answer: the erasure counts them.
    const erased = await relay.admin('DELETE', `/v1/projects/${projectId}/sessions/${sessionId}`)
    expect(erased.body.erased.frames).toBe(5)
  })

  test('ordering is validated and defaults to none; turned off, what waits in a lane goes at once', async () => {
    const { projectId, keys } = await relay.createProject()
    const { webhook: plain } = await relay.createWebhook(projectId, { url: 'http://127.0.0.1:9/none', events: ['x'] })
    expect(plain.ordering).toBe('none')
    const bad = await relay.admin('POST', `/v1/projects/${projectId}/webhooks`, {
      name: 'x',
      url: 'http://127.0.0.1:9/x',
      events: ['*'],
      ordering: 'global',
    })
    expect(bad.status).toBe(400)
    expect(bad.body.error.details.problems).toEqual([
      { path: 'ordering', message: '"ordering" must be "none" or "session".' },
    ])

    let headId = ''
    const { endpoint } = await laneReceiver((request) => (bodyOf(request).id === headId ? 503 : 200))
    const { webhook } = await relay.createWebhook(projectId, {
      url: endpoint.url,
      ordering: 'session',
      retry: { maxAttempts: 3, scheduleMs: [20_000, 20_000] },
    })
    const bySession = sessionEvents(1, 4, 'off')
    const events = [...bySession.values()][0]!
    headId = events[0]!.id
    await ingestShuffled(keys.test, bySession)
    await endpoint.waitFor(1)
    await sleep(300)
    expect(endpoint.requests).toHaveLength(1)
    const off = await relay.admin('PATCH', `/v1/projects/${projectId}/webhooks/${webhook.id}`, { ordering: 'none' })
    expect(off.body.webhook.ordering).toBe('none')
    await endpoint.waitFor(4, 5000)
    expect(
      endpoint.requests
        .slice(1)
        .map((r) => bodyOf(r).id)
        .sort(),
    ).toEqual(
      events
        .slice(1)
        .map((e) => e.id)
        .sort(),
    )
  })
})

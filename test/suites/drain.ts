import { expect } from 'vitest'
import { startEndpoint, type RecordedRequest } from '../helpers/endpoint.ts'
import { testEvent, type TestRelay } from '../helpers/relay.ts'

// A resume's drain, on one relay or on several sharing a PostgreSQL database: what was held goes
// out one at a time, oldest first, whichever node claims it. With `failOldest` the oldest held
// delivery fails once, so the rest must wait for its retry; the endpoint is slow, so that a second
// node (polling often) finds the drain under way and could claim alongside the resuming one.
const HELD = 24
const RETRY_MS = 150

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const idOf = (request: RecordedRequest) => (JSON.parse(request.body) as { id: string }).id

/** Runs the drain over `nodes` (resumed on the first, events stored through each in turn). */
export async function drainAcross(nodes: TestRelay[], failOldest: boolean): Promise<{ webhookId: string }> {
  const [first] = nodes as [TestRelay, ...TestRelay[]]
  const held = Array.from({ length: HELD }, (_, i) => testEvent({ props: { n: i } }))
  let inFlight = 0
  let overlaps = 0
  let failFirst = failOldest
  const target = await startEndpoint(async (request) => {
    inFlight++
    if (inFlight > 1) overlaps++
    await sleep(3 + Math.floor(Math.random() * 8))
    inFlight--
    if (failFirst && idOf(request) === held[0]!.id) {
      failFirst = false
      return { status: 503 }
    }
    return { status: 200 }
  })
  try {
    const { projectId, keys } = await first.createProject()
    const { webhook } = await first.createWebhook(projectId, {
      url: target.url,
      retry: { maxAttempts: 4, scheduleMs: [RETRY_MS] },
    })
    const base = `/v1/projects/${projectId}/webhooks/${webhook.id}`
    expect((await first.admin('POST', `${base}/pause`)).status).toBe(200)
    for (const [i, event] of held.entries()) {
      const res = await nodes[i % nodes.length]!.ingest(keys.test, [event])
      expect(res.status).toBe(202)
    }
    await sleep(100)
    expect(target.requests).toHaveLength(0)

    expect((await first.admin('POST', `${base}/resume`)).status).toBe(200)
    const retries = failOldest ? 1 : 0
    await target.waitFor(HELD + retries, 20_000)
    await sleep(300)
    const arrived = target.requests.map(idOf)
    // The oldest twice if it failed (its failure, then its retry), then the rest in the order they were held.
    expect(arrived).toEqual([...held.slice(0, retries).map((event) => event.id), ...held.map((event) => event.id)])
    expect(overlaps).toBe(0)
    if (failOldest) {
      const [failed, retried] = target.requests
      expect(retried!.headers['webhook-id']).toBe(failed!.headers['webhook-id'])
      expect(retried!.receivedAt - failed!.receivedAt).toBeGreaterThanOrEqual(RETRY_MS * 0.7)
    }

    // Drained: the webhook is unordered again, so a burst goes out side by side.
    const before = target.requests.length
    const burst = Array.from({ length: 8 }, () => testEvent())
    await first.ingest(keys.test, burst)
    await target.waitFor(before + burst.length)
    return { webhookId: webhook.id }
  } finally {
    await target.close()
  }
}

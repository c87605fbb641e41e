import { expect, test } from 'vitest'
import type { RecordedRequest } from './helpers/endpoint.ts'
import { postgresNodes } from './helpers/postgres-nodes.ts'
import { testEvent } from './helpers/relay.ts'

// Self-recovery on two relay processes sharing one PostgreSQL schema, one SIGKILLed while the
// webhook is paused and probed: the other keeps probing on the webhook's own backoff, resumes it on
// the first 2xx, and delivers everything held, none lost.
const ADMIN_TOKEN = 'probe-takeover-admin-token-000'
const { call, startNode, startEndpoint } = postgresNodes('relay_probe_takeover', ADMIN_TOKEN)

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const eventOf = (request: RecordedRequest) => JSON.parse(request.body).id as string

test(
  'SIGKILL one of two nodes while a paused webhook is probed: the other probes on, resumes, drains all',
  {
    timeout: 120_000,
  },
  async () => {
    let healthy = false
    const delivered: string[] = []
    const endpoint = await startEndpoint((request) => {
      if (!healthy) return { status: 503 }
      delivered.push(eventOf(request))
      return { status: 200 }
    })
    const a = await startNode()
    const b = await startNode()
    const project = await call(a.url, '/v1/projects', { method: 'POST', body: { name: 'probe-takeover' } })
    const { projectId } = { projectId: project.body.project.id as string }
    const created = await call(a.url, `/v1/projects/${projectId}/webhooks`, {
      method: 'POST',
      body: {
        name: 'receiver',
        url: endpoint.url,
        events: ['*'],
        retry: { maxAttempts: 1 },
        autoResume: { scheduleMs: [1000] },
      },
    })
    expect(created.status).toBe(201)
    const webhookPath = `/v1/projects/${projectId}/webhooks/${created.body.webhook.id}`
    const key = project.body.keys.test
    const session = await call(a.url, '/v1/sessions', { method: 'POST', key, body: {} })
    const sessionTokens = { [session.body.id]: session.body.token }
    const ingest = (url: string, count: number) => {
      const events = Array.from({ length: count }, () => testEvent({ sessionId: session.body.id }))
      return call(url, '/v1/events', {
        method: 'POST',
        key,
        body: { sentAt: new Date().toISOString(), sessionTokens, events },
      })
    }

    // Failing events, a few at a time from either node, until the webhook is paused by failures.
    const deadline = Date.now() + 30_000
    let paused = false
    for (let i = 0; !paused && Date.now() < deadline; i++) {
      expect((await ingest(i % 2 ? b.url : a.url, 3)).status).toBe(202)
      await sleep(150)
      paused = (await call(a.url, webhookPath)).body.webhook.status === 'paused'
    }
    expect(paused).toBe(true)
    const pausedView = (await call(b.url, webhookPath)).body.webhook
    expect(pausedView).toMatchObject({ pausedBy: 'failures', nextProbeAt: expect.any(String) })
    const held = await ingest(a.url, 5)
    expect(held.body.accepted).toHaveLength(5)

    // Probed, and failing, while both live; then B dies and A keeps probing alone.
    const beforeKill = endpoint.requests.length
    await endpoint.waitFor(beforeKill + 1, 10_000)
    b.child.kill('SIGKILL')
    await b.exited
    const afterKill = endpoint.requests.length
    await endpoint.waitFor(afterKill + 2, 15_000)
    const probes = endpoint.requests.slice(afterKill)
    for (let i = 1; i < probes.length; i++)
      expect(probes[i]!.receivedAt - probes[i - 1]!.receivedAt).toBeGreaterThanOrEqual(500)

    healthy = true
    const healthyFrom = endpoint.requests.length
    let resumed = false
    const resumeBy = Date.now() + 20_000
    while (!resumed && Date.now() < resumeBy) {
      resumed = (await call(a.url, webhookPath)).body.webhook.status === 'active'
      if (!resumed) await sleep(100)
    }
    expect(resumed).toBe(true)
    // Nothing held is lost: every held event arrives, and nothing is left pending or held.
    const wanted = new Set<string>(held.body.accepted)
    // (Read from the requests: the endpoint checks a wait before it answers the request that ends it.)
    const answered = () => endpoint.requests.slice(healthyFrom).map(eventOf)
    await endpoint.waitFor(() => [...wanted].every((id) => answered().includes(id)), 20_000)
    let left: unknown[] = ['…']
    const settleBy = Date.now() + 10_000
    while (left.length > 0 && Date.now() < settleBy) {
      const pending = await call(a.url, `${webhookPath}/deliveries?status=pending`)
      const waiting = await call(a.url, `${webhookPath}/deliveries?status=held`)
      left = [...pending.body.deliveries, ...waiting.body.deliveries]
      if (left.length > 0) await sleep(200)
    }
    expect(left).toEqual([])
    // Answered 200 once each, but for what the dead node may have had in flight (at most one probe).
    expect(answered().length - new Set(answered()).size).toBeLessThanOrEqual(1)
  },
)

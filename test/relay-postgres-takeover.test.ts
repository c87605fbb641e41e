import { expect, test } from 'vitest'
import type { RecordedRequest } from './helpers/endpoint.ts'
import { postgresNodes } from './helpers/postgres-nodes.ts'
import { TEST_MASTER_KEY, testEvent } from './helpers/relay.ts'
import type { RelayProcess } from './helpers/relay-process.ts'

// Two relay processes on one PostgreSQL schema, one SIGKILLed mid-run: the other must retake the
// dead node's claims within 10 s (short leases renewed by live nodes), deliver every event, and
// never send one twice while both live. Only what the dead node held when it died may come twice.
const ADMIN_TOKEN = 'takeover-test-admin-token-0000'
const EVENTS = 4000
/** The first requests take longer than a lease (5 s): their node must keep them by renewing. */
const SLOW = 64
const SLOW_MS = 6500
const { call, query, startNode, startEndpoint } = postgresNodes('relay_takeover', ADMIN_TOKEN, {
  // Nodes of one database share the master key that seals its secrets.
  HOOKLINE_MASTER_KEY: TEST_MASTER_KEY,
})

const eventOf = (request: RecordedRequest) => JSON.parse(request.body).id as string

test(
  'SIGKILL one of two nodes: its claims are retaken within 10 s, every event arrives, none twice from a live node',
  { timeout: 120_000 },
  async () => {
    const endpoint = await startEndpoint((request) => ({ status: 200, delayMs: request.index < SLOW ? SLOW_MS : 200 }))
    const a = await startNode()
    const b = await startNode()
    const project = await call(a.url, '/v1/projects', { method: 'POST', body: { name: 'takeover' } })
    const webhook = await call(a.url, `/v1/projects/${project.body.project.id}/webhooks`, {
      method: 'POST',
      body: { name: 'receiver', url: endpoint.url, events: ['*'] },
    })
    expect(webhook.status).toBe(201)

    const nodeOf = async (relay: RelayProcess) =>
      (await query<{ id: string }>('SELECT id FROM relay_nodes WHERE pid = $1', [relay.child.pid]))[0]?.id
    const nodeA = await nodeOf(a)
    const nodeB = await nodeOf(b)
    expect(nodeA).toBeDefined()
    expect(nodeB).toBeDefined()
    const key = project.body.keys.test
    const session = await call(a.url, '/v1/sessions', { method: 'POST', key, body: {} })
    expect(session.status).toBe(201)
    const sessionTokens = { [session.body.id]: session.body.token }
    const started = Date.now()
    const accepted: string[] = []
    for (let i = 0; i < EVENTS / 100; i++) {
      const events = Array.from({ length: 100 }, () => testEvent({ sessionId: session.body.id }))
      const res = await call(i % 2 ? b.url : a.url, '/v1/events', {
        method: 'POST',
        key,
        body: { sentAt: new Date().toISOString(), sessionTokens, events },
      })
      expect(res.status).toBe(202)
      accepted.push(...res.body.accepted)
    }
    expect(accepted).toHaveLength(EVENTS)

    // Both nodes live past the slow requests' lease-and-more: they were kept, not retaken.
    await endpoint.waitFor((requests) => requests.length >= EVENTS / 2 && Date.now() - started > SLOW_MS + 1000, 60_000)
    // Neither lease ran out while both lived (a lapse gives the node a new id): no claim moved.
    expect(await nodeOf(b)).toBe(nodeB)
    const killedAt = Date.now()
    b.child.kill('SIGKILL')
    await b.exited
    const beforeKill = endpoint.requests.filter((request) => request.receivedAt < killedAt)
    expect(beforeKill.length).toBeLessThan(EVENTS)
    expect(new Set(beforeKill.map(eventOf)).size).toBe(beforeKill.length)

    // What the dead node held: the only deliveries that may arrive twice.
    const held = await query<{ event_id: string }>(
      'SELECT d.event_id FROM delivery_queue q JOIN deliveries d ON d.id = q.delivery_id WHERE q.claimed_by = $1',
      [nodeB],
    )
    expect(held.length).toBeGreaterThan(0)
    let retakenAt = 0
    while (!retakenAt) {
      const [left] = await query<{ count: string }>('SELECT count(*) FROM delivery_queue WHERE claimed_by = $1', [
        nodeB,
      ])
      if (Number(left!.count) === 0) retakenAt = Date.now()
      else if (Date.now() - killedAt > 15_000) break
      else await new Promise((resolve) => setTimeout(resolve, 100))
    }
    console.log(`takeover: ${held.length} claims of the dead node retaken ${retakenAt - killedAt} ms after SIGKILL`)
    expect(retakenAt).toBeGreaterThan(0)
    expect(retakenAt - killedAt).toBeLessThan(10_000)

    const wanted = new Set(accepted)
    let seen = 0
    await endpoint.waitFor((requests) => {
      for (const request of requests.slice(seen)) wanted.delete(eventOf(request))
      seen = requests.length
      return wanted.size === 0
    }, 60_000)
    await new Promise((resolve) => setTimeout(resolve, 1000))

    const copies = new Map<string, RecordedRequest[]>()
    for (const request of endpoint.requests)
      copies.set(eventOf(request), [...(copies.get(eventOf(request)) ?? []), request])
    // Neither lease ran out while both lived (checked above for B): A never lost a claim to B.
    expect(await nodeOf(a)).toBe(nodeA)
    const heldIds = new Set(held.map((row) => row.event_id))
    for (const [id, requests] of copies) {
      if (requests.length === 1) continue
      // At least once: a repeat keeps the webhook-id, and is only ever of a delivery the dead node
      // held when it died and had sent before (its answer not yet written); the live node sent it
      // again after. As no claim moved between live nodes, that first copy was the dead node's.
      expect(requests).toHaveLength(2)
      expect(requests[1]!.headers['webhook-id']).toBe(requests[0]!.headers['webhook-id'])
      expect(heldIds.has(id)).toBe(true)
      // The dead node sent its copy before the kill; the endpoint may read it a moment after.
      expect(requests[0]!.receivedAt).toBeLessThan(killedAt + 500)
      expect(requests[1]!.receivedAt).toBeGreaterThanOrEqual(killedAt)
    }
    // And every one is recorded as delivered (the results are written behind the sends).
    const succeeded = async () =>
      Number((await query<{ count: string }>("SELECT count(*) FROM deliveries WHERE status = 'succeeded'"))[0]!.count)
    const deadline = Date.now() + 20_000
    while ((await succeeded()) < EVENTS && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200))
    expect(await succeeded()).toBe(EVENTS)
    const duplicates = [...copies.values()].filter((requests) => requests.length > 1).length
    console.log(`takeover: ${EVENTS} events, ${duplicates} sent again after the dead node's claims passed`)
  },
)

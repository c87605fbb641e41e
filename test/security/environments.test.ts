import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId, sign } from '@hookline/protocol'
import { startEndpoint, type TestEndpoint } from '../helpers/endpoint.ts'
import { startTestRelay, type TestProject, type TestRelay } from '../helpers/relay.ts'
import { openStream, type StreamReader } from '../helpers/stream-reader.ts'

// Issue 10: test and live never mix, in either direction. A listener belongs to one environment;
// its webhooks, broadcast or targeted, reach that environment's sessions only, live and on replay.

let relay: TestRelay
let project: TestProject
let endpoint: TestEndpoint
const open: StreamReader[] = []

beforeAll(async () => {
  relay = await startTestRelay()
  project = await relay.createProject()
  endpoint = await startEndpoint()
})
afterAll(async () => {
  for (const stream of open) stream.close()
  await relay.close()
  await endpoint.close()
})

type Listener = { listener: { id: string; url: string; environment: string }; secret: string }

async function listener(body: Record<string, unknown>): Promise<Listener> {
  const res = await relay.admin('POST', `/v1/projects/${project.projectId}/listeners`, {
    name: 'orders',
    set: { status: '$.status' },
    ...body,
  })
  expect(res.status).toBe(201)
  return res.body as Listener
}

async function inbound(to: Listener, body: unknown): Promise<number> {
  const text = JSON.stringify(body)
  const headers = await sign(to.secret, newId('msg'), Math.floor(Date.now() / 1000), text)
  const res = await relay.request(to.listener.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: text,
  })
  expect(res.status).toBe(202)
  return res.body.seq as number
}

async function stream(key: string, session: string, lastEventId?: string): Promise<StreamReader> {
  const extra: Record<string, string> = lastEventId === undefined ? {} : { lastEventId }
  const reader = await openStream(relay.url, await relay.streamPath(key, session, extra))
  expect(reader.status).toBe(200)
  open.push(reader)
  return reader
}

const statuses = (reader: StreamReader) =>
  reader.frames
    .filter((f) => f.event === 'vars')
    .map((f) => (JSON.parse(f.data) as { set: { status: string } }).set.status)

describe('test and live never mix in the stream', () => {
  it('a listener is a test listener unless made live, and can be moved', async () => {
    const made = await listener({})
    expect(made.listener.environment).toBe('test')
    const moved = await relay.admin('PATCH', `/v1/projects/${project.projectId}/listeners/${made.listener.id}`, {
      environment: 'live',
    })
    expect(moved.body.listener.environment).toBe('live')
    const refused = await relay.admin('POST', `/v1/projects/${project.projectId}/listeners`, {
      name: 'x',
      set: { status: '$.status' },
      environment: 'staging',
    })
    expect(refused.status).toBe(400)
  })

  it("a live listener's broadcast reaches live streams only, a test one's test streams only", async () => {
    const live = await listener({ environment: 'live' })
    const test = await listener({ environment: 'test' })
    const liveStream = await stream(project.keys.live, 'ses_envlive000001')
    const testStream = await stream(project.keys.test, 'ses_envtest000001')
    await inbound(live, { status: 'live-1' })
    await inbound(test, { status: 'test-1' })
    // A marker after both: once each stream has its own, the other's frame would have come before it.
    await inbound(live, { status: 'live-2' })
    await inbound(test, { status: 'test-2' })
    await liveStream.waitForFrames(2)
    await testStream.waitForFrames(2)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(statuses(liveStream)).toEqual(['live-1', 'live-2'])
    expect(statuses(testStream)).toEqual(['test-1', 'test-2'])
  })

  it('a replay from the start holds only the own environment’s broadcasts', async () => {
    const live = await listener({ environment: 'live' })
    const test = await listener({ environment: 'test' })
    const first = await inbound(live, { status: 'live-replayed' })
    await inbound(test, { status: 'test-replayed' })
    const liveAgain = await stream(project.keys.live, 'ses_envlive000002', String(first - 1))
    const testAgain = await stream(project.keys.test, 'ses_envtest000002', String(first - 1))
    await liveAgain.waitForFrames(1)
    await testAgain.waitForFrames(1)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(statuses(liveAgain)).toEqual(['live-replayed'])
    expect(statuses(testAgain)).toEqual(['test-replayed'])
  })

  it('a targeted webhook of one environment does not reach a session of the other, live or on replay', async () => {
    const live = await listener({ environment: 'live', target: { session: '$.session' } })
    const test = await listener({ environment: 'test', target: { session: '$.session' } })
    const victim = 'ses_envtest000003'
    const reader = await stream(project.keys.test, victim)
    const crossed = await inbound(live, { status: 'from-live', session: victim })
    await inbound(test, { status: 'from-test', session: victim })
    await reader.waitForFrames(1)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(statuses(reader)).toEqual(['from-test'])
    const replayed = await stream(project.keys.test, victim, String(crossed - 1))
    await replayed.waitForFrames(1)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(statuses(replayed)).toEqual(['from-test'])
  })
})

describe('event ids deduplicate per environment', () => {
  it('a test event does not shadow a live event of the same id, nor the other way; each reaches its own webhooks', async () => {
    const own = await relay.createProject()
    await relay.createWebhook(own.projectId, { url: `${endpoint.url}/test`, environment: 'test' })
    await relay.createWebhook(own.projectId, { url: `${endpoint.url}/live`, environment: 'live' })
    const id = newId('evt')
    const first = await relay.ingest(own.keys.test, [{ id, props: { from: 'test' } }])
    expect(first.body).toMatchObject({ accepted: [id], duplicates: [] })
    const second = await relay.ingest(own.keys.live, [{ id, props: { from: 'live' } }])
    expect(second.body).toMatchObject({ accepted: [id], duplicates: [] })
    // Within an environment an id is still taken once.
    expect((await relay.ingest(own.keys.live, [{ id, props: { from: 'live again' } }])).body).toMatchObject({
      accepted: [],
      duplicates: [id],
    })
    expect((await relay.ingest(own.keys.test, [{ id, props: { from: 'test again' } }])).body).toMatchObject({
      accepted: [],
      duplicates: [id],
    })

    const sent = await endpoint.waitFor((requests) => requests.filter((r) => r.body.includes(id)).length >= 2)
    const bodies = Object.fromEntries(
      sent.filter((r) => r.body.includes(id)).map((r) => [r.path, JSON.parse(r.body) as { data: unknown }]),
    )
    expect(bodies['/test']?.data).toEqual({ from: 'test' })
    expect(bodies['/live']?.data).toEqual({ from: 'live' })
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(endpoint.requests.filter((r) => r.body.includes(id))).toHaveLength(2)

    const log = await relay.admin('GET', `/v1/projects/${own.projectId}/events`)
    const entries = (log.body.events as { id: string; environment: string; deliveries: { total: number } }[]).filter(
      (entry) => entry.id === id,
    )
    expect(entries.map((entry) => [entry.environment, entry.deliveries.total]).sort()).toEqual([
      ['live', 1],
      ['test', 1],
    ])
  })

  it("erasing a test session's events leaves the live event of the same id", async () => {
    const own = await relay.createProject()
    const id = newId('evt')
    await relay.ingest(own.keys.test, [{ id, sessionId: 'ses_erasetest00001' }])
    await relay.ingest(own.keys.live, [{ id, sessionId: 'ses_eraselive00001' }])
    const erased = await relay.admin('DELETE', `/v1/projects/${own.projectId}/sessions/ses_erasetest00001`)
    expect(erased.status).toBe(200)
    expect(erased.body).toMatchObject({ erased: { events: 1 } })
    const log = await relay.admin('GET', `/v1/projects/${own.projectId}/events`)
    expect((log.body.events as { id: string; environment: string }[]).map((e) => [e.id, e.environment])).toEqual([
      [id, 'live'],
    ])
  })
})

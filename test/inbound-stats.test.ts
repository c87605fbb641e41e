import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId, sign } from '@hookline/protocol'
import { startTestRelay, type TestProject, type TestRelay } from './helpers/relay.ts'
import { openStream, type StreamReader } from './helpers/stream-reader.ts'

let relay: TestRelay
let project: TestProject
const open: StreamReader[] = []

beforeAll(async () => {
  relay = await startTestRelay()
  project = await relay.createProject({ name: 'Stats' })
})
afterAll(async () => {
  for (const stream of open) stream.close()
  await relay.close()
})

async function createListener(body: Record<string, unknown>) {
  const res = await relay.admin('POST', `/v1/projects/${project.projectId}/listeners`, {
    set: { orderStatus: '$.status' },
    ...body,
  })
  expect(res.status).toBe(201)
  return res.body as { listener: { id: string; url: string }; secret: string }
}

async function inbound(listener: { listener: { url: string }; secret: string }, body: unknown) {
  const text = JSON.stringify(body)
  const headers = await sign(listener.secret, newId('msg'), Math.floor(Date.now() / 1000), text)
  return relay.request(listener.listener.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: text,
  })
}

describe('stats: inbound → SSE frame written', () => {
  it('reports p50/p95/p99 per project and per listener, counting only frames written to a stream', async () => {
    const targeted = await createListener({ name: 'orders', target: { session: '$.session' } })
    const broadcast = await createListener({ name: 'banner', target: 'broadcast', set: { banner: '$.status' } })
    const idle = await createListener({ name: 'idle', target: { session: '$.session' } })

    const empty = await relay.admin('GET', `/v1/projects/${project.projectId}/stats?window=1h`)
    expect(empty.status).toBe(200)
    expect(empty.body.inbound).toMatchObject({ framesWritten: 0, latencyMs: { p50: null, p95: null, p99: null } })

    const reader = await openStream(relay.url, await relay.streamPath(project.keys.test, 'ses_stats1'))
    open.push(reader)
    expect(reader.status).toBe(200)

    // Sequentially, so the wall time around each request bounds what the relay may report.
    let longest = 0
    for (let i = 0; i < 5; i++) {
      const started = performance.now()
      expect((await inbound(targeted, { status: `s${i}`, session: 'ses_stats1' })).status).toBe(202)
      await reader.waitForFrames(i + 1)
      longest = Math.max(longest, performance.now() - started)
    }
    expect((await inbound(broadcast, { status: 'hello' })).status).toBe(202)
    await reader.waitForFrames(6)
    // No stream is open for this session: nothing is written, so nothing is counted.
    expect((await inbound(idle, { status: 'x', session: 'ses_nobody' })).status).toBe(202)

    const res = await relay.admin('GET', `/v1/projects/${project.projectId}/stats?window=1h`)
    expect(res.status).toBe(200)
    const { inbound: figures } = res.body
    expect(figures.framesWritten).toBe(6)
    const { p50, p95, p99 } = figures.latencyMs
    expect(p50).toBeGreaterThan(0)
    expect(p50).toBeLessThanOrEqual(p95)
    expect(p95).toBeLessThanOrEqual(p99)
    expect(p99).toBeLessThan(longest + 50)

    const byId = new Map(figures.listeners.map((l: any) => [l.id, l]))
    expect(byId.get(targeted.listener.id)).toMatchObject({ name: 'orders', framesWritten: 5 })
    expect(byId.get(broadcast.listener.id)).toMatchObject({ name: 'banner', framesWritten: 1 })
    expect(byId.get(idle.listener.id)).toMatchObject({
      name: 'idle',
      framesWritten: 0,
      latencyMs: { p50: null, p95: null, p99: null },
    })
    expect((byId.get(targeted.listener.id) as any).latencyMs.p50).toBeGreaterThan(0)
  })

  it('refuses a window it does not know, Object.prototype names included', async () => {
    for (const window of ['2h', 'valueOf', 'constructor', '__proto__']) {
      const res = await relay.admin('GET', `/v1/projects/${project.projectId}/stats?window=${window}`)
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('invalid_query')
    }
  })
})

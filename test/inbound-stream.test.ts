import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId, sign } from '@hookline/protocol'
import { startTestRelay, type TestProject, type TestRelay } from './helpers/relay.ts'
import { openStream, type StreamReader } from './helpers/stream-reader.ts'

let relay: TestRelay
let projectA: TestProject
let projectB: TestProject
const open: StreamReader[] = []

beforeAll(async () => {
  relay = await startTestRelay()
  projectA = await relay.createProject({ name: 'A' })
  projectB = await relay.createProject({ name: 'B' })
})
afterAll(async () => {
  for (const stream of open) stream.close()
  await relay.close()
})

async function createListener(projectId: string, body: Record<string, unknown>) {
  const res = await relay.admin('POST', `/v1/projects/${projectId}/listeners`, {
    name: 'orders',
    set: { orderStatus: '$.status' },
    ...body,
  })
  expect(res.status).toBe(201)
  return res.body as { listener: { id: string; url: string }; secret: string }
}

async function stream(project: TestProject, session: string): Promise<StreamReader> {
  const reader = await openStream(relay.url, await relay.streamPath(project.keys.test, session))
  expect(reader.status).toBe(200)
  open.push(reader)
  return reader
}

/** Posts a body to a listener, signed unless `headers` replaces the signature headers. */
async function inbound(
  listener: { listener: { url: string }; secret: string },
  body: unknown,
  options: { id?: string; timestamp?: number; headers?: Record<string, string>; raw?: string } = {},
) {
  const text = options.raw ?? JSON.stringify(body)
  const signed = await sign(
    listener.secret,
    options.id ?? newId('msg'),
    options.timestamp ?? Math.floor(Date.now() / 1000),
    text,
  )
  return relay.request(listener.listener.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(options.headers ?? signed) },
    body: text,
  })
}

describe('inbound webhooks to the stream', () => {
  it('pushes the mapped vars frame to the target session only', async () => {
    const listener = await createListener(projectA.projectId, { target: { session: '$.session' } })
    const target = await stream(projectA, 'ses_target1')
    const other = await stream(projectA, 'ses_other1')
    const res = await inbound(listener, { status: 'shipped', session: 'ses_target1', extra: 1 })
    expect(res.status).toBe(202)
    const [frame] = await target.waitForFrames(1)
    expect(frame!.event).toBe('vars')
    expect(Number(frame!.id)).toBe(res.body.seq)
    expect(JSON.parse(frame!.data)).toEqual({
      set: { orderStatus: 'shipped' },
      source: { kind: 'inbound', id: listener.listener.id },
    })

    // A broadcast afterwards is the first frame the other session sees: the targeted one never reached it.
    const broadcast = await createListener(projectA.projectId, { target: 'broadcast', set: { banner: '$.text' } })
    expect((await inbound(broadcast, { text: 'hello' })).status).toBe(202)
    const [first] = await other.waitForFrames(1)
    expect(JSON.parse(first!.data).set).toEqual({ banner: 'hello' })
  })

  it('broadcasts to every open session of the project and to no other project', async () => {
    const listener = await createListener(projectA.projectId, { target: 'broadcast', set: { plan: '$.data.plan' } })
    const sessions = await Promise.all(['ses_b1', 'ses_b2', 'ses_b3'].map((id) => stream(projectA, id)))
    const stranger = await stream(projectB, 'ses_b1')
    const strangerListener = await createListener(projectB.projectId, { target: 'broadcast', set: { plan: '$.plan' } })
    expect((await inbound(listener, { data: { plan: 'pro' } })).status).toBe(202)
    for (const session of sessions) {
      const [frame] = await session.waitForFrames(1)
      expect(JSON.parse(frame!.data).set).toEqual({ plan: 'pro' })
    }
    expect((await inbound(strangerListener, { plan: 'b-only' })).status).toBe(202)
    const [frame] = await stranger.waitForFrames(1)
    expect(JSON.parse(frame!.data).set).toEqual({ plan: 'b-only' })
  })

  it('refuses bad requests with a clear 4xx and pushes nothing for them', async () => {
    const listener = await createListener(projectA.projectId, { target: { session: '$.session' } })
    const reader = await stream(projectA, 'ses_refused')
    const body = { status: 'bad', session: 'ses_refused' }
    const now = Math.floor(Date.now() / 1000)

    const tampered = await inbound(listener, body, {
      headers: { ...(await sign(listener.secret, 'msg_1', now, '{"status":"x"}')) },
    })
    expect([tampered.status, tampered.body.error.code]).toEqual([401, 'signature_mismatch'])
    const otherSecret = await sign(
      'whsec_' + Buffer.alloc(32, 7).toString('base64'),
      'msg_2',
      now,
      JSON.stringify(body),
    )
    expect((await inbound(listener, body, { headers: { ...otherSecret } })).body.error.code).toBe('signature_mismatch')
    const stale = await inbound(listener, body, { timestamp: now - 301 })
    expect([stale.status, stale.body.error.code]).toEqual([401, 'timestamp_too_old'])
    expect((await inbound(listener, body, { timestamp: now + 400 })).body.error.code).toBe('timestamp_too_new')
    const missing = await inbound(listener, body, { headers: {} })
    expect([missing.status, missing.body.error.code]).toEqual([401, 'missing_headers'])
    expect(missing.body.error.message).toContain('webhook-signature')

    const unknown = await relay.request(`/v1/inbound/${newId('lst')}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'listener_not_found'])
    const big = await inbound(listener, { status: 'x'.repeat(300 * 1024), session: 'ses_refused' })
    expect([big.status, big.body.error.code]).toEqual([413, 'payload_too_large'])
    const malformed = await inbound(listener, null, { raw: '{"status": "shipped",' })
    expect([malformed.status, malformed.body.error.code]).toEqual([400, 'malformed_json'])
    const wrongType = await relay.request(listener.listener.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hi',
    })
    expect(wrongType.status).toBe(415)
    const noSession = await inbound(listener, { status: 'x' })
    expect([noSession.status, noSession.body.error.code]).toEqual([422, 'session_not_found'])
    const nothing = await inbound(listener, { session: 'ses_refused' })
    expect([nothing.status, nothing.body.error.code]).toEqual([422, 'nothing_to_set'])

    const good = await inbound(listener, { status: 'good', session: 'ses_refused' })
    expect(good.status).toBe(202)
    const [frame] = await reader.waitForFrames(1)
    expect(JSON.parse(frame!.data).set).toEqual({ orderStatus: 'good' })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(reader.frames).toHaveLength(1)
  })

  it('answers a replayed webhook-id with 200 {duplicate:true} and no second frame', async () => {
    const listener = await createListener(projectA.projectId, { target: { session: '$.session' } })
    const reader = await stream(projectA, 'ses_dedupe')
    const first = await inbound(listener, { status: 'once', session: 'ses_dedupe' }, { id: 'msg_dedupe_1' })
    expect(first.status).toBe(202)
    const again = await inbound(listener, { status: 'once', session: 'ses_dedupe' }, { id: 'msg_dedupe_1' })
    expect([again.status, again.body]).toEqual([200, { duplicate: true, id: 'msg_dedupe_1' }])
    await inbound(listener, { status: 'after', session: 'ses_dedupe' })
    const frames = await reader.waitForFrames(2)
    expect(frames.map((frame) => JSON.parse(frame.data).set.orderStatus)).toEqual(['once', 'after'])
  })

  it('takes unsigned webhooks when the listener does not verify', async () => {
    const listener = await createListener(projectA.projectId, { target: 'broadcast', verify: false })
    const reader = await stream(projectA, 'ses_unsigned')
    const res = await inbound(listener, { status: 'open' }, { headers: {} })
    expect(res.status).toBe(202)
    expect(JSON.parse((await reader.waitForFrames(1))[0]!.data).set).toEqual({ orderStatus: 'open' })
  })

  it('carries delivery, ack and response vars frames from the frame sink', async () => {
    const reader = await stream(projectA, 'ses_sink')
    const sink = relay.context.frames
    sink.delivery(projectA.projectId, 'ses_sink', {
      eventId: 'evt_1',
      webhookId: 'wh_1',
      attempt: 1,
      status: 200,
      ok: true,
      latencyMs: 12,
    })
    sink.ack(projectA.projectId, 'ses_sink', ['evt_1'])
    await sink.vars(
      projectA.projectId,
      { session: 'ses_sink' },
      { orderStatus: 'confirmed' },
      { kind: 'response', id: 'wh_1' },
      'test',
    )
    const frames = await reader.waitForFrames(3)
    expect(frames.map((frame) => [frame.event, frame.id === undefined])).toEqual([
      ['delivery', true],
      ['ack', true],
      ['vars', false],
    ])
    expect(JSON.parse(frames[0]!.data)).toEqual({
      eventId: 'evt_1',
      webhookId: 'wh_1',
      attempt: 1,
      status: 200,
      ok: true,
      latencyMs: 12,
    })
    expect(JSON.parse(frames[1]!.data)).toEqual({ ids: ['evt_1'] })
    expect(JSON.parse(frames[2]!.data)).toEqual({
      set: { orderStatus: 'confirmed' },
      source: { kind: 'response', id: 'wh_1' },
    })
  })
})

describe('monitoring', () => {
  it('counts inbound webhooks by outcome, times inbound → frame, and gauges open streams', async () => {
    const listener = await createListener(projectA.projectId, { target: 'broadcast' })
    await stream(projectA, 'ses_metrics')
    expect((await inbound(listener, { status: 'x' })).status).toBe(202)
    expect((await inbound(listener, { status: 'x' }, { headers: {} })).status).toBe(401)
    const text: string = (await relay.request('/metrics', { headers: { authorization: `Bearer ${relay.adminToken}` } }))
      .body
    expect(text).toContain(`hookline_inbound_webhooks_total{project="${projectA.projectId}",outcome="accepted"}`)
    expect(text).toContain(`hookline_inbound_webhooks_total{project="${projectA.projectId}",outcome="missing_headers"}`)
    expect(text).toMatch(/hookline_inbound_to_frame_seconds_count\{project="prj_\w+"\} [1-9]/)
    expect(text).toMatch(/hookline_stream_connections [1-9]/)
    expect(text).not.toContain(listener.secret)
  })
})

describe('GET /v1/stream', () => {
  it('answers SSE headers, takes the key as Bearer too, and refuses what it cannot serve', async () => {
    const token = await relay.sessionToken(projectA.keys.test, 'ses_headers')
    const reader = await openStream(relay.url, `/v1/stream?session=ses_headers&token=${token}`, {
      authorization: `Bearer ${projectA.keys.test}`,
      origin: 'http://127.0.0.1:5173',
    })
    open.push(reader)
    expect(reader.status).toBe(200)
    expect(reader.headers['content-type']).toBe('text/event-stream; charset=utf-8')
    expect(reader.headers['access-control-allow-origin']).toBe('http://127.0.0.1:5173')

    const noKey = await openStream(relay.url, '/v1/stream?session=ses_x')
    expect([noKey.status, noKey.error.error.code]).toEqual([401, 'missing_key'])
    const badKey = await openStream(relay.url, '/v1/stream?session=ses_x&key=pk_test_nope0000000000000000')
    expect(badKey.status).toBe(401)
    const noSession = await openStream(relay.url, `/v1/stream?key=${projectA.keys.test}`)
    expect([noSession.status, noSession.error.error.code]).toEqual([400, 'invalid_session'])
    const badId = await openStream(relay.url, await relay.streamPath(projectA.keys.test, 'ses_x'), {
      'last-event-id': 'abc',
    })
    expect([badId.status, badId.error.error.code]).toEqual([400, 'invalid_last_event_id'])
    const live = await relay.createProject({ name: 'live', allowedOrigins: ['https://app.example.com'] })
    const foreign = await openStream(relay.url, `/v1/stream?session=ses_x&key=${live.keys.live}`, {
      origin: 'https://evil.example.com',
    })
    expect([foreign.status, foreign.error.error.code]).toEqual([403, 'origin_not_allowed'])
  })
})

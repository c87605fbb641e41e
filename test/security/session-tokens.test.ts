import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId, sign } from '@hookline/protocol'
import { startEndpoint, type TestEndpoint } from '../helpers/endpoint.ts'
import { startTestRelay, testEvent, type TestProject, type TestRelay } from '../helpers/relay.ts'
import { openStream, type StreamReader } from '../helpers/stream-reader.ts'
import { storeSnapshot } from '../helpers/store-snapshot.ts'

// Issue 10's HIGH finding, as an attacker holding only the page's publishable key would try it,
// against a real relay over real sockets: read a visitor's stream, write into it by beacon, cross
// between test and live. Every attempt must fail, and the visitor must see nothing of it.

let relay: TestRelay
let target: TestEndpoint
let project: TestProject
let listener: { listener: { url: string }; secret: string }
const open: StreamReader[] = []
const logged: string[] = []
const write = process.stdout.write.bind(process.stdout)

beforeAll(async () => {
  // The relay's log lines go to stdout: keep them, to look for tokens in them.
  const capture = (chunk: string | Uint8Array, ...rest: never[]): boolean => {
    logged.push(String(chunk))
    return write(chunk, ...rest)
  }
  process.stdout.write = capture
  relay = await startTestRelay({ log: true })
  target = await startEndpoint()
  project = await relay.createProject()
  await relay.createWebhook(project.projectId, { url: target.url, response: { set: { orderStatus: '$.status' } } })
  listener = (
    await relay.admin('POST', `/v1/projects/${project.projectId}/listeners`, {
      name: 'orders',
      set: { orderStatus: '$.status' },
      target: { session: '$.session' },
    })
  ).body
})
afterAll(async () => {
  process.stdout.write = write
  for (const stream of open) stream.close()
  await relay.close()
  await target.close()
})

async function stream(path: string): Promise<StreamReader> {
  const reader = await openStream(relay.url, path)
  open.push(reader)
  return reader
}

async function inbound(body: unknown): Promise<void> {
  const text = JSON.stringify(body)
  const headers = await sign(listener.secret, newId('msg'), Math.floor(Date.now() / 1000), text)
  const res = await relay.request(listener.listener.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: text,
  })
  expect(res.status).toBe(202)
}

const beacon = (key: string, body: unknown) =>
  relay.request(`/v1/events?key=${key}`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8', origin: 'https://evil.example' },
    body: JSON.stringify(body),
  })

describe('a session is only for whoever claimed it', () => {
  it("the key alone does not open a visitor's stream, with or without a replay", async () => {
    const victim = 'ses_victim000000001'
    const own = await stream(await relay.streamPath(project.keys.test, victim))
    expect(own.status).toBe(200)
    await inbound({ status: 'shipped', session: victim })
    await own.waitForFrames(1)

    const base = `/v1/stream?session=${victim}&key=${project.keys.test}&lastEventId=0`
    const noToken = await stream(base)
    expect([noToken.status, noToken.error.error.code]).toEqual([401, 'missing_token'])
    const guessed = await stream(`${base}&token=hlst_${'A'.repeat(43)}`)
    expect([guessed.status, guessed.error.error.code]).toEqual([401, 'invalid_token'])
    // Another session's valid token does not open this one.
    const mine = await relay.sessionToken(project.keys.test, 'ses_attacker0000001')
    const borrowed = await stream(`${base}&token=${mine}`)
    expect([borrowed.status, borrowed.error.error.code]).toEqual([401, 'invalid_token'])
    // An unclaimed (say, a team-chosen, guessable) id is no way in either.
    const unclaimed = await stream(`/v1/stream?session=ses_user123&key=${project.keys.test}&token=${mine}`)
    expect(unclaimed.status).toBe(401)
  })

  it("a beacon from any origin cannot write into a visitor's session", async () => {
    const victim = 'ses_victim000000002'
    const own = await stream(await relay.streamPath(project.keys.test, victim))
    const event = testEvent({ sessionId: victim })
    const forged = await beacon(project.keys.test, { sentAt: new Date().toISOString(), events: [event] })
    expect(forged.status).toBe(202)
    expect(forged.body.accepted).toEqual([])
    expect(forged.body.rejected).toMatchObject([{ id: event.id, error: { code: 'session_token_required' } }])
    const wrong = await beacon(project.keys.test, {
      sentAt: new Date().toISOString(),
      sessionTokens: { [victim]: await relay.sessionToken(project.keys.test, 'ses_attacker0000001') },
      events: [event],
    })
    expect(wrong.body.rejected[0].error.code).toBe('session_token_required')
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(own.frames).toEqual([]) // no ack, no delivery, no vars
    expect(target.requests.filter((request) => request.body.includes(event.id))).toEqual([])
    const rows = new SQLite(join(relay.dataDir, 'hookline.db'), { readonly: true })
    try {
      expect(rows.prepare('SELECT count(*) AS n FROM events WHERE id = ?').get(event.id)).toEqual({ n: 0 })
    } finally {
      rows.close()
    }
  })

  it('an event with a valid token is accepted, and only its own events; the rest of the batch is refused alone', async () => {
    const mine = testEvent({ sessionId: 'ses_honest000000001' })
    const theirs = testEvent({ sessionId: 'ses_victim000000001' })
    const token = await relay.sessionToken(project.keys.test, 'ses_honest000000001')
    const res = await relay.request('/v1/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${project.keys.test}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        sentAt: new Date().toISOString(),
        sessionTokens: { ses_honest000000001: token },
        events: [mine, theirs],
      }),
    })
    expect(res.body.accepted).toEqual([mine.id])
    expect(res.body.rejected).toMatchObject([{ id: theirs.id, error: { code: 'session_token_required' } }])
  })
})

describe('test and live never mix', () => {
  it('a session belongs to the environment that claimed it', async () => {
    const testSession = await relay.claimSession(project.keys.test)
    expect(testSession.status).toBe(201)
    const { id, token } = testSession.body
    // The live key can neither take the id nor use its token.
    expect((await relay.claimSession(project.keys.live, id)).status).toBe(409)
    const live = await stream(`/v1/stream?session=${id}&key=${project.keys.live}&token=${token}`)
    expect([live.status, live.error.error.code]).toEqual([403, 'environment_mismatch'])
    const event = testEvent({ sessionId: id })
    const res = await relay.request('/v1/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${project.keys.live}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sentAt: new Date().toISOString(), sessionTokens: { [id]: token }, events: [event] }),
    })
    expect(res.body.rejected).toMatchObject([{ id: event.id, error: { code: 'session_token_required' } }])
  })
})

describe('tokens stay secret', () => {
  it('never in the log, the metrics or the delivery log', async () => {
    const claimed = await relay.claimSession(project.keys.test)
    const { id, token } = claimed.body
    const reader = await stream(`/v1/stream?session=${id}&key=${project.keys.test}&token=${token}`)
    expect(reader.status).toBe(200)
    const event = testEvent({ sessionId: id })
    const res = await relay.request('/v1/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${project.keys.test}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sentAt: new Date().toISOString(), sessionTokens: { [id]: token }, events: [event] }),
    })
    expect(res.body.accepted).toEqual([event.id])
    await reader.waitForFrames(1, 10_000) // the delivery frame: the webhook was sent
    // Errors that echo input must not echo the token either.
    await stream(`/v1/stream?session=${id}&key=${project.keys.test}&token=${token}x`)
    const secret = token.slice(5)
    const { webhooks } = (await relay.admin('GET', `/v1/projects/${project.projectId}/webhooks`)).body
    const deliveries = await relay.admin(
      'GET',
      `/v1/projects/${project.projectId}/webhooks/${webhooks[0].id}/deliveries`,
    )
    const details = await Promise.all(
      deliveries.body.deliveries.map((d: { id: string }) =>
        relay.admin('GET', `/v1/projects/${project.projectId}/webhooks/${webhooks[0].id}/deliveries/${d.id}`),
      ),
    )
    expect(JSON.stringify(details.map((d) => d.body))).not.toContain(secret)
    expect(target.requests.map((request) => request.body + JSON.stringify(request.headers)).join('')).not.toContain(
      secret,
    )
    const metrics = await relay.request('/metrics', { headers: { authorization: `Bearer ${relay.adminToken}` } })
    expect(metrics.status).toBe(200)
    expect(metrics.body).not.toContain(secret)
    expect(logged.join('')).not.toContain(secret)
    expect(logged.length).toBeGreaterThan(0)
  })
})

describe('fuzzed claims and tokens', () => {
  it('never a 5xx, and nothing stored changes', async () => {
    const session = 'ses_fuzzed000000001'
    const token = await relay.sessionToken(project.keys.test, session)
    await new Promise((resolve) => setTimeout(resolve, 500))
    const before = storeSnapshot(relay.dataDir)
    const text = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.constant(token.slice(0, -1)),
      fc.constant(token + 'x'),
      fc
        .string({ unit: fc.constantFrom(...'ABCabc019_-'.split('')), minLength: 43, maxLength: 43 })
        .map((s) => `hlst_${s}`),
    )
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('claim', 'stream', 'events'),
        fc.oneof(fc.jsonValue(), text, fc.constant({ id: session }), fc.constant([])),
        text,
        async (route, body, guess) => {
          let status: number
          if (route === 'claim') {
            // A claim that succeeds would change the store: only ids already taken, or invalid bodies.
            const claim =
              typeof body === 'object' && body !== null && !Array.isArray(body)
                ? { ...(body as Record<string, unknown>), id: session }
                : body
            const res = await relay.request('/v1/sessions', {
              method: 'POST',
              headers: { authorization: `Bearer ${project.keys.test}`, 'content-type': 'application/json' },
              body: typeof claim === 'string' ? claim : JSON.stringify(claim),
            })
            status = res.status
          } else if (route === 'stream') {
            const reader = await stream(
              `/v1/stream?session=${session}&key=${project.keys.test}&token=${encodeURIComponent(guess)}`,
            )
            status = reader.status
            reader.close()
          } else {
            const res = await relay.request('/v1/events', {
              method: 'POST',
              headers: { authorization: `Bearer ${project.keys.test}`, 'content-type': 'application/json' },
              body: JSON.stringify({
                sentAt: new Date().toISOString(),
                sessionTokens: typeof body === 'object' && body !== null ? body : { [session]: guess },
                events: [testEvent({ sessionId: session })],
              }),
            })
            status = res.status
            if (status === 202) expect(res.body.accepted).toEqual([])
          }
          expect(status, 'a 5xx for bad input').toBeLessThan(500)
          expect(status, 'the guess opened the stream').not.toBe(200)
        },
      ),
      { numRuns: 120 },
    )
    expect(storeSnapshot(relay.dataDir)).toBe(before)
  })
})

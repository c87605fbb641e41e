import { afterEach, describe, expect, it, vi } from 'vitest'
import type { SessionTokenSource } from '../session/tokens.ts'
import { readConfig } from '../live/config.ts'
import { batchBody, createTransport, parseRetryAfter } from './transport.ts'

/** No session tokens: the batch carries an empty `sessionTokens`. */
const noTokens: SessionTokenSource = { known: () => ({}), ensure: () => Promise.resolve({}) }

const records = [
  { id: 'evt_1', json: '{"id":"evt_1","name":"a"}' },
  { id: 'evt_2', json: '{"id":"evt_2","name":"b"}' },
]

/** Answers every `fetch` with `answer`, recording the requests. */
function fakeFetch(answer: Response | Error) {
  const calls: Array<{ url: string; init: RequestInit }> = []
  vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
    calls.push({ url, init })
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer)
  })
  return { calls }
}
afterEach(() => vi.unstubAllGlobals())

describe('transport', () => {
  it('posts the batch as JSON with the key as a bearer token and reads the ingest answer', async () => {
    const { calls } = fakeFetch(
      Response.json({ accepted: ['evt_1'], duplicates: ['evt_2'], rejected: [] }, { status: 202 }),
    )
    const result = await createTransport('http://relay.test', 'pk_test_abc', noTokens).send(records)
    expect(result).toEqual({ ok: true, acked: ['evt_1', 'evt_2'], rejected: [] })
    expect(calls[0]!.url).toBe('http://relay.test/v1/events')
    expect(calls[0]!.init.method).toBe('POST')
    expect((calls[0]!.init.headers as Record<string, string>).authorization).toBe('Bearer pk_test_abc')
    const body = JSON.parse(calls[0]!.init.body as string)
    expect(body.events).toEqual([
      { id: 'evt_1', name: 'a' },
      { id: 'evt_2', name: 'b' },
    ])
    expect(Date.parse(body.sentAt)).not.toBeNaN()
  })

  it('reports a 429 with its Retry-After and the relay error message', async () => {
    fakeFetch(
      Response.json(
        { error: { code: 'rate_limited', message: 'Slow down.' } },
        { status: 429, headers: { 'retry-after': '3' } },
      ),
    )
    expect(await createTransport('http://relay.test', 'pk_test_abc', noTokens).send(records)).toEqual({
      ok: false,
      status: 429,
      retryAfterMs: 3000,
      reason: 'relay answered 429: Slow down.',
    })
  })

  it('reports a network failure as status 0', async () => {
    fakeFetch(new TypeError('Failed to fetch'))
    const result = await createTransport('http://relay.test', 'pk_test_abc', noTokens).send(records)
    expect(result).toMatchObject({ ok: false, status: 0 })
  })

  it('builds the stream URL with session, key and the last event id, each encoded', () => {
    const transport = createTransport('http://relay.test', 'pk_test_a&b', noTokens)
    const query = (url: string) => Object.fromEntries(new URL(url).searchParams)
    const first = transport.streamUrl('ses_1', null, 'hlst_t+/=')
    expect(first.startsWith('http://relay.test/v1/stream?')).toBe(true)
    expect(query(first)).toEqual({ session: 'ses_1', key: 'pk_test_a&b', token: 'hlst_t+/=' })
    expect(query(transport.streamUrl('ses_1', '42', 'hlst_t'))).toEqual({
      session: 'ses_1',
      key: 'pk_test_a&b',
      token: 'hlst_t',
      lastEventId: '42',
    })
  })

  it("sends the token of each of the batch's sessions, claimed first when it has none", async () => {
    const { calls } = fakeFetch(Response.json({ accepted: [], duplicates: [], rejected: [] }, { status: 202 }))
    const asked: string[][] = []
    const tokens = {
      known: () => ({}),
      ensure: (ids: readonly string[]) => {
        asked.push([...ids])
        return Promise.resolve(Object.fromEntries(ids.map((id) => [id, `hlst_${id}`])))
      },
    }
    const batch = [
      { id: 'evt_1', json: '{"id":"evt_1","name":"a","ts":"","sessionId":"ses_a1","props":{"sessionId":"ses_no"}}' },
      { id: 'evt_2', json: '{"id":"evt_2","name":"b","ts":"","sessionId":"ses_b2"}' },
    ]
    await createTransport('http://relay.test', 'pk_test_abc', tokens).send(batch)
    expect(asked).toEqual([['ses_a1', 'ses_b2']])
    expect(JSON.parse(calls[0]!.init.body as string).sessionTokens).toEqual({
      ses_a1: 'hlst_ses_a1',
      ses_b2: 'hlst_ses_b2',
    })
  })
})

describe('batchBody', () => {
  it('is valid JSON made of the serialized events', () => {
    expect(JSON.parse(batchBody(records)).events.map((e: { id: string }) => e.id)).toEqual(['evt_1', 'evt_2'])
  })
})

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and ignores anything else', () => {
    expect(parseRetryAfter('2')).toBe(2000)
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000)
    expect(parseRetryAfter('soon')).toBeUndefined()
    expect(parseRetryAfter(null)).toBeUndefined()
  })
})

describe('transport.config and readConfig', () => {
  it('reads the project config the relay answers', async () => {
    const config = { events: [], variables: { plan: 'free' } }
    const { calls } = fakeFetch(Response.json(config))
    const answer = createTransport('http://relay.test', 'pk_test_abc', noTokens).config()
    expect(await readConfig(answer, 'http://relay.test/v1/config')).toEqual(config)
    expect(calls[0]).toMatchObject({ url: 'http://relay.test/v1/config', init: { method: 'GET' } })
  })

  it('throws a HooklineRelayError naming the URL when the config cannot be read', async () => {
    fakeFetch(new Response('nope', { status: 401 }))
    const answer = createTransport('http://relay.test', 'pk_test_abc', noTokens).config()
    await expect(readConfig(answer, 'http://relay.test/v1/config')).rejects.toMatchObject({
      name: 'HooklineRelayError',
      status: 401,
      message: 'GET http://relay.test/v1/config answered 401: nope',
    })
  })

  it('says the relay could not be reached with status 0', async () => {
    fakeFetch(new TypeError('Failed to fetch'))
    const answer = createTransport('http://relay.test', 'pk_test_abc', noTokens).config()
    await expect(readConfig(answer, 'http://relay.test/v1/config')).rejects.toMatchObject({
      status: 0,
      message: 'GET http://relay.test/v1/config failed: Failed to fetch',
    })
  })
})

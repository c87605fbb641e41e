import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId, sign } from '@hookline/protocol'
import { requestFrom } from '../helpers/from-address.ts'
import { startTestRelay, type TestRelay } from '../helpers/relay.ts'
import { storeSnapshot } from '../helpers/store-snapshot.ts'

// Issue 10: inbound webhooks and every public route have a rate limit. Inbound keeps two buckets,
// per listener (from everyone) and per client address (to every listener), taken before the body is
// read: a refused webhook is a 429 with Retry-After and has no effect. Buckets of 3 that refill at
// one token per 100 s, so nothing comes back during the test.

let relay: TestRelay
let projectId: string
const listeners: { id: string; secret: string }[] = []

beforeAll(async () => {
  relay = await startTestRelay({
    inboundRateLimit: { perSecond: 0.01, burst: 3 },
    publicRateLimit: { perSecond: 0.01, burst: 3 },
  })
  projectId = (await relay.createProject()).projectId
  for (const name of ['a', 'b', 'c']) {
    const { body } = await relay.admin('POST', `/v1/projects/${projectId}/listeners`, {
      name,
      set: { status: '$.status' },
    })
    listeners.push({ id: body.listener.id, secret: body.secret })
  }
})
afterAll(async () => {
  await relay.close()
})

async function inbound(listener: { id: string; secret: string }, address: string, body: unknown = { status: 'ok' }) {
  const text = JSON.stringify(body)
  const headers = await sign(listener.secret, newId('msg'), Math.floor(Date.now() / 1000), text)
  return requestFrom(relay.url, `/v1/inbound/${listener.id}`, address, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: text,
  })
}

describe('inbound webhooks are rate limited per address and per listener', () => {
  it('refuses an address its fourth webhook with 429 and Retry-After, and stores nothing of it', async () => {
    const [a] = listeners
    const accepted = [await inbound(a!, '127.0.0.41'), await inbound(a!, '127.0.0.41'), await inbound(a!, '127.0.0.41')]
    expect(accepted.map((res) => res.status)).toEqual([202, 202, 202])
    const before = storeSnapshot(relay.dataDir)
    const refused = await inbound(listeners[1]!, '127.0.0.41')
    expect(refused.status).toBe(429)
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1)
    expect(refused.body).toMatchObject({ error: { code: 'rate_limited', details: { limit: 'inbound' } } })
    expect(refused.body.error.message).toMatch(/from this address/)
    expect(storeSnapshot(relay.dataDir)).toBe(before)
  })

  it('refuses a listener that had its burst, from a fresh address, and leaves the other listeners alone', async () => {
    const refused = await inbound(listeners[0]!, '127.0.0.42')
    expect(refused.status).toBe(429)
    expect(refused.body.error.message).toMatch(/for this listener/)
    expect((await inbound(listeners[2]!, '127.0.0.42')).status).toBe(202)
  })

  it('counts refusals of any kind: bad signatures and unknown listeners use up the address too', async () => {
    const address = '127.0.0.43'
    const forged = await requestFrom(relay.url, `/v1/inbound/${listeners[2]!.id}`, address, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    expect(forged.status).toBe(401)
    const unknown = await requestFrom(relay.url, `/v1/inbound/lst_nosuchlistener0000`, address, { method: 'POST' })
    expect(unknown.status).toBe(404)
    expect((await inbound(listeners[2]!, address)).status).toBe(202)
    expect((await inbound(listeners[2]!, address)).status).toBe(429)
  })

  it('answers any flood of made-up requests with a 4xx, never a 5xx, and changes nothing', async () => {
    const before = storeSnapshot(relay.dataDir)
    let n = 0
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom(...listeners.map((l) => l.id)), fc.string({ maxLength: 40 })),
        fc.dictionary(
          fc.constantFrom('webhook-id', 'webhook-timestamp', 'webhook-signature', 'content-type'),
          fc.string({ unit: fc.constantFrom(...'abc019 ,=v1'.split('')), maxLength: 60 }),
        ),
        fc.string({ maxLength: 200 }),
        async (listener, headers, body) => {
          // Addresses already past their bucket, and fresh ones, where the signature is what refuses.
          const address = `127.0.1.${n++ % 50}`
          const res = await requestFrom(relay.url, `/v1/inbound/${encodeURIComponent(listener)}`, address, {
            method: 'POST',
            headers,
            body,
          })
          expect(res.status).toBeGreaterThanOrEqual(400)
          expect(res.status).toBeLessThan(500)
        },
      ),
      { numRuns: 200 },
    )
    expect(storeSnapshot(relay.dataDir)).toBe(before)
  })
})

describe('the public API description is rate limited per address', () => {
  it('answers the fourth request from one address 429 with Retry-After, and another address 200', async () => {
    const statuses = []
    for (let i = 0; i < 4; i++) statuses.push((await requestFrom(relay.url, '/v1/openapi.json', '127.0.0.51')).status)
    expect(statuses).toEqual([200, 200, 200, 429])
    const refused = await requestFrom(relay.url, '/v1/openapi.json', '127.0.0.51')
    expect(refused.headers['retry-after']).toBeDefined()
    expect(refused.body).toMatchObject({ error: { code: 'rate_limited' } })
    expect((await requestFrom(relay.url, '/v1/openapi.json', '127.0.0.52')).status).toBe(200)
  })
})

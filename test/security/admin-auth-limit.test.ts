import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requestFrom, type AddressedAnswer } from '../helpers/from-address.ts'
import { startTestRelay, type TestRelay } from '../helpers/relay.ts'
import { storeSnapshot } from '../helpers/store-snapshot.ts'

// Issue 10: admin-token guesses were not rate limited. Wrong admin (or metrics) tokens are counted
// per client address: once an address has had its burst, it is answered 429
// `too_many_auth_failures` with Retry-After before its token is looked at (a right one too, or a
// 200 among the 429s would tell a guesser which guess was right), while every other address, the
// operator's, keeps working. Buckets of 5 that refill at one token per 100 s: nothing comes back
// during a test unless it says so.

const BURST = 5
let relay: TestRelay
let token: string
beforeAll(async () => {
  relay = await startTestRelay({ authFailureLimit: { perSecond: 0.01, burst: BURST } })
  token = relay.adminToken
})
afterAll(() => relay.close())

const from = (address: string, authorization: string | undefined, path = '/v1/projects', method = 'GET') =>
  requestFrom(relay.url, path, address, {
    method,
    headers: authorization === undefined ? {} : { authorization, 'content-type': 'application/json' },
    body: method === 'POST' ? JSON.stringify({ name: 'guessed' }) : undefined,
  })

const expectLocked = (answer: AddressedAnswer) => {
  expect(answer.status).toBe(429)
  expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1)
  expect(answer.body).toMatchObject({
    error: { code: 'too_many_auth_failures', details: { limit: 'auth_failures' } },
  })
  expect(answer.body.error.message).toMatch(/Too many wrong tokens from this address/)
  expect(answer.body.error.details.retryAfterSeconds).toBe(Number(answer.headers['retry-after']))
}

describe('wrong admin tokens are limited per client address', () => {
  it(`answers ${BURST} wrong tokens 401, then 429 with Retry-After, the right token too, changing nothing`, async () => {
    const guesser = '127.0.0.51'
    for (let i = 0; i < BURST; i++) {
      const wrong = await from(guesser, `Bearer wrong-token-${i}-0123456789`)
      expect(wrong.status).toBe(401)
      expect(wrong.body.error.code).toBe('unauthorized')
    }
    expectLocked(await from(guesser, 'Bearer wrong-token-again-0123456789'))
    const before = storeSnapshot(relay.dataDir)
    expectLocked(await from(guesser, `Bearer ${token}`, '/v1/projects', 'POST'))
    expectLocked(await from(guesser, `Bearer ${token}`, '/metrics'))
    expect(storeSnapshot(relay.dataDir)).toBe(before)
  })

  it("leaves the right token working from every other address, whatever the guesser's failures", async () => {
    expect((await relay.admin('GET', '/v1/projects')).status).toBe(200)
    const operator = '127.0.0.52'
    expect((await from(operator, `Bearer ${token}`)).status).toBe(200)
    const created = await from(operator, `Bearer ${token}`, '/v1/projects', 'POST')
    expect(created.status).toBe(201)
    expect((await from(operator, `Bearer ${token}`, '/metrics')).status).toBe(200)
    // Still locked: the operator's successes did not refill the guesser.
    expectLocked(await from('127.0.0.51', `Bearer ${token}`))
  })

  it('counts wrong tokens at /metrics against the same address, and a missing token not at all', async () => {
    const scraper = '127.0.0.53'
    for (let i = 0; i < BURST * 3; i++) expect((await from(scraper, undefined)).status).toBe(401)
    for (let i = 0; i < BURST * 3; i++) expect((await from(scraper, `Basic ${token}`, '/metrics')).status).toBe(401)
    expect((await from(scraper, `Bearer ${token}`)).status).toBe(200)
    for (let i = 0; i < BURST; i++) expect((await from(scraper, `Bearer wrong-${i}`, '/metrics')).status).toBe(401)
    expectLocked(await from(scraper, `Bearer ${token}`, '/v1/projects'))
  })

  it('lets an address back in once its bucket has refilled (Retry-After is honest)', async () => {
    const quick = await startTestRelay({ authFailureLimit: { perSecond: 1, burst: 2 } })
    try {
      const ask = (authorization: string) =>
        requestFrom(quick.url, '/v1/projects', '127.0.0.54', { headers: { authorization } })
      expect((await ask('Bearer wrong-one')).status).toBe(401)
      expect((await ask('Bearer wrong-two')).status).toBe(401)
      const locked = await ask(`Bearer ${quick.adminToken}`)
      expect(locked.status).toBe(429)
      const wait = Number(locked.headers['retry-after'])
      expect(wait).toBe(1)
      await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 100))
      expect((await ask(`Bearer ${quick.adminToken}`)).status).toBe(200)
    } finally {
      await quick.close()
    }
  })

  it('under a fast-check flood of made-up tokens from many addresses: never a 5xx or a 200, each address refused after its burst, the operator never', async () => {
    let next = 0
    // A fresh address for each attacker of each run (127.0.1.0 on): buckets do not refill here.
    const address = () => `127.0.${1 + Math.floor(next / 250)}.${1 + (next++ % 250)}`
    const header = fc.oneof(
      fc.stringMatching(/^[\x21-\x7e]{1,80}$/).map((guess) => `Bearer ${guess}`),
      fc.stringMatching(/^[\x21-\x7e]{1,80}$/).map((guess) => `bearer  ${guess} `),
      fc.stringMatching(/^[\x21-\x7e]{1,40}$/),
      fc.constant(undefined),
      fc.constant(`Bearer ${'x'.repeat(4096)}`),
    )
    const target = fc.constantFrom(
      ['/v1/projects', 'GET'],
      ['/v1/projects', 'POST'],
      ['/v1/projects/prj_nope/events', 'GET'],
      ['/metrics', 'GET'],
    )
    const before = storeSnapshot(relay.dataDir)
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(2), header, target), { minLength: 1, maxLength: 14 }),
        async (requests) => {
          const attackers = [address(), address(), address()]
          const failures = [0, 0, 0]
          for (const [who, authorization, [path, method]] of requests) {
            const answer = await from(attackers[who]!, authorization, path, method)
            expect(answer.status).toBeLessThan(500)
            if (failures[who]! >= BURST) {
              expectLocked(answer)
              continue
            }
            expect(answer.status).toBe(401)
            // Only a token counts: no header, or another scheme, guesses nothing.
            if (authorization !== undefined && /^Bearer\s+\S+\s*$/i.test(authorization)) failures[who]!++
          }
          expect((await from('127.0.0.2', `Bearer ${token}`)).status).toBe(200)
        },
      ),
      { numRuns: 25 },
    )
    expect(storeSnapshot(relay.dataDir)).toBe(before)
  }, 120_000)
})

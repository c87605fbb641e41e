import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createTestRelay, type InProcessRelay } from '../../../testing.ts'
import type { RelayEnv } from '../../env.ts'
import { onError } from '../../errors.ts'
import { RateLimiter, rateLimit } from '../rate-limit/index.ts'
import { browserAccess } from './index.ts'

// The middleware alone, on a real key store: a route that answers the project of the key.
let relay: InProcessRelay
let app: Hono<RelayEnv>
let open: { test: string; live: string }
let listed: { test: string; live: string }
const PAGE = 'https://app.example.com'

beforeAll(async () => {
  relay = await createTestRelay()
  open = (await relay.createProject({ name: 'open' })).keys
  listed = (await relay.createProject({ name: 'listed', allowedOrigins: [PAGE] })).keys
  app = new Hono<RelayEnv>()
  app.onError(onError(relay.context.log))
  app.use('/v1/*', browserAccess(relay.context.keys))
  app.post('/v1/thing', (c) => c.json({ projectId: c.var.key.projectId }))
  app.post('/v1/limited', rateLimit(new RateLimiter(1, 1, () => 0)), (c) => c.json({ ok: true }))
})
afterAll(() => relay.close())

const post = (key: string | undefined, origin?: string, query = '', path = '/v1/thing') =>
  app.request(`${path}${query}`, {
    method: 'POST',
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(origin ? { origin } : {}) },
  })
const preflight = (origin: string, query = '') =>
  app.request(`/v1/thing${query}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
  })
const code = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code

describe('browserAccess', () => {
  test('needs a publishable key, by header or ?key=', async () => {
    expect(await code(await post(undefined))).toBe('missing_key')
    expect(await code(await post('pk_test_notarealkeynotarealkey'))).toBe('invalid_key')
    expect((await post(undefined, undefined, `?key=${open.test}`)).status).toBe(200)
  })

  test('a test key of a project without allowedOrigins works from any page', async () => {
    const res = await post(open.test, 'https://anywhere.example')
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe('https://anywhere.example')
    expect(res.headers.get('access-control-expose-headers')).toBe('retry-after')
    expect(res.headers.get('vary')).toContain('Origin')
  })

  test('a live key needs the page in allowedOrigins, even while the list is empty', async () => {
    const res = await post(open.live, PAGE)
    expect(res.status).toBe(403)
    expect(await code(res)).toBe('origin_not_allowed')
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
  })

  test('with allowedOrigins, only those pages get in, with either key', async () => {
    expect((await post(listed.live, PAGE)).status).toBe(200)
    expect((await post(listed.test, 'https://other.example')).status).toBe(403)
  })

  test('a request without Origin (not from a page) gets no CORS answer', async () => {
    const res = await post(listed.live)
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
  })

  test('a preflight without a key is answered for the page; the real request is checked in full', async () => {
    const res = await preflight('https://other.example')
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('https://other.example')
    expect(res.headers.get('access-control-allow-methods')).toContain('POST')
    expect(res.headers.get('access-control-allow-headers')).toBe('authorization')
    expect(res.headers.get('access-control-max-age')).toBe('600')
  })

  test('a preflight with ?key= is refused for a page the project does not allow', async () => {
    expect(
      (await preflight('https://other.example', `?key=${listed.test}`)).headers.get('access-control-allow-origin'),
    ).toBeNull()
    expect((await preflight(PAGE, `?key=${listed.test}`)).headers.get('access-control-allow-origin')).toBe(PAGE)
  })

  test('a 429 still carries the CORS headers, so the page can read Retry-After', async () => {
    const page = 'https://limited.example'
    await post(open.test, page, '', '/v1/limited')
    const res = await post(open.test, page, '', '/v1/limited')
    expect(res.status).toBe(429)
    expect(res.headers.get('access-control-allow-origin')).toBe(page)
    expect(res.headers.get('retry-after')).toBe('1')
  })
})

import { Hono } from 'hono'
import { describe, expect, test } from 'vitest'
import { digestToken } from '../../../admin-token.ts'
import { createLogger } from '../../../observability/log.ts'
import { onError } from '../../errors.ts'
import type { RelayEnv } from '../../env.ts'
import { RateLimiter } from '../rate-limit/index.ts'
import { AuthFailures } from './failures.ts'
import { adminAuth } from './index.ts'

const TOKEN = 'admin-token-0123456789abcdef'
const OTHER = 'hl_admin_made-for-this-process'
const app = new Hono<RelayEnv>()
app.onError(onError(createLogger(false)))
// Only the digests: the relay keeps no admin token in the clear. (The limit on wrong tokens is
// tested with real addresses in test/security/admin-auth-limit.test.ts.)
const failures = new AuthFailures(new RateLimiter(10_000, 10_000))
app.use('/admin/*', adminAuth([digestToken(TOKEN), digestToken(OTHER)], failures))
app.get('/admin/ping', (c) => c.json({ ok: true }))

const get = (authorization?: string) =>
  app.request('/admin/ping', authorization === undefined ? {} : { headers: { authorization } })

describe('adminAuth', () => {
  test('lets the admin token through, whatever the case of "Bearer"', async () => {
    expect((await get(`Bearer ${TOKEN}`)).status).toBe(200)
    expect((await get(`bearer ${TOKEN}`)).status).toBe(200)
    expect((await get(`Bearer ${OTHER}`)).status).toBe(200)
  })

  test.each([
    ['no header', undefined, 'Send the admin token'],
    ['another scheme', `Basic ${TOKEN}`, 'Send the admin token'],
    ['a wrong token', 'Bearer nope-nope-nope-nope', 'The admin token is wrong'],
    ['the token with something after it', `Bearer ${TOKEN}x`, 'The admin token is wrong'],
    ['a prefix of the token', `Bearer ${TOKEN.slice(0, -1)}`, 'The admin token is wrong'],
    ["the token's digest itself", `Bearer ${digestToken(TOKEN)}`, 'The admin token is wrong'],
  ])('refuses %s with a JSON 401', async (_what, authorization, message) => {
    const res = await get(authorization)
    expect(res.status).toBe(401)
    const body = (await res.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('unauthorized')
    expect(body.error.message).toContain(message)
  })
})

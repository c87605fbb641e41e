import { Hono } from 'hono'
import { describe, expect, test } from 'vitest'
import { createLogger } from '../../../observability/log.ts'
import type { RelayEnv } from '../../env.ts'
import { onError } from '../../errors.ts'
import { rateLimit, RateLimiter } from './index.ts'

describe('RateLimiter', () => {
  test('grants a burst, then refills at the rate', () => {
    let now = 0
    const limiter = new RateLimiter(2, 3, () => now)
    expect([1, 2, 3].map(() => limiter.take('k'))).toEqual([0, 0, 0])
    expect(limiter.take('k')).toBe(500)
    now = 500
    expect(limiter.take('k')).toBe(0)
    expect(limiter.take('k')).toBe(500)
  })

  test('keeps a bucket per key', () => {
    const limiter = new RateLimiter(1, 1, () => 0)
    expect(limiter.take('a')).toBe(0)
    expect(limiter.take('a')).toBeGreaterThan(0)
    expect(limiter.take('b')).toBe(0)
  })
})

describe('rateLimit', () => {
  const app = new Hono<RelayEnv>()
  app.onError(onError(createLogger(false)))
  app.use('/limited', async (c, next) => {
    c.set('key', { projectId: 'prj_x', environment: 'test', hash: c.req.header('x-key') ?? 'h' })
    await next()
  })
  app.post('/limited', rateLimit(new RateLimiter(0.5, 2, () => 0)), (c) => c.json({ ok: true }))
  const post = (key: string) => app.request('/limited', { method: 'POST', headers: { 'x-key': key } })

  test('answers 429 with Retry-After in whole seconds once the bucket is empty', async () => {
    expect((await post('one')).status).toBe(200)
    expect((await post('one')).status).toBe(200)
    const res = await post('one')
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('2')
    expect(await res.json()).toMatchObject({ error: { code: 'rate_limited', details: { retryAfterSeconds: 2 } } })
    expect((await post('another')).status).toBe(200)
  })
})

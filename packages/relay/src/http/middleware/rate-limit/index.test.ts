import { Hono } from 'hono'
import { describe, expect, test } from 'vitest'
import { LIMITS } from '@hookline/protocol'
import { resolveConfig } from '../../../config.ts'
import { createLogger } from '../../../observability/log.ts'
import type { RelayEnv } from '../../env.ts'
import { onError } from '../../errors.ts'
import { limitEvents, rateLimit, RateLimiter } from './index.ts'

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

describe('RateLimiter costs', () => {
  test('takes several tokens at once, all or none, and never refuses a cost above the burst for ever', () => {
    let now = 0
    const limiter = new RateLimiter(100, 300, () => now)
    expect(limiter.take('k', 250)).toBe(0)
    expect(limiter.take('k', 100)).toBe(500) // 50 left, 50 more come in 0.5 s
    expect(limiter.take('k', 50)).toBe(0) // the refused take took nothing
    expect(limiter.take('k', 1000)).toBe(3000) // asks for a full bucket
    now = 3000
    expect(limiter.take('k', 1000)).toBe(0)
  })
})

describe('the default buckets', () => {
  const { rateLimit: requests, eventRateLimit: events } = resolveConfig({ adminToken: 'x'.repeat(16) }, {})

  test('let a returning browser drain 10,000 events in SDK batches within 1 s, and refuse a flood after it', () => {
    let now = 0
    const byRequest = new RateLimiter(requests.perSecond, requests.burst, () => now)
    const byEvent = new RateLimiter(events.perSecond, events.burst, () => now)
    const send = (count: number) => Math.max(byRequest.take('key|addr'), byEvent.take('key|addr', count))
    // 100 batches of the SDK's 100 events, spread over one second: none has to wait.
    const drain = Array.from({ length: 10_000 / LIMITS.sdkBatchEvents }, (_, i) => {
      now = i * 10
      return send(LIMITS.sdkBatchEvents)
    })
    expect(drain.every((wait) => wait === 0)).toBe(true)
    // Then a flood of the largest batches, in the same second: refused within the event burst.
    let flooded = 0
    while (send(LIMITS.batchEvents) === 0) flooded += LIMITS.batchEvents
    expect(flooded).toBeLessThanOrEqual(events.burst - 10_000 + events.perSecond)
    // What one address keeps for ever: the sustained rate, not the 25,000 events/s of 50 requests of 500.
    expect(events.perSecond).toBeLessThan(requests.perSecond * LIMITS.batchEvents)
  })
})

describe('limitEvents', () => {
  const app = new Hono<RelayEnv>()
  app.onError(onError(createLogger(false)))
  const events = new RateLimiter(10, 100, () => 0)
  app.post('/batch', async (c) => {
    c.set('key', { projectId: 'prj_x', environment: 'test', hash: 'h' })
    limitEvents(c, events, Number(await c.req.text()))
    return c.json({ ok: true })
  })
  const post = (count: number) => app.request('/batch', { method: 'POST', body: String(count) })

  test('counts the events of each batch, and answers 429 with Retry-After once they run out', async () => {
    expect((await post(60)).status).toBe(200)
    expect((await post(40)).status).toBe(200)
    const res = await post(25)
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('3')
    expect(await res.json()).toMatchObject({
      error: {
        code: 'rate_limited',
        message: expect.stringContaining('25 in this batch'),
        details: { limit: 'events' },
      },
    })
  })
})

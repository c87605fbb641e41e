import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { LIMITS, newId } from '@hookline/protocol'
import { resolveConfig } from '@hookline/relay'
import { startTestRelay, type TestRelay } from './helpers/relay.ts'

// The relay's default limits over real sockets, from one address (127.0.0.1) with one key.
const defaults = resolveConfig({ adminToken: 'x'.repeat(16) }, {})
let relay: TestRelay
beforeAll(async () => {
  relay = await startTestRelay({ rateLimit: defaults.rateLimit, eventRateLimit: defaults.eventRateLimit })
})
afterAll(async () => {
  await relay.close()
})

/** An event of about 500 bytes, the size a checkout event with a few props has. */
function event() {
  return {
    id: newId('evt'),
    name: 'checkout-completed',
    ts: new Date().toISOString(),
    sessionId: 'ses_returning0001',
    screen: 'checkout',
    props: { total: 42.5, currency: 'EUR', items: 3, coupon: 'SPRING', note: 'x'.repeat(300) },
  }
}

/** Batches as the SDK's sender cuts them: at most 100 events and 64 KiB each. */
function sdkBatches(events: ReturnType<typeof event>[]): string[] {
  const bodies: string[] = []
  let batch: typeof events = []
  const body = (list: typeof events) => JSON.stringify({ sentAt: new Date().toISOString(), events: list })
  for (const next of events) {
    if (batch.length === LIMITS.sdkBatchEvents || body([...batch, next]).length > LIMITS.sdkBatchBytes) {
      bodies.push(body(batch))
      batch = []
    }
    batch.push(next)
  }
  if (batch.length) bodies.push(body(batch))
  return bodies
}

// Every batch carries the token of its one session, as the SDK's do.
const post = async (key: string, body: string) =>
  fetch(`${relay.url}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: `{"sessionTokens":{"ses_returning0001":"${await relay.sessionToken(key, 'ses_returning0001')}"},${body.slice(1)}`,
  })

describe('default rate limits', () => {
  test('a returning browser drains 10,000 queued events at the SDK batch size, four requests at a time, without a 429', async () => {
    const { keys } = await relay.createProject()
    const bodies = sdkBatches(Array.from({ length: 10_000 }, event))
    expect(bodies).toHaveLength(10_000 / LIMITS.sdkBatchEvents)
    const statuses: number[] = []
    let next = 0
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < bodies.length) {
          const res = await post(keys.test, bodies[next++]!)
          statuses.push(res.status)
          await res.body?.cancel()
        }
      }),
    )
    expect(statuses.filter((status) => status !== 202)).toEqual([])
  })

  test('a flood of large batches beyond the drain gets 429 with Retry-After, within the event burst', async () => {
    const { keys } = await relay.createProject()
    const body = JSON.stringify({ sentAt: new Date().toISOString(), events: Array.from({ length: 500 }, event) })
    const started = Date.now()
    let accepted = 0
    let refused: Response | undefined
    while (!refused && accepted <= 200_000) {
      const res = await post(keys.test, body)
      if (res.status === 429) refused = res
      else {
        expect(res.status).toBe(202)
        await res.body?.cancel()
        accepted += 500
      }
    }
    const seconds = (Date.now() - started) / 1000
    expect(refused?.status).toBe(429)
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(await refused!.json()).toMatchObject({ error: { code: 'rate_limited', details: { limit: 'events' } } })
    const { perSecond, burst } = defaults.eventRateLimit
    expect(accepted).toBeLessThanOrEqual(burst + perSecond * seconds)
  })

  test('a flood of tiny requests gets 429 with Retry-After, within the request burst', async () => {
    const { keys } = await relay.createProject()
    const started = Date.now()
    let granted = 0
    let refused: Response | undefined
    while (!refused && granted <= 10_000) {
      const res = await post(keys.test, JSON.stringify({ sentAt: new Date().toISOString(), events: [event()] }))
      if (res.status === 429) refused = res
      else {
        await res.body?.cancel()
        granted++
      }
    }
    const seconds = (Date.now() - started) / 1000
    expect(await refused!.json()).toMatchObject({ error: { code: 'rate_limited', details: { limit: 'requests' } } })
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(granted).toBeLessThanOrEqual(defaults.rateLimit.burst + defaults.rateLimit.perSecond * seconds)
  })
})

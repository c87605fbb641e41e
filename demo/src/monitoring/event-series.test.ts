import { describe, expect, it } from 'vitest'
import { bucketEvents, type LoggedEvent } from './event-series.ts'

const at = (ms: number) => new Date(ms).toISOString()
const event = (ms: number, sessionId: string, valid = true, succeeded = 1, failed = 0): LoggedEvent => ({
  name: 'checkout-completed',
  sessionId,
  receivedAt: at(ms),
  valid,
  deliveries: { succeeded, failed },
})

describe('bucketEvents', () => {
  it('works out each figure per bucket, null where nothing happened', () => {
    const now = 60_000
    const buckets = bucketEvents(
      [event(1_000, 'a'), event(2_000, 'a', false), event(3_000, 'b', true, 0, 1), event(45_000, 'c')],
      now,
      30_000,
      2,
    )
    expect(buckets[0]).toEqual({ fireRate: 1.5, successRate: 2 / 3, validationRate: 2 / 3 })
    expect(buckets[1]).toEqual({ fireRate: 1, successRate: 1, validationRate: 1 })
    expect(bucketEvents([], now, 30_000, 2)).toEqual([
      { fireRate: null, successRate: null, validationRate: null },
      { fireRate: null, successRate: null, validationRate: null },
    ])
  })

  it('counts the relay notices’ deliveries, but not the notices as events fired', () => {
    const notice = { ...event(1_000, 'ses_hookline-relay', true, 0, 1), name: 'hookline.webhook.paused' }
    const [bucket] = bucketEvents([event(2_000, 'a'), notice], 60_000, 60_000, 1)
    expect(bucket).toEqual({ fireRate: 1, successRate: 0.5, validationRate: 1 })
  })

  it('leaves out events outside the window', () => {
    const buckets = bucketEvents([event(-5, 'a'), event(61_000, 'b')], 60_000, 30_000, 2)
    expect(buckets.every((bucket) => bucket.fireRate === null)).toBe(true)
  })
})

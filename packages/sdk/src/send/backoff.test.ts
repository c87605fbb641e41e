import { describe, expect, it } from 'vitest'
import { backoffDelay } from './backoff.ts'

describe('backoffDelay', () => {
  it('doubles from 1 s to a 60 s cap with ±20% jitter, never below Retry-After', () => {
    expect(backoffDelay(1, undefined, () => 0.5)).toBe(1000)
    expect(backoffDelay(3, undefined, () => 0.5)).toBe(4000)
    expect(backoffDelay(20, undefined, () => 0.5)).toBe(60_000)
    expect(backoffDelay(1, undefined, () => 0)).toBe(800)
    expect(backoffDelay(1, undefined, () => 1)).toBe(1200)
    expect(backoffDelay(1, 30_000, () => 0.5)).toBe(30_000)
    expect(backoffDelay(1, 3_600_000, () => 0.5)).toBe(600_000)
  })
})

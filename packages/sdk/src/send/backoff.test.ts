import { afterEach, describe, expect, it, vi } from 'vitest'
import { backoffDelay } from './backoff.ts'

afterEach(() => vi.restoreAllMocks())

describe('backoffDelay', () => {
  it('doubles from 1 s to a cap (60 s unless given) with ±20% jitter, never below Retry-After', () => {
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.5)
    expect(backoffDelay(1, undefined)).toBe(1000)
    expect(backoffDelay(3, undefined)).toBe(4000)
    expect(backoffDelay(20, undefined)).toBe(60_000)
    expect(backoffDelay(20, undefined, 30_000)).toBe(30_000)
    expect(backoffDelay(1, 30_000)).toBe(30_000)
    expect(backoffDelay(1, 3_600_000)).toBe(600_000)
    random.mockReturnValue(0)
    expect(backoffDelay(1, undefined)).toBe(800)
    random.mockReturnValue(0.9999)
    expect(backoffDelay(1, undefined)).toBe(1200)
  })
})

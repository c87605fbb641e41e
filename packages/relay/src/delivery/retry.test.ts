import { describe, expect, test } from 'vitest'
import { judge, parseRetryAfter } from './retry.ts'
import type { SendResult } from './send.ts'

const answer = (status: number, headers: Record<string, string> = {}): SendResult => ({
  status,
  headers,
  body: '',
  latencyMs: 1,
  error: null,
})
const noAnswer = (failure: 'timeout' | 'network' | 'ssrf'): SendResult => ({
  status: 0,
  headers: null,
  body: null,
  latencyMs: 1,
  error: failure,
  failure,
})
const retry = { maxAttempts: 4, scheduleMs: null }
const half = () => 0.5

describe('delivery rules', () => {
  test('2xx succeeds', () => {
    expect(judge(answer(204), 1, retry).outcome).toBe('delivered')
  })
  test.each([408, 425, 429, 500, 503])('%i is retried on the default schedule', (status) => {
    expect(judge(answer(status), 1, retry, half)).toMatchObject({ outcome: 'retry', delayMs: 1000 })
    expect(judge(answer(status), 2, retry, half)).toMatchObject({ outcome: 'retry', delayMs: 5000 })
    expect(judge(answer(status), 3, retry, half)).toMatchObject({ outcome: 'retry', delayMs: 25000 })
    expect(judge(answer(status), 4, retry, half).outcome).toBe('failed')
  })
  test.each([301, 302, 400, 401, 404, 422])('%i fails at once', (status) => {
    expect(judge(answer(status), 1, retry).outcome).toBe('failed')
  })
  test('410 fails and disables', () => {
    expect(judge(answer(410), 1, retry)).toMatchObject({ outcome: 'failed', disable: true })
  })
  test('timeouts and network errors retry; SSRF refusals do not', () => {
    expect(judge(noAnswer('timeout'), 1, retry).outcome).toBe('retry')
    expect(judge(noAnswer('network'), 1, retry).outcome).toBe('retry')
    expect(judge(noAnswer('ssrf'), 1, retry).outcome).toBe('failed')
  })
  test('jitter stays within ±20%', () => {
    expect(judge(answer(500), 1, retry, () => 0)).toMatchObject({ delayMs: 800 })
    expect(judge(answer(500), 1, retry, () => 0.999999)).toMatchObject({ delayMs: 1200 })
  })
  test('a webhook schedule repeats its last step', () => {
    const custom = { maxAttempts: 10, scheduleMs: [10, 20] }
    expect(judge(answer(500), 5, custom, half)).toMatchObject({ delayMs: 20 })
  })
  test('Retry-After holds the retry back, bounded', () => {
    expect(judge(answer(429, { 'retry-after': '2' }), 1, { maxAttempts: 3, scheduleMs: [10] }, half)).toMatchObject({
      delayMs: 2000,
    })
    expect(parseRetryAfter('99999999')).toBe(6 * 60 * 60 * 1000)
    expect(parseRetryAfter(new Date(Date.now() + 3000).toUTCString())).toBeGreaterThan(1000)
    expect(parseRetryAfter('soon')).toBeUndefined()
  })
})

import { readFileSync } from 'node:fs'
import { WEBHOOK_RETRY, WEBHOOK_TIMEOUT_MS } from '@hookline/protocol'
import { describe, expect, test } from 'vitest'
import { DEFAULT_SCHEDULE_MS, judge } from '../delivery/retry.ts'
import { newWebhook } from './webhook-input.ts'

// The webhook delivery defaults live once, in @hookline/protocol; the relay must use them, not copies
// that could drift from what the admin API's schema and the dashboard's form say.
const source = (relative: string) => readFileSync(new URL(relative, import.meta.url), 'utf8')

describe('webhook delivery defaults come from @hookline/protocol', () => {
  test('a webhook created without timeout or retry gets the protocol defaults', () => {
    const webhook = newWebhook('proj_1', { name: 'a', url: 'https://example.com/hook', events: ['*'] })
    expect(webhook.timeoutMs).toBe(WEBHOOK_TIMEOUT_MS.default)
    expect(webhook.retry).toEqual({ maxAttempts: WEBHOOK_RETRY.maxAttempts.default, scheduleMs: null })
  })

  test('the retry schedule while scheduleMs is null is the protocol one itself', () => {
    expect(DEFAULT_SCHEDULE_MS).toBe(WEBHOOK_RETRY.defaultScheduleMs)
    const retry = { maxAttempts: 10, scheduleMs: null }
    const delays = [1, 2, 3, 4].map((attempt) => {
      const verdict = judge(
        { status: 503, headers: {}, body: '', latencyMs: 1, error: null },
        attempt,
        retry,
        () => 0.5,
      )
      return verdict.outcome === 'retry' ? verdict.delayMs : null
    })
    const steps = WEBHOOK_RETRY.defaultScheduleMs
    expect(delays).toEqual([...steps, steps.at(-1)])
  })

  test('the relay source keeps no literal copy of the defaults', () => {
    const input = source('./webhook-input.ts')
    expect(input).not.toMatch(/timeoutMs\s*\?\?\s*\d/)
    expect(input).not.toMatch(/maxAttempts\s*\?\?\s*\d/)
    expect(source('../delivery/retry.ts')).not.toMatch(/\[\s*1_?000\s*,\s*5_?000\s*,\s*25_?000\s*\]/)
  })
})

import { run, WEBHOOK_RETRY, WEBHOOK_TIMEOUT_MS, WebhookPatchSchema } from '@hookline/protocol'
import { describe, expect, it } from 'vitest'
import {
  changedDelivery,
  checkDelivery,
  DEFAULT_DELIVERY,
  deliveryText,
  retryText,
  waitsUsed,
  type DeliveryText,
} from './delivery-settings.ts'

const typed = (text: Partial<DeliveryText>): DeliveryText => ({ ...deliveryText(DEFAULT_DELIVERY), ...text })
const errorsOf = (text: Partial<DeliveryText>) => {
  const check = checkDelivery(typed(text))
  return check.ok ? {} : check.errors
}

describe('a webhook’s timeout and retries, as typed', () => {
  it('shows the relay’s defaults, which read back as the defaults (waits as null)', () => {
    expect(deliveryText(DEFAULT_DELIVERY)).toEqual({ timeout: '10', attempts: '4', waits: '1 s, 5 s, 25 s' })
    expect(checkDelivery(deliveryText(DEFAULT_DELIVERY))).toEqual({ ok: true, settings: DEFAULT_DELIVERY })
    expect(retryText(DEFAULT_DELIVERY)).toBe('Tries again after 1 s, 5 s and 25 s (4 tries in all)')
  })

  it('reads seconds, minutes and hours, with or without spaces, and a bare number as seconds', () => {
    const check = checkDelivery({ timeout: '2,5', attempts: ' 6 ', waits: '30 s, 5min; 2 hours and 90, 0.5 s' })
    expect(check).toEqual({
      ok: true,
      settings: { timeoutMs: 2500, retry: { maxAttempts: 6, scheduleMs: [30_000, 300_000, 7_200_000, 90_000, 500] } },
    })
    if (!check.ok) return
    expect(deliveryText(check.settings).waits).toBe('30 s, 5 min, 2 h, 90 s, 0.5 s')
    // Whatever it reads, the relay's own schema admits.
    expect(run(WebhookPatchSchema, check.settings).ok).toBe(true)
  })

  it('says what to write instead, with the protocol’s limits', () => {
    expect(errorsOf({ timeout: 'soon' }).timeout).toBe('Write how long to wait as a number of seconds, like 10.')
    expect(errorsOf({ timeout: '0.5' }).timeout).toBe('Wait at least 1 second for an answer.')
    expect(errorsOf({ timeout: '45' }).timeout).toBe('Wait at most 30 seconds for an answer: 45 is longer.')
    expect(errorsOf({ attempts: '2.5' }).attempts).toBe(
      'Write the tries in all as a whole number from 1 to 10, like 4.',
    )
    expect(errorsOf({ attempts: '11' }).attempts).toBe(
      'Tries in all must be a whole number from 1 to 10 (1 means it never tries again).',
    )
    expect(errorsOf({ waits: ' , ' }).waits).toBe('Write at least one wait, like 30 s.')
    expect(errorsOf({ waits: '5 fortnights' }).waits).toBe(
      '“5 fortnights” is not a wait: write waits like 30 s, 5 min or 2 h, separated by commas.',
    )
    expect(errorsOf({ waits: '1 s, 28 h' }).waits).toBe('Each wait may be at most 27 hours: “28 h” is longer.')
    expect(errorsOf({ waits: Array.from({ length: 10 }, () => '1 s').join(', ') }).waits).toBe(
      'Write at most 9 waits: there are at most 10 tries, so 9 waits between them.',
    )
    // Two fields at fault: both say so.
    expect(Object.keys(errorsOf({ timeout: '', attempts: '0' }))).toEqual(['timeout', 'attempts'])
  })

  it('accepts exactly the bounds the relay accepts', () => {
    const edges = [
      typed({ timeout: String(WEBHOOK_TIMEOUT_MS.min / 1000), attempts: String(WEBHOOK_RETRY.maxAttempts.min) }),
      typed({
        timeout: String(WEBHOOK_TIMEOUT_MS.max / 1000),
        attempts: String(WEBHOOK_RETRY.maxAttempts.max),
        waits: ['0 s', ...Array.from({ length: WEBHOOK_RETRY.scheduleSteps.max - 1 }, () => '27 h')].join(', '),
      }),
    ]
    for (const text of edges) {
      const check = checkDelivery(text)
      expect(check.ok).toBe(true)
      if (check.ok) expect(run(WebhookPatchSchema, check.settings).ok).toBe(true)
    }
  })

  it('says which waits are used: the last one repeats, extra ones go unused', () => {
    const settings = (maxAttempts: number, scheduleMs: number[] | null) => ({
      timeoutMs: 10_000,
      retry: { maxAttempts, scheduleMs },
    })
    expect(waitsUsed(settings(6, [1000, 60_000]))).toEqual([1000, 60_000, 60_000, 60_000, 60_000])
    expect(retryText(settings(2, [1500, 60_000]))).toBe('Tries again after 1.5 s (2 tries in all)')
    expect(retryText(settings(1, null))).toBe('Tried once: a failure is final')
  })

  it('sends only what changed', () => {
    expect(changedDelivery(DEFAULT_DELIVERY, DEFAULT_DELIVERY)).toEqual({})
    const longer = { ...DEFAULT_DELIVERY, timeoutMs: 20_000 }
    expect(changedDelivery(longer, DEFAULT_DELIVERY)).toEqual({ timeoutMs: 20_000 })
    const own = { ...DEFAULT_DELIVERY, retry: { maxAttempts: 4, scheduleMs: [2000] } }
    expect(changedDelivery(own, DEFAULT_DELIVERY)).toEqual({ retry: { maxAttempts: 4, scheduleMs: [2000] } })
    expect(changedDelivery(own, own)).toEqual({})
    expect(changedDelivery(DEFAULT_DELIVERY, own)).toEqual({ retry: { maxAttempts: 4, scheduleMs: null } })
  })
})

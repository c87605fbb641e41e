import type { EventLogEntry } from '@hookline/protocol'
import { describe, expect, it } from 'vitest'
import { isRelayNotice, relayNotice } from './relay-notice.ts'

const entry = (name: string, reason: string) =>
  ({
    name,
    event: {
      id: 'evt_1',
      name,
      ts: '2026-12-01T12:00:00Z',
      sessionId: 'ses_hookline-relay',
      props: { webhook: { id: 'wh_1', name: 'Flaky CRM' }, reason, lastAttempt: null },
    },
  }) as Pick<EventLogEntry, 'name' | 'event'>

describe('relay notices in plain words', () => {
  it('tells the relay’s events from a prototype’s', () => {
    expect(isRelayNotice({ name: 'hookline.webhook.paused' })).toBe(true)
    expect(isRelayNotice({ name: 'checkout-completed' })).toBe(false)
  })

  it('names the webhook and what happened, without the relay’s terms', () => {
    const paused = relayNotice(
      entry(
        'hookline.webhook.paused',
        '10 consecutive failed attempts; new deliveries are held until a recovery probe succeeds or it is resumed.',
      ),
    )
    expect(paused).toMatchObject({ title: 'Webhook paused', tone: 'warn', webhookId: 'wh_1' })
    expect(paused.text).toBe(
      '“Flaky CRM” stopped sending and holds its deliveries. 10 failed attempts in a row; new deliveries are held until the endpoint answers again or you resume it.',
    )
    const byItself = relayNotice(entry('hookline.webhook.resumed', 'A recovery probe succeeded (HTTP 200).'))
    expect(byItself.title).toBe('Webhook resumed by itself')
    expect(byItself.text).toContain('the endpoint answered 200')
    expect(byItself.text).not.toMatch(/probe/)
    expect(relayNotice(entry('hookline.webhook.resumed', 'Resumed by hand.')).title).toBe('Webhook resumed')
    expect(relayNotice(entry('hookline.webhook.disabled', 'The endpoint answered 410 Gone.'))).toMatchObject({
      title: 'Webhook turned off',
      tone: 'bad',
    })
    const exhausted = relayNotice(
      entry('hookline.delivery.exhausted', 'Delivery dlv_0193 of checkout-completed failed after 4 attempts: HTTP 503'),
    )
    expect(exhausted.title).toBe('Delivery given up')
    expect(exhausted.text).toContain('The delivery of checkout-completed failed after 4 attempts')
    expect(exhausted.text).not.toContain('dlv_')
  })

  it('still says something for a notice it does not know, or one without its data', () => {
    const odd = relayNotice({ name: 'hookline.project.renamed', event: { ...entry('x', '').event, props: {} } })
    expect(odd).toMatchObject({ title: 'Relay notice', webhookName: 'a webhook' })
  })
})

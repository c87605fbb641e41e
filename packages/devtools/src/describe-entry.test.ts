import { describe, expect, it } from 'vitest'
import { describeEntry, eventNames } from './describe-entry.ts'
import type { LogEntry } from './hookline.ts'

const fired: LogEntry = { kind: 'fired', at: 1, eventId: 'evt_1', name: 'checkout-completed', props: { total: 42 } }

describe('describeEntry', () => {
  it('names later entries by the event they are about', () => {
    const names = eventNames([fired])
    const view = describeEntry(
      { kind: 'delivered', at: 2, eventId: 'evt_1', webhookId: 'wh_1', status: 200, latencyMs: 38, attempt: 1 },
      names,
    )
    expect(view).toEqual({
      label: 'delivered',
      tone: 'good',
      title: 'checkout-completed',
      detail: '200 · request → response 38 ms · wh_1',
    })
  })

  it('shows a warning the script tag wrote as a code in full, with its code', () => {
    const view = describeEntry(
      {
        kind: 'warning',
        at: 3,
        message: 'HL07 Failed to fetch (docs/messages.md#hl07)',
        code: 'HL07',
        args: ['Failed to fetch'],
      },
      new Map(),
    )
    expect(view).toEqual({
      label: 'warning',
      tone: 'warn',
      title: 'Session not claimed yet (relay unreachable: Failed to fetch)',
      detail: 'HL07',
    })
    // A code this version does not know (a newer SDK) shows the message as written.
    expect(
      describeEntry({ kind: 'warning', at: 3, message: 'HL99 x', code: 'HL99', args: ['x'] }, new Map()).title,
    ).toBe('HL99 x')
  })

  it('says whether a failure will be retried', () => {
    const view = describeEntry(
      { kind: 'failed', at: 2, eventId: 'evt_9', status: 503, reason: 'Service Unavailable', final: false },
      new Map(),
    )
    expect(view.tone).toBe('bad')
    expect(view.title).toBe('evt_9')
    expect(view.detail).toBe('503 · Service Unavailable · will retry')
  })

  it('shows variable assignments and their source', () => {
    const view = describeEntry({ kind: 'vars', at: 3, set: { orderStatus: 'shipped' }, source: 'inbound' }, new Map())
    expect(view.title).toBe('orderStatus = "shipped"')
    expect(view.detail).toBe('from inbound')
  })

  it('counts a batch of the same event', () => {
    const names = new Map([
      ['a', 'tap'],
      ['b', 'tap'],
      ['c', 'tap'],
    ])
    expect(describeEntry({ kind: 'sent', at: 4, eventIds: ['a', 'b', 'c'], transport: 'fetch' }, names).title).toBe(
      'tap ×3',
    )
  })
})

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { openStream, type StreamOptions } from './stream.ts'

class FakeEventSource extends EventTarget {
  static all: FakeEventSource[] = []
  onopen: (() => void) | null = null
  onerror: (() => void) | null = null
  closed = false
  constructor(readonly url: string) {
    super()
    FakeEventSource.all.push(this)
  }
  close() {
    this.closed = true
  }
  emit(type: string, data: unknown, lastEventId = '') {
    this.dispatchEvent(new MessageEvent(type, { data: JSON.stringify(data), lastEventId }))
  }
}

function setup(overrides: Partial<StreamOptions> = {}) {
  let kept: string | null = null
  const got = { vars: [] as unknown[], delivery: [] as unknown[], ack: [] as unknown[], states: [] as string[], errors: [] as string[] }
  const stream = openStream({
    url: (last) => `http://relay.test/v1/stream?session=ses_1${last ? `&lastEventId=${last}` : ''}`,
    lastEventId: { get: () => kept, set: (id) => (kept = id) },
    onVars: (f) => got.vars.push(f),
    onDelivery: (f) => got.delivery.push(f),
    onAck: (f) => got.ack.push(f),
    onState: (s) => got.states.push(s),
    onError: (m) => got.errors.push(m),
    EventSource: FakeEventSource as unknown as typeof EventSource,
    random: () => 0.5,
    ...overrides,
  })
  return { stream, got, kept: () => kept }
}

beforeEach(() => {
  vi.useFakeTimers()
  FakeEventSource.all = []
})
afterEach(() => vi.useRealTimers())

describe('stream', () => {
  it('hands vars, delivery and ack frames over and keeps the last vars frame id', () => {
    const { got, kept } = setup()
    const source = FakeEventSource.all[0]!
    source.onopen?.()
    source.emit('vars', { set: { orderStatus: 'shipped' }, source: { kind: 'inbound', id: 'lst_1' } }, '7')
    source.emit('delivery', { eventId: 'evt_1', webhookId: 'wh_1', attempt: 1, status: 200, ok: true, latencyMs: 4 })
    source.emit('ack', { ids: ['evt_1'] })
    expect(got.vars).toEqual([{ set: { orderStatus: 'shipped' }, source: { kind: 'inbound', id: 'lst_1' } }])
    expect(got.delivery).toHaveLength(1)
    expect(got.ack).toEqual([{ ids: ['evt_1'] }])
    expect(kept()).toBe('7')
    expect(got.states).toEqual(['connecting', 'open'])
  })

  it('reconnects with growing backoff from the last event id', async () => {
    setup()
    FakeEventSource.all[0]!.emit('vars', { set: { a: 1 }, source: { kind: 'inbound', id: 'x' } }, '3')
    FakeEventSource.all[0]!.onerror?.()
    expect(FakeEventSource.all[0]!.closed).toBe(true)
    await vi.advanceTimersByTimeAsync(999)
    expect(FakeEventSource.all).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(FakeEventSource.all[1]!.url).toContain('lastEventId=3')
    FakeEventSource.all[1]!.onerror?.()
    await vi.advanceTimersByTimeAsync(1999)
    expect(FakeEventSource.all).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(FakeEventSource.all).toHaveLength(3)
  })

  it('starts from a last event id kept by an earlier page', () => {
    setup({ lastEventId: { get: () => '12', set: () => {} } })
    expect(FakeEventSource.all[0]!.url).toContain('lastEventId=12')
  })

  it('reports a frame it cannot read and carries on', () => {
    const { got } = setup()
    FakeEventSource.all[0]!.dispatchEvent(new MessageEvent('vars', { data: '{oops' }))
    expect(got.errors).toHaveLength(1)
  })

  it('stops for good on close', async () => {
    const { stream, got } = setup()
    stream.close()
    FakeEventSource.all[0]!.onerror?.()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(FakeEventSource.all).toHaveLength(1)
    expect(got.states.at(-1)).toBe('closed')
  })
})

import { messageText } from '../messages.ts'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { openStream, type StreamOptions } from './stream.ts'

class FakeEventSource extends EventTarget {
  static all: FakeEventSource[] = []
  onopen: (() => void) | null = null
  onerror: (() => void) | null = null
  readyState = 0
  closed = false
  constructor(readonly url: string) {
    super()
    FakeEventSource.all.push(this)
  }
  close() {
    this.closed = true
    this.readyState = 2
  }
  /** The browser gave up (an HTTP error answer): CLOSED, then `error`. */
  refuse() {
    this.readyState = 2
    this.onerror?.()
  }
  /** The connection dropped; the browser reconnects by itself: CONNECTING, then `error`. */
  drop() {
    this.readyState = 0
    this.onerror?.()
  }
  emit(type: string, data: unknown, lastEventId = '') {
    this.dispatchEvent(new MessageEvent(type, { data: JSON.stringify(data), lastEventId }))
  }
}

function setup(overrides: Partial<StreamOptions> = {}, initial: string | null = null) {
  let kept: string | null = initial
  const got = {
    vars: [] as unknown[],
    delivery: [] as unknown[],
    ack: [] as unknown[],
    config: [] as unknown[],
    states: [] as string[],
    errors: [] as string[],
  }
  const stream = openStream({
    url: (last) => `http://relay.test/v1/stream?session=ses_1${last ? `&lastEventId=${last}` : ''}`,
    lastEventId: { get: () => kept, set: (id) => (kept = id) },
    onVars: (f) => got.vars.push(f),
    onDelivery: (f) => got.delivery.push(f),
    onAck: (f) => got.ack.push(f),
    onConfig: (f) => got.config.push(f),
    onState: (s) => got.states.push(s),
    onError: (code, ...args) => got.errors.push(messageText(code, args)),
    ...overrides,
  })
  return { stream, got, kept: () => kept }
}

beforeEach(() => {
  vi.useFakeTimers()
  vi.stubGlobal('EventSource', FakeEventSource)
  vi.spyOn(Math, 'random').mockReturnValue(0.5)
  FakeEventSource.all = []
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('stream', () => {
  it('hands vars, delivery and ack frames over and keeps the last vars frame id', () => {
    const { got, kept } = setup()
    const source = FakeEventSource.all[0]!
    source.onopen?.()
    source.emit('vars', { set: { orderStatus: 'shipped' }, source: { kind: 'inbound', id: 'lst_1' } }, '7')
    source.emit('delivery', { eventId: 'evt_1', webhookId: 'wh_1', attempt: 1, status: 200, ok: true, latencyMs: 4 })
    source.emit('ack', { ids: ['evt_1'] })
    source.emit('config', { config: { events: [], variables: { plan: 'free' } } })
    expect(got.vars).toEqual([{ set: { orderStatus: 'shipped' }, source: { kind: 'inbound', id: 'lst_1' } }])
    expect(got.delivery).toHaveLength(1)
    expect(got.ack).toEqual([{ ids: ['evt_1'] }])
    expect(got.config).toEqual([{ config: { events: [], variables: { plan: 'free' } } }])
    expect(kept()).toBe('7')
    expect(got.states).toEqual(['connecting', 'open'])
  })

  it('leaves a dropped connection to the browser, which resumes with Last-Event-ID', async () => {
    const { got, kept } = setup()
    const source = FakeEventSource.all[0]!
    source.onopen?.()
    source.drop()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(FakeEventSource.all).toHaveLength(1)
    expect(source.closed).toBe(false)
    expect(got.states).toEqual(['connecting', 'open', 'connecting'])
    source.onopen?.()
    expect(got.states.at(-1)).toBe('open')
    // The cursor comes with every frame, not only vars frames.
    source.emit(
      'delivery',
      { eventId: 'evt_1', webhookId: 'wh_1', attempt: 1, status: 200, ok: true, latencyMs: 4 },
      '9',
    )
    expect(kept()).toBe('9')
  })

  it('when the browser gives up, reopens with growing backoff from the last event id', async () => {
    setup()
    FakeEventSource.all[0]!.emit('vars', { set: { a: 1 }, source: { kind: 'inbound', id: 'x' } }, '3')
    FakeEventSource.all[0]!.refuse()
    await vi.advanceTimersByTimeAsync(999)
    expect(FakeEventSource.all).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(FakeEventSource.all[1]!.url).toContain('lastEventId=3')
    FakeEventSource.all[1]!.refuse()
    await vi.advanceTimersByTimeAsync(1999)
    expect(FakeEventSource.all).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(FakeEventSource.all).toHaveLength(3)
    expect(FakeEventSource.all[2]!.url).toContain('lastEventId=3')
  })

  it('drops a kept id after three refusals in a row, says so once, and starts afresh', async () => {
    const { got, kept } = setup({}, 'not-a-number')
    for (let i = 0; i < 3; i++) {
      expect(FakeEventSource.all[i]!.url).toContain('lastEventId=not-a-number')
      FakeEventSource.all[i]!.refuse()
      await vi.advanceTimersByTimeAsync(10_000)
    }
    expect(kept()).toBeNull()
    expect(got.errors).toEqual([expect.stringMatching(/refused 3× from id not-a-number/)])
    expect(FakeEventSource.all[3]!.url).not.toContain('lastEventId')
    FakeEventSource.all[3]!.onopen?.()
    expect(got.states.at(-1)).toBe('open')
  })

  it('keeps its id through refusals interrupted by an open connection', async () => {
    const { kept } = setup({}, '12')
    for (let i = 0; i < 4; i++) {
      const source = FakeEventSource.all[i]!
      if (i === 2) source.onopen?.()
      source.refuse()
      await vi.advanceTimersByTimeAsync(10_000)
    }
    expect(kept()).toBe('12')
    expect(FakeEventSource.all[4]!.url).toContain('lastEventId=12')
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
    FakeEventSource.all[0]!.refuse()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(FakeEventSource.all).toHaveLength(1)
    expect(got.states.at(-1)).toBe('closed')
  })
})

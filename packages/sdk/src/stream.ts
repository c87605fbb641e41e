import type { AckFrame, DeliveryFrame, VarsFrame } from '@hookline/protocol'
import { reasonOf } from './errors.ts'

export interface StreamOptions {
  /** The stream's URL, given the last event id seen (null at first). */
  url(lastEventId: string | null): string
  /** Where the last `vars` frame id is kept, so a reload resumes from it. */
  lastEventId: { get(): string | null; set(id: string): void }
  onVars(frame: VarsFrame): void
  onDelivery(frame: DeliveryFrame): void
  onAck(frame: AckFrame): void
  onState(state: 'connecting' | 'open' | 'closed'): void
  onError(message: string): void
  /** For tests: an EventSource implementation. */
  EventSource?: typeof EventSource
  random?: () => number
}

export interface Stream {
  close(): void
}

/**
 * The relay → browser stream. Reconnects itself (not the browser's fixed retry) with backoff and
 * jitter (1 s, 2 s, 4 s … 30 s), resuming from the last `vars` frame id, which is kept across reloads.
 */
export function openStream(options: StreamOptions): Stream {
  const Source = options.EventSource ?? (typeof EventSource === 'undefined' ? undefined : EventSource)
  if (!Source) {
    options.onError('EventSource is not available: variables will not update live')
    options.onState('closed')
    return { close() {} }
  }
  let source: EventSource | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  let attempts = 0
  let closed = false
  const random = options.random ?? Math.random

  const parse = <T>(event: Event, handle: (frame: T) => void): void => {
    try {
      handle(JSON.parse((event as MessageEvent<string>).data) as T)
    } catch (error) {
      options.onError(`A stream frame could not be read: ${reasonOf(error)}`)
    }
  }

  function connect(): void {
    if (closed) return
    options.onState('connecting')
    const current = new Source!(options.url(options.lastEventId.get()))
    source = current
    current.onopen = () => {
      attempts = 0
      options.onState('open')
    }
    current.onerror = () => {
      if (closed || source !== current) return
      current.close()
      options.onState('connecting')
      const delay = Math.min(30_000, 1000 * 2 ** attempts++) * (0.8 + 0.4 * random())
      timer = setTimeout(connect, delay)
    }
    current.addEventListener('vars', (event) =>
      parse<VarsFrame>(event, (frame) => {
        const id = (event as MessageEvent).lastEventId
        options.onVars(frame)
        if (id) options.lastEventId.set(id)
      }),
    )
    current.addEventListener('delivery', (event) => parse<DeliveryFrame>(event, options.onDelivery))
    current.addEventListener('ack', (event) => parse<AckFrame>(event, options.onAck))
  }

  connect()
  return {
    close() {
      closed = true
      if (timer) clearTimeout(timer)
      source?.close()
      options.onState('closed')
    },
  }
}

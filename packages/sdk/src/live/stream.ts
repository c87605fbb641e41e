import type { Warn } from '../log.ts'
import type { AckFrame, ConfigFrame, DeliveryFrame, VarsFrame } from '@hookline/protocol'
import { reasonOf } from '../errors.ts'
import { backoffDelay } from '../send/backoff.ts'

export interface StreamOptions {
  /** The stream's URL, given the last event id seen (null at first). */
  url(lastEventId: string | null): string
  /** Where the last event id is kept, so a reload resumes from it; `null` forgets it. */
  lastEventId: { get(): string | null; set(id: string | null): void }
  onVars: (frame: VarsFrame) => void
  onDelivery: (frame: DeliveryFrame) => void
  onAck: (frame: AckFrame) => void
  onConfig: (frame: ConfigFrame) => void
  onState: (state: 'connecting' | 'open' | 'closed') => void
  onError: Warn
}

export interface Stream {
  close(): void
}

/** Refusals in a row, resuming from a kept id, after which the id is dropped (the relay may not know it). */
const REFUSALS_BEFORE_FRESH_START = 3

/**
 * The relay → browser stream.
 *
 * A dropped connection is left to the browser's own reconnect: it sends `Last-Event-ID`, which the
 * relay sets on connect even before the first frame, so frames sent while away are replayed. Only
 * when the browser gives up (`readyState` CLOSED: the relay answered 4xx/5xx) do we reopen, with
 * backoff and jitter (1 s, 2 s, 4 s … 30 s) and `?lastEventId=` from the last frame seen. That id
 * is kept across reloads; after a few refusals in a row it is dropped, so an id the relay will not
 * take (a 400 the EventSource cannot read) does not keep the stream shut.
 */
export function openStream(options: StreamOptions): Stream {
  if (!(globalThis as Partial<typeof globalThis>).EventSource) {
    options.onError('HL27')
    options.onState('closed')
    return { close() {} }
  }
  let source: EventSource | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  let attempts = 0
  let refusals = 0
  let closed = false
  let last = options.lastEventId.get()

  // A frame is the relay's (docs/stream.md); one that is not JSON or not of its shape is warned about.
  const listen = (target: EventSource, type: string, handle: (frame: never) => void): void =>
    target.addEventListener(type, (event) => {
      const { data, lastEventId } = event as MessageEvent<string>
      // Every frame carries the connection's cursor (the last `id:` it read), not only `vars`.
      try {
        handle(JSON.parse(data) as never)
      } catch (error) {
        options.onError('HL28', reasonOf(error))
      }
      if (lastEventId && lastEventId !== last) options.lastEventId.set((last = lastEventId))
    })

  function connect(): void {
    if (closed) return
    options.onState('connecting')
    const current = (source = new EventSource(options.url(last)))
    current.onopen = () => {
      attempts = refusals = 0
      options.onState('open')
    }
    current.onerror = () => {
      if (closed || source !== current) return
      options.onState('connecting')
      if (current.readyState !== 2) return // CONNECTING: the browser reconnects with Last-Event-ID
      if (last && ++refusals >= REFUSALS_BEFORE_FRESH_START) {
        options.onError('HL29', refusals, last)
        options.lastEventId.set((last = null))
        refusals = 0
      }
      timer = setTimeout(connect, backoffDelay(++attempts, 0, 30_000))
    }
    listen(current, 'vars', options.onVars)
    listen(current, 'delivery', options.onDelivery)
    listen(current, 'ack', options.onAck)
    listen(current, 'config', options.onConfig)
  }

  connect()
  return {
    close() {
      closed = true
      clearTimeout(timer)
      source?.close()
      options.onState('closed')
    },
  }
}

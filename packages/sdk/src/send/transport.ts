import type { ErrorDetail } from '@hookline/protocol'
import { reasonOf } from '../errors.ts'
import type { QueueRecord } from '../queue/entry.ts'
import type { SessionTokenSource } from '../session/tokens.ts'
import { relayRequest } from './request.ts'

/** A rejection in the relay's answer (`IngestResponse`), as received: it may lack its id or error. */
export type Rejection = { id?: string | null; error?: Partial<ErrorDetail> }

/** What became of one `POST /v1/events`. */
export type SendResult =
  /** Answered: `acked` are the ids the relay holds (accepted now, or duplicates of ones it had). */
  | { ok: true; acked: string[]; rejected: Rejection[]; deliveries?: Record<string, number> }
  /** Not sent or not answered: try again later, no sooner than `retryAfterMs` when the relay said so. */
  | { ok: false; status: number; retryAfterMs?: number; reason: string }

export interface Transport {
  send(records: readonly QueueRecord[]): Promise<SendResult>
  /** `navigator.sendBeacon` with a text/plain body and `?key=`; true when the browser took it. */
  beacon(records: readonly QueueRecord[]): boolean
  /** `GET /v1/config`, the answer as it comes: the live chunk reads it (`readConfig`). */
  config: () => Promise<Response>
  /** The stream's URL for this session, with its token. */
  streamUrl(sessionId: string, lastEventId: string | null, token: string): string
}

/** The batch body, assembled from the already serialized events, with their sessions' tokens. */
export function batchBody(records: readonly QueueRecord[], sessionTokens: Record<string, string> = {}): string {
  return `{"sentAt":${JSON.stringify(new Date().toISOString())},"sessionTokens":${JSON.stringify(sessionTokens)},"events":[${records.map((record) => record.json).join(',')}]}`
}

// The event's own session comes before its props in the serialized event (see track.ts), so the
// first match is the event's.
const SESSION_OF = /"sessionId":"(ses_[0-9A-Za-z_-]+)"/

/** The sessions a batch's events belong to. */
export function sessionsOf(records: readonly QueueRecord[]): string[] {
  const ids = new Set<string>()
  for (const record of records) {
    const id = SESSION_OF.exec(record.json)?.[1]
    if (id) ids.add(id)
  }
  return [...ids]
}

/** `Retry-After` in ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** HTTP to the relay (see `relayRequest`); the key goes as `?key=` for beacons and the stream. */
export function createTransport(relay: string, key: string, tokens: SessionTokenSource): Transport {
  const call = relayRequest(relay, key)
  return {
    async send(records) {
      let response: Response
      try {
        // Sessions are claimed before their first batch; a claim that fails leaves its events to be refused alone.
        response = await call('POST', '/v1/events', batchBody(records, await tokens.ensure(sessionsOf(records))))
      } catch (error) {
        return { ok: false, status: 0, reason: `relay unreachable (${reasonOf(error)})` }
      }
      // No JSON body (a proxy's error page, an empty 5xx) leaves `body` undefined.
      const body = (await response.json().catch(() => undefined)) as
        | {
            accepted?: string[]
            duplicates?: string[]
            rejected?: Rejection[]
            deliveries?: Record<string, number>
            error?: { message?: string }
          }
        | undefined
      if (response.ok && Array.isArray(body?.accepted)) {
        return {
          ok: true,
          acked: [...body.accepted, ...(body.duplicates ?? [])],
          rejected: body.rejected ?? [],
          deliveries: body.deliveries,
        }
      }
      return {
        ok: false,
        status: response.status,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
        reason: `relay answered ${response.status}${body?.error?.message ? `: ${body.error.message}` : ''}`,
      }
    },
    beacon(records) {
      try {
        const body = batchBody(records, tokens.known(sessionsOf(records)))
        return navigator.sendBeacon(`${relay}/v1/events?key=${encodeURIComponent(key)}`, body)
      } catch {
        return false
      }
    },
    config: () => call('GET', '/v1/config'),
    streamUrl(session, lastEventId, token) {
      const query = new URLSearchParams({ session, key, token })
      if (lastEventId) query.set('lastEventId', lastEventId)
      return `${relay}/v1/stream?${query}`
    },
  }
}

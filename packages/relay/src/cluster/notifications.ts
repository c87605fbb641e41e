import pg from 'pg'
import type { PostgresTarget } from './pg-url.ts'

/**
 * The node's one LISTEN connection to PostgreSQL. The cluster signal and the stream bus each listen
 * on a channel of their own through it, and notify through it; every node of a relay (one schema)
 * hears every notification, its own included.
 */
export interface Notifications {
  /** Calls `handler` with the payload of every notification on `channel`. One handler a channel. */
  listen(channel: string, handler: (payload: string) => void): Promise<void>
  /** Sends `payload` to every node listening on `channel`; a notification that fails is dropped. */
  notify(channel: string, payload: string): void
  close(): Promise<void>
}

/** A channel of this relay's schema, like `hookline_queue_public`: a plain identifier of at most 63 characters. */
export function channelName(prefix: string, schema: string | null): string {
  return `${prefix}_${schema ?? 'public'}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 63)
}

export async function openNotifications(target: PostgresTarget): Promise<Notifications> {
  const client = new pg.Client({ connectionString: target.connectionString })
  await client.connect()
  // Losing this connection only costs other nodes' live frames (browsers replay on reconnect) and
  // slows their dispatchers down to polling; it must never stop the relay.
  client.on('error', () => {})
  const handlers = new Map<string, (payload: string) => void>()
  client.on('notification', ({ channel, payload }) => {
    if (payload) handlers.get(channel)?.(payload)
  })
  return {
    async listen(channel, handler) {
      handlers.set(channel, handler)
      await client.query(`LISTEN "${channel}"`)
    },
    notify(channel, payload) {
      client.query('SELECT pg_notify($1, $2)', [channel, payload]).catch(() => {})
    },
    async close() {
      handlers.clear()
      await client.end().catch(() => {})
    },
  }
}

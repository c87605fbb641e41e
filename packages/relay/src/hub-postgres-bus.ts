import { randomUUID } from 'node:crypto'
import { userInfo } from 'node:os'
import pg from 'pg'
import type { FrameBus, HubMessage } from './hub-bus.ts'

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7900

/** What one node tells the others: a whole message, or, for a `vars` frame too large to carry, where to read it. */
type Envelope = { node: string; message: HubMessage } | { node: string; vars: VarsReference }

export interface VarsReference {
  projectId: string
  session: string | null
  seq: number
}

/**
 * The bus between relay nodes that share one PostgreSQL database: each node LISTENs on a channel
 * named after the schema, publishes with `pg_notify`, and hands its own messages to its own
 * subscribers at once (it skips their echo). A `vars` frame too large for a notification travels
 * as its number, and each node reads it from the store. Messages from one node arrive in the order
 * it sent them; between nodes, no order is promised (a client may then see two frames swapped).
 */
export async function postgresBus(
  url: string,
  loadVars: (reference: VarsReference) => Promise<HubMessage | undefined>,
): Promise<FrameBus> {
  const parsed = new URL(url)
  const schema = parsed.searchParams.get('schema') ?? 'public'
  parsed.searchParams.delete('schema')
  if (!parsed.username) parsed.username = encodeURIComponent(process.env.PGUSER ?? userInfo().username)
  const channel = `hookline_frames_${schema}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 63)
  const node = randomUUID()
  const handlers = new Set<(message: HubMessage) => void>()
  const deliver = (message: HubMessage) => {
    for (const handler of handlers) handler(message)
  }

  const client = new pg.Client({ connectionString: parsed.toString() })
  await client.connect()
  // A lost LISTEN connection only costs other nodes' live frames (browsers replay on reconnect); never crash the relay for it.
  client.on('error', () => {})
  client.on('notification', (notification) => {
    if (notification.channel !== channel || !notification.payload) return
    const envelope = JSON.parse(notification.payload) as Envelope
    if (envelope.node === node) return
    if ('message' in envelope) deliver(envelope.message)
    else
      void loadVars(envelope.vars).then(
        (message) => message && deliver(message),
        () => {},
      )
  })
  await client.query(`LISTEN "${channel}"`)

  return {
    publish(message) {
      deliver(message)
      let payload = JSON.stringify({ node, message } satisfies Envelope)
      if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
        // delivery and ack frames are small; one that is not stays on this node rather than fail.
        if (message.event !== 'vars') return
        payload = JSON.stringify({
          node,
          vars: { projectId: message.projectId, session: message.session, seq: message.seq },
        } satisfies Envelope)
      }
      client.query('SELECT pg_notify($1, $2)', [channel, payload]).catch(() => {})
    },
    subscribe(handler) {
      handlers.add(handler)
      return () => handlers.delete(handler)
    },
    async close() {
      handlers.clear()
      await client.end().catch(() => {})
    },
  }
}

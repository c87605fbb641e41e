import { randomUUID } from 'node:crypto'
import { channelName, type Notifications } from '../../cluster/notifications.ts'
import type { FrameBus, HubMessage } from './message.ts'

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7900

/** Where to read a `vars` frame too large to travel in a notification. */
export interface VarsReference {
  projectId: string
  session: string | null
  seq: number
}

/** What one node tells the others: a whole message, or, for a `vars` frame too large to carry, where to read it. */
type Envelope = { node: string; message: HubMessage } | { node: string; vars: VarsReference }

/**
 * The bus between relay nodes that share one PostgreSQL database: on the node's LISTEN connection,
 * on a channel named after the schema; it publishes with `pg_notify` and hands its own messages to
 * its own subscribers at once (it skips their echo). A `vars` frame too large for a notification
 * travels as its number, and each node reads it from the store. Messages from one node arrive in
 * the order it sent them; between nodes, no order is promised (a client may then see two frames swapped).
 */
export async function postgresBus(
  notifications: Notifications,
  schema: string | null,
  loadVars: (reference: VarsReference) => Promise<HubMessage | undefined>,
): Promise<FrameBus> {
  const channel = channelName('hookline_frames', schema)
  const node = randomUUID()
  const handlers = new Set<(message: HubMessage) => void>()
  const deliver = (message: HubMessage) => {
    for (const handler of handlers) handler(message)
  }

  await notifications.listen(channel, (payload) => {
    const envelope = JSON.parse(payload) as Envelope
    if (envelope.node === node) return
    if ('message' in envelope) deliver(envelope.message)
    else
      void loadVars(envelope.vars).then(
        (message) => {
          if (message) deliver(message)
        },
        () => {},
      )
  })

  return {
    publish(message) {
      deliver(message)
      let payload = JSON.stringify({ node, message } satisfies Envelope)
      if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
        // A config too large travels without it: the pages fetch it (docs/stream.md).
        if (message.event === 'config') {
          notifications.notify(channel, JSON.stringify({ node, message: { ...message, data: {} } } satisfies Envelope))
          return
        }
        // delivery and ack frames are small; one that is not stays on this node rather than fail.
        if (message.event !== 'vars') return
        payload = JSON.stringify({
          node,
          vars: { projectId: message.projectId, session: message.session, seq: message.seq },
        } satisfies Envelope)
      }
      notifications.notify(channel, payload)
    },
    subscribe(handler) {
      handlers.add(handler)
      return () => handlers.delete(handler)
    },
    // The LISTEN connection is the node's, closed by the relay after everything that uses it.
    close() {
      handlers.clear()
      return Promise.resolve()
    },
  }
}

import type { Kysely } from 'kysely'
import { newId, testEnvelope } from '@hookline/protocol'
import { insertDelivery } from '../storage/deliveries.ts'
import type { Database, DeliveriesTable } from '../storage/schema.ts'
import type { Webhook } from '../storage/webhooks.ts'
import type { Dispatcher } from './dispatcher.ts'

/**
 * `POST …/webhooks/:wid/test`: sends `webhook.test` now, whatever the webhook's status, and waits
 * for the one attempt (tried once, never retried) to be written; answers the delivery id.
 */
export async function sendTest(
  { db, dispatcher }: { db: Kysely<Database>; dispatcher: Dispatcher },
  webhook: Webhook,
): Promise<string> {
  const row = testDelivery(webhook, Date.now())
  await insertDelivery(db, row, dispatcher.node)
  await dispatcher.attempt({ ...row, status: 'sending', event_body: null, claimed_by: dispatcher.node }, webhook)
  await dispatcher.flush()
  return row.id
}

/** A delivery of the test event, claimed (`sending`) by this node from the start: no dispatcher takes it from the queue. */
function testDelivery(webhook: Webhook, now: number): DeliveriesTable {
  const eventId = newId('evt')
  return {
    id: newId('dlv'),
    project_id: webhook.projectId,
    webhook_id: webhook.id,
    event_id: eventId,
    msg_id: newId('msg'),
    kind: 'test',
    session_id: null,
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    lease_until: null,
    created_at: now,
    updated_at: now,
    event_received_at: now,
    finished_at: null,
    last_status: null,
    last_error: null,
    latency_ms: null,
    body: JSON.stringify(testEnvelope(eventId, webhook.projectId)),
  }
}

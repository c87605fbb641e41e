import type { Kysely } from 'kysely'
import { newId, testEnvelope, type HooklineEvent } from '@hookline/protocol'
import { insertDelivery } from '../storage/deliveries.ts'
import type { Database, DeliveriesTable } from '../storage/schema.ts'
import type { Webhook } from '../storage/webhooks.ts'
import type { Dispatcher } from './dispatcher.ts'
import { renderBody } from './outgoing.ts'

/** What a test send carries: the sample event (rendered as a real delivery would be), or the plain test body. */
export type TestBody = { plain: true } | { plain: false; event: HooklineEvent }

/**
 * `POST …/webhooks/:wid/test`: sends one request now, whatever the webhook's status, and waits
 * for the one attempt (tried once, never retried) to be written; answers the delivery id. The
 * body is the sample event through the webhook's template (or default envelope), byte for byte
 * what a real delivery of that event would carry, or the fixed `webhook.test` body when `plain`.
 */
export async function sendTest(
  { db, dispatcher }: { db: Kysely<Database>; dispatcher: Dispatcher },
  webhook: Webhook,
  what: TestBody = { plain: true },
): Promise<string> {
  const row = testDelivery(webhook, what, Date.now())
  await insertDelivery(db, row, dispatcher.node)
  await dispatcher.attempt(
    { ...row, status: 'sending', event_body: null, claimed_by: dispatcher.node, lane: null, drain_until: null },
    webhook,
  )
  await dispatcher.flush()
  return row.id
}

/** A delivery of the test event, claimed (`sending`) by this node from the start: no dispatcher takes it from the queue. */
function testDelivery(webhook: Webhook, what: TestBody, now: number): DeliveriesTable {
  const eventId = what.plain ? newId('evt') : what.event.id
  const body = what.plain
    ? JSON.stringify(testEnvelope(eventId, webhook.projectId))
    : renderBody({ event_body: JSON.stringify(what.event), project_id: webhook.projectId }, webhook)
  return {
    id: newId('dlv'),
    project_id: webhook.projectId,
    webhook_id: webhook.id,
    event_id: eventId,
    // A test send carries its own body, never a stored event.
    event_environment: null,
    msg_id: newId('msg'),
    kind: 'test',
    session_id: null,
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    created_at: now,
    updated_at: now,
    event_received_at: now,
    finished_at: null,
    last_status: null,
    last_error: null,
    latency_ms: null,
    body,
    lane_key: null,
    out_of_order: 0,
  }
}

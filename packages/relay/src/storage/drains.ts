import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { Database, WebhookStatus } from './schema.ts'

// In-order drains: what a webhook held while paused or disabled (or a replay queued) goes out one
// at a time, oldest first, on every relay node. The webhook's stored `drain_until` says a drain is
// under way and covers the deliveries made up to that time; a claim (any node's) then takes only
// the webhook's oldest unfinished unordered queue row, so a later delivery never goes while an
// earlier one is in flight or waits for its retry. Session lanes keep their own order (`lanes.ts`).
// Nothing in memory is needed for it: a node that never saw the resume, or one restarted halfway,
// claims in the same order.

/**
 * For a claim reading `delivery_queue AS q` joined to `webhooks AS w`: the webhook is not
 * draining, the row is in a session lane, or no unordered row of its webhook is older (by id: the
 * order deliveries were made in). The partial index `delivery_queue_webhook` answers it.
 */
export const DRAIN_HEAD_SQL = `(w.drain_until IS NULL OR q.lane IS NOT NULL OR NOT EXISTS (
  SELECT 1 FROM delivery_queue AS o
  WHERE o.webhook_id = q.webhook_id AND o.lane IS NULL AND o.delivery_id < q.delivery_id))`
export const claimableInDrain = sql.raw<boolean>(DRAIN_HEAD_SQL)

/**
 * For an `UPDATE webhooks` that writes `status`: a webhook that becomes active from any other
 * status starts a drain at `at`, in the same statement, so no claim can see it active before the
 * drain is marked. An active webhook keeps whatever drain it has.
 */
export function drainOnResume(status: WebhookStatus, at: number): RawBuilder<number | null> {
  return sql<number | null>`CASE WHEN ${status} = 'active' AND status <> 'active' THEN ${at} ELSE drain_until END`
}

/** Starts a drain covering what was made up to `at` (a drain already covering later stays). */
export async function startDrain(db: Kysely<Database>, webhookId: string, at: number): Promise<void> {
  await db
    .updateTable('webhooks')
    .set({
      drain_until: sql<number>`CASE WHEN drain_until IS NULL OR drain_until < ${at} THEN ${at} ELSE drain_until END`,
    })
    .where('id', '=', webhookId)
    .execute()
}

/**
 * Ends the webhook's drain if nothing it covers is unfinished; true when no drain is left (ended
 * now, by another node, or never started). Any node may run it: the stored marker decides.
 */
export async function endDrain(db: Kysely<Database>, webhookId: string): Promise<boolean> {
  await db
    .updateTable('webhooks')
    .set({ drain_until: null })
    .where('id', '=', webhookId)
    .where('drain_until', 'is not', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('delivery_queue as q')
            .innerJoin('deliveries as d', 'd.id', 'q.delivery_id')
            .select('q.delivery_id')
            .whereRef('q.webhook_id', '=', 'webhooks.id')
            .where('q.lane', 'is', null)
            .whereRef('d.created_at', '<=', 'webhooks.drain_until'),
        ),
      ),
    )
    .execute()
  const row = await db.selectFrom('webhooks').select('drain_until').where('id', '=', webhookId).executeTakeFirst()
  return row?.drain_until == null
}

import { sql, type Kysely } from 'kysely'

// An in-order drain that holds on every node (`drains.ts`). `webhooks.drain_until` is set when a
// paused or disabled webhook becomes active again (and by a replay): while it is set, a claim on
// any node takes only the webhook's oldest unordered queue row, so what was held goes out one at a
// time, oldest first, whichever node claims it. It is cleared once nothing made up to that time is
// left unfinished. The queue's `(webhook_id, delivery_id)` index of unordered rows finds a
// webhook's oldest one.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('webhooks').addColumn('drain_until', 'bigint').execute()
  await db.schema
    .createIndex('delivery_queue_webhook')
    .on('delivery_queue')
    .columns(['webhook_id', 'delivery_id'])
    .where(sql.ref('lane'), 'is', null)
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('delivery_queue_webhook').execute()
  await db.schema.alterTable('webhooks').dropColumn('drain_until').execute()
}

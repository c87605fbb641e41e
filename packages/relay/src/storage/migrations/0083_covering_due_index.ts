import { sql, type Kysely } from 'kysely'

// The claim reads due queue rows off `delivery_queue_due`; with the columns it then asks of each
// (its webhook, its lane and place in it; `claimed_by` too, always null here, for SQLite to see the
// index as covering) in the index, it never looks the row itself up.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('delivery_queue_due').execute()
  await db.schema
    .createIndex('delivery_queue_due')
    .on('delivery_queue')
    .columns(['next_attempt_at', 'delivery_id', 'webhook_id', 'lane', 'lane_key', 'claimed_by'])
    .where(sql.ref('claimed_by'), 'is', null)
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('delivery_queue_due').execute()
  await db.schema
    .createIndex('delivery_queue_due')
    .on('delivery_queue')
    .columns(['next_attempt_at', 'delivery_id'])
    .where(sql.ref('claimed_by'), 'is', null)
    .execute()
}

import { sql, type Kysely } from 'kysely'

// A narrow queue beside the wide `deliveries` rows: one row per unfinished delivery, holding only
// what claims read and write, so a claim rewrites a few bytes (`claimed_by`) instead of a delivery
// row with its error text and timings, and the due index is small enough to stay in memory. A
// delivery's row is written when it is stored and after each attempt; its queue row is deleted when
// it finishes. `deliveries.status` keeps `pending`, `succeeded` or `failed`; "sending" is a queue
// row with a claim. Deliveries pending or in flight when this runs are queued, none lost.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('delivery_queue')
    .addColumn('delivery_id', 'text', (col) => col.primaryKey())
    .addColumn('webhook_id', 'text', (col) => col.notNull())
    .addColumn('next_attempt_at', 'bigint', (col) => col.notNull())
    .addColumn('claimed_by', 'text')
    .execute()
  await db.schema
    .createIndex('delivery_queue_due')
    .on('delivery_queue')
    .columns(['next_attempt_at', 'delivery_id'])
    .where(sql.ref('claimed_by'), 'is', null)
    .execute()
  await db.schema
    .createIndex('delivery_queue_claimed')
    .on('delivery_queue')
    .column('claimed_by')
    .where(sql.ref('claimed_by'), 'is not', null)
    .execute()
  await sql`INSERT INTO delivery_queue (delivery_id, webhook_id, next_attempt_at, claimed_by)
    SELECT id, webhook_id, next_attempt_at, NULL FROM deliveries WHERE status IN ('pending', 'sending')`.execute(db)
  await sql`UPDATE deliveries SET status = 'pending', lease_until = NULL, claimed_by = NULL
    WHERE status = 'sending'`.execute(db)
  // Claims read the queue now; the wide table's due index only cost a write per status change.
  await db.schema.dropIndex('deliveries_due').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('deliveries_due').on('deliveries').columns(['status', 'next_attempt_at', 'id']).execute()
  await sql`UPDATE deliveries SET status = 'sending', claimed_by = q.claimed_by
    FROM delivery_queue q WHERE q.delivery_id = deliveries.id AND q.claimed_by IS NOT NULL`.execute(db)
  await db.schema.dropTable('delivery_queue').execute()
}

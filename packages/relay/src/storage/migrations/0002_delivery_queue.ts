import type { Kysely } from 'kysely'

// The dispatcher claims `ORDER BY next_attempt_at, id`; with `id` in the index that order is read
// straight off it instead of sorting the whole backlog on every claim.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('deliveries_due').execute()
  await db.schema.createIndex('deliveries_due').on('deliveries').columns(['status', 'next_attempt_at', 'id']).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('deliveries_due').execute()
  await db.schema.createIndex('deliveries_due').on('deliveries').columns(['status', 'next_attempt_at']).execute()
}

import type { Kysely } from 'kysely'

// What claims used to write on the delivery row: `lease_until` (before 0070, a claim lasted until
// then) and `claimed_by` (0070, before the narrow queue of 0071 took claims off the row). Nothing
// reads or writes them since 0071. Portable DDL (SQLite ≥ 3.35 and PostgreSQL drop columns).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('deliveries').dropColumn('lease_until').execute()
  await db.schema.alterTable('deliveries').dropColumn('claimed_by').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('deliveries').addColumn('lease_until', 'bigint').execute()
  await db.schema.alterTable('deliveries').addColumn('claimed_by', 'text').execute()
}

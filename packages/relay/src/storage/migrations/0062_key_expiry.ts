import type { Kysely } from 'kysely'

// A rotated publishable key keeps working until `expires_at` (ms), then is refused; null: no end.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('keys').addColumn('expires_at', 'bigint').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('keys').dropColumn('expires_at').execute()
}

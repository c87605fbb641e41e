import type { Kysely } from 'kysely'

// Test and live never mix in the stream: a listener belongs to one environment (existing ones to
// `test`, as webhooks default), and each stored `vars` frame records the environment it is for.
// Frames written before this have none (null) and replay as before until pruned (24 h).
// Portable DDL (SQLite and PostgreSQL).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('listeners')
    .addColumn('environment', 'text', (col) => col.notNull().defaultTo('test'))
    .execute()
  await db.schema.alterTable('stream_frames').addColumn('environment', 'text').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('stream_frames').dropColumn('environment').execute()
  await db.schema.alterTable('listeners').dropColumn('environment').execute()
}

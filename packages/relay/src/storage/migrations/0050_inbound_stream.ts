import type { Kysely } from 'kysely'

// Listeners, the receipts that dedupe inbound webhooks, and the replayable stream frames. Portable
// DDL (SQLite and PostgreSQL): `stream_cursor` hands out frame numbers inside the writing
// transaction instead of an autoincrement, which both dialects spell differently; on PostgreSQL
// its row lock also makes commit order equal number order, which the replay relies on.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('listeners')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('project_id', 'text', (col) => col.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('secret', 'text', (col) => col.notNull())
    .addColumn('set_paths', 'text', (col) => col.notNull())
    .addColumn('target', 'text', (col) => col.notNull())
    .addColumn('verify', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute()
  await db.schema.createIndex('listeners_project').on('listeners').column('project_id').execute()

  await db.schema
    .createTable('inbound_receipts')
    .addColumn('listener_id', 'text', (col) => col.notNull().references('listeners.id').onDelete('cascade'))
    .addColumn('webhook_id', 'text', (col) => col.notNull())
    .addColumn('received_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('inbound_receipts_pk', ['listener_id', 'webhook_id'])
    .execute()
  await db.schema.createIndex('inbound_receipts_received').on('inbound_receipts').column('received_at').execute()

  await db.schema
    .createTable('stream_cursor')
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('seq', 'bigint', (col) => col.notNull())
    .execute()
  await db
    .withTables<{ stream_cursor: { id: number; seq: number } }>()
    .insertInto('stream_cursor')
    .values({ id: 1, seq: 0 })
    .execute()

  await db.schema
    .createTable('stream_frames')
    .addColumn('seq', 'bigint', (col) => col.primaryKey())
    .addColumn('project_id', 'text', (col) => col.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('session_id', 'text')
    .addColumn('data', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute()
  await db.schema.createIndex('stream_frames_project_seq').on('stream_frames').columns(['project_id', 'seq']).execute()
  await db.schema.createIndex('stream_frames_created').on('stream_frames').column('created_at').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['stream_frames', 'stream_cursor', 'inbound_receipts', 'listeners'])
    await db.schema.dropTable(table).execute()
}

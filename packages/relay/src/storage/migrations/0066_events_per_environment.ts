import { sql, type Kysely } from 'kysely'

const COLUMNS = sql.raw('project_id, id, name, environment, session_id, ts, received_at, valid, body')

// Event ids deduplicate per environment: a test event no longer shadows a live event of the same id
// (nor the other way), so the primary key becomes (project, environment, id). Neither SQLite nor a
// portable statement can change a primary key in place, so the table is rebuilt: a new table, the
// rows copied, the old one dropped and the new one renamed, with its index made again. Every row is
// copied once, inside the migration's transaction. A delivery records its event's environment
// (`event_environment`, that of its webhook when it was made, since a webhook may change environment
// later) so that it finds its own event among those of one id.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('deliveries').addColumn('event_environment', 'text').execute()
  await sql`UPDATE deliveries SET event_environment =
    (SELECT w.environment FROM webhooks w WHERE w.id = deliveries.webhook_id)`.execute(db)
  await db.schema
    .createTable('events_next')
    .addColumn('project_id', 'text', (col) => col.notNull())
    .addColumn('id', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('environment', 'text', (col) => col.notNull())
    .addColumn('session_id', 'text', (col) => col.notNull())
    .addColumn('ts', 'text', (col) => col.notNull())
    .addColumn('received_at', 'bigint', (col) => col.notNull())
    .addColumn('valid', 'integer', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('events_env_pk', ['project_id', 'environment', 'id'])
    .execute()
  await sql`INSERT INTO events_next (${COLUMNS}) SELECT ${COLUMNS} FROM events`.execute(db)
  await db.schema.dropTable('events').execute()
  await db.schema.alterTable('events_next').renameTo('events').execute()
  await db.schema.createIndex('events_received').on('events').columns(['project_id', 'received_at']).execute()
}

// Back to one id per project: where both environments hold an id, the live event is kept.
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('events_prev')
    .addColumn('project_id', 'text', (col) => col.notNull())
    .addColumn('id', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('environment', 'text', (col) => col.notNull())
    .addColumn('session_id', 'text', (col) => col.notNull())
    .addColumn('ts', 'text', (col) => col.notNull())
    .addColumn('received_at', 'bigint', (col) => col.notNull())
    .addColumn('valid', 'integer', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('events_pk', ['project_id', 'id'])
    .execute()
  await sql`INSERT INTO events_prev (${COLUMNS}) SELECT ${COLUMNS} FROM events WHERE true ORDER BY environment
    ON CONFLICT DO NOTHING`.execute(db)
  await db.schema.dropTable('events').execute()
  await db.schema.alterTable('events_prev').renameTo('events').execute()
  await db.schema.createIndex('events_received').on('events').columns(['project_id', 'received_at']).execute()
  await db.schema.alterTable('deliveries').dropColumn('event_environment').execute()
}

import type { Kysely } from 'kysely'

// Short leases on PostgreSQL: a node holds one row here and renews it every second or two; a
// `sending` delivery is claimed by a node (`claimed_by`), and it stays claimed only while that node's
// row is alive. So renewing every claim costs one row write per node, whatever the claims number,
// and a node that dies loses all of them at once when its row expires. SQLite (one node) records the
// claiming process too, but every `sending` delivery is released at start anyway.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('relay_nodes')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('lease_until', 'bigint', (col) => col.notNull())
    .addColumn('started_at', 'bigint', (col) => col.notNull())
    .addColumn('host', 'text', (col) => col.notNull())
    .addColumn('pid', 'integer', (col) => col.notNull())
    .execute()
  await db.schema.alterTable('deliveries').addColumn('claimed_by', 'text').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('deliveries').dropColumn('claimed_by').execute()
  await db.schema.dropTable('relay_nodes').execute()
}

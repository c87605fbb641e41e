import { sql, type Kysely } from 'kysely'

// Ordered delivery per session (a webhook's `ordering: "session"`). A delivery of such a webhook
// carries its lane's sort key (`lane_key`: the event's time, then its id) and its queue row names
// the lane (`lane`: the session id; null for unordered traffic), so a claim can take only a lane's
// head (nothing of the lane before it, nothing of it in flight). `out_of_order` marks a delivery
// the lane moved on without, once its retries ran out. Rows queued before this stay unordered.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('webhooks')
    .addColumn('ordering', 'text', (col) => col.notNull().defaultTo('none'))
    .execute()
  await db.schema.alterTable('deliveries').addColumn('lane_key', 'text').execute()
  await db.schema
    .alterTable('deliveries')
    .addColumn('out_of_order', 'integer', (col) => col.notNull().defaultTo(0))
    .execute()
  await db.schema.alterTable('delivery_queue').addColumn('lane', 'text').execute()
  await db.schema.alterTable('delivery_queue').addColumn('lane_key', 'text').execute()
  // What a claim asks of each due lane row: is anything of its lane before it, or in flight?
  await db.schema
    .createIndex('delivery_queue_lane')
    .on('delivery_queue')
    .columns(['webhook_id', 'lane', 'lane_key'])
    .where(sql.ref('lane'), 'is not', null)
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('delivery_queue_lane').execute()
  for (const column of ['lane_key', 'lane']) await db.schema.alterTable('delivery_queue').dropColumn(column).execute()
  for (const column of ['out_of_order', 'lane_key'])
    await db.schema.alterTable('deliveries').dropColumn(column).execute()
  await db.schema.alterTable('webhooks').dropColumn('ordering').execute()
}

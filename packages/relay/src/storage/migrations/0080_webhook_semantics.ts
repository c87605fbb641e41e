import type { Kysely } from 'kysely'

// A webhook's payload filter and self-recovery: `filter` (JSON query over the envelope, null for
// none); `auto_resume` (JSON: null for the default probing, false, or {scheduleMs}); and while it
// is paused, who paused it (`paused_by`: 'hand' stops probing) and when the next probe is due.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('webhooks').addColumn('filter', 'text').execute()
  await db.schema.alterTable('webhooks').addColumn('auto_resume', 'text').execute()
  await db.schema.alterTable('webhooks').addColumn('paused_by', 'text').execute()
  await db.schema.alterTable('webhooks').addColumn('next_probe_at', 'bigint').execute()
  await db.schema
    .alterTable('webhooks')
    .addColumn('probe_step', 'integer', (col) => col.notNull().defaultTo(0))
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['probe_step', 'next_probe_at', 'paused_by', 'auto_resume', 'filter'])
    await db.schema.alterTable('webhooks').dropColumn(column).execute()
}

import type { Kysely } from 'kysely'
import type { Environment } from '@hookline/protocol'
import { enqueue } from './delivery-queue.ts'
import type { Database, DeliveriesTable, EventsTable } from './schema.ts'

/** One event ready to store, with the deliveries it fans out to. */
export interface StoredEvent {
  row: EventsTable
  deliveries: DeliveriesTable[]
}

// SQLite binds at most 32766 parameters a statement; stay well under it.
const ROWS_PER_INSERT = 400

/** How `insertEvents` names an event: ids are unique per project. */
export const eventKey = (projectId: string, id: string) => `${projectId} ${id}`

/**
 * Stores events in one transaction: events whose id is new in their project are inserted with
 * their deliveries; ids already stored change nothing. Returns the `eventKey`s of the new ones.
 */
export async function insertEvents(db: Kysely<Database>, events: StoredEvent[]): Promise<Set<string>> {
  if (events.length === 0) return new Set()
  return db.transaction().execute(async (tx) => {
    const inserted = new Set<string>()
    for (let i = 0; i < events.length; i += ROWS_PER_INSERT) {
      const rows = events.slice(i, i + ROWS_PER_INSERT).map((event) => event.row)
      const result = await tx
        .insertInto('events')
        .values(rows)
        .onConflict((conflict) => conflict.columns(['project_id', 'id']).doNothing())
        .returning(['project_id', 'id'])
        .execute()
      for (const row of result) inserted.add(eventKey(row.project_id, row.id))
    }
    const deliveries = events
      .filter((event) => inserted.has(eventKey(event.row.project_id, event.row.id)))
      .flatMap((event) => event.deliveries)
    for (let i = 0; i < deliveries.length; i += ROWS_PER_INSERT) {
      await tx
        .insertInto('deliveries')
        .values(deliveries.slice(i, i + ROWS_PER_INSERT))
        .execute()
    }
    await enqueue(tx, deliveries)
    return inserted
  })
}

export interface EventLogEntry {
  id: string
  name: string
  environment: Environment
  sessionId: string
  ts: string
  receivedAt: string
  valid: boolean
  event: unknown
  deliveries: { total: number; succeeded: number; failed: number; pending: number }
}

/** The event log, newest first; `cursor` is the last id of the previous page. */
export async function listEvents(
  db: Kysely<Database>,
  projectId: string,
  limit: number,
  cursor?: string,
): Promise<EventLogEntry[]> {
  let query = db.selectFrom('events').selectAll().where('project_id', '=', projectId)
  if (cursor) query = query.where('id', '<', cursor)
  const rows = await query.orderBy('id', 'desc').limit(limit).execute()
  if (rows.length === 0) return []
  const counts = await db
    .selectFrom('deliveries')
    .select(['event_id', 'status', (eb) => eb.fn.countAll<number>().as('count')])
    .where('project_id', '=', projectId)
    .where(
      'event_id',
      'in',
      rows.map((row) => row.id),
    )
    .groupBy(['event_id', 'status'])
    .execute()
  const summary = new Map<string, EventLogEntry['deliveries']>()
  for (const row of counts) {
    const entry = summary.get(row.event_id) ?? { total: 0, succeeded: 0, failed: 0, pending: 0 }
    const count = row.count
    entry.total += count
    if (row.status === 'succeeded') entry.succeeded += count
    else if (row.status === 'failed') entry.failed += count
    else entry.pending += count
    summary.set(row.event_id, entry)
  }
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    environment: row.environment,
    sessionId: row.session_id,
    ts: row.ts,
    receivedAt: new Date(row.received_at).toISOString(),
    valid: row.valid === 1,
    event: JSON.parse(row.body) as unknown,
    deliveries: summary.get(row.id) ?? { total: 0, succeeded: 0, failed: 0, pending: 0 },
  }))
}

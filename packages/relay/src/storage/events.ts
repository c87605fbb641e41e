import type SQLite from 'better-sqlite3'
import type { Kysely } from 'kysely'
import type { Environment } from '@hookline/protocol'
import { enqueue, queueRow } from './delivery-queue.ts'
import { storageThread } from './remote.ts'
import type { Database, DeliveryQueueTable, DeliveryStatus } from './schema.ts'
import { columnsOf, insertSql, rawWrite, valuesOf } from './sqlite-raw.ts'
import { DELIVERY_COLUMNS, EVENT_COLUMNS, type StoredEvent } from './stored-event.ts'
import { packEvents } from './stored-events-wire.ts'

// SQLite binds at most 32766 parameters a statement; stay well under it.
const ROWS_PER_INSERT = 400

/**
 * How `insertEvents` names an event: ids are unique per project and environment (since `0066`), so
 * a test event never shadows a live event of the same id.
 */
export const eventKey = (projectId: string, environment: Environment, id: string) => `${projectId} ${environment} ${id}`

/**
 * Stores events in one transaction: events whose id is new in their project and environment are inserted with
 * their deliveries; ids already stored change nothing. Returns the `eventKey`s of the new ones.
 */
export async function insertEvents(db: Kysely<Database>, events: StoredEvent[]): Promise<Set<string>> {
  if (events.length === 0) return new Set()
  const thread = storageThread(db)
  if (thread) return thread.run('insertEvents', [packEvents(events)])
  // Not relaxed: the 202 waits for this commit to be on disk.
  const raw = await rawWrite(db, false, (file) => insertSqlite(file, events))
  if (raw) return raw.value
  return db.transaction().execute(async (tx) => {
    const inserted = new Set<string>()
    for (let i = 0; i < events.length; i += ROWS_PER_INSERT) {
      const rows = events.slice(i, i + ROWS_PER_INSERT).map((event) => event.row)
      const result = await tx
        .insertInto('events')
        .values(rows)
        .onConflict((conflict) => conflict.columns(['project_id', 'environment', 'id']).doNothing())
        .returning(['project_id', 'environment', 'id'])
        .execute()
      for (const row of result) inserted.add(eventKey(row.project_id, row.environment, row.id))
    }
    const deliveries = events
      .filter((event) => inserted.has(eventKey(event.row.project_id, event.row.environment, event.row.id)))
      .flatMap((event) => event.deliveries)
    for (let i = 0; i < deliveries.length; i += ROWS_PER_INSERT) {
      await tx
        .insertInto('deliveries')
        .values(deliveries.slice(i, i + ROWS_PER_INSERT))
        .execute()
    }
    // A delivery the webhook's filter left out is logged, never queued.
    await enqueue(
      tx,
      deliveries.filter((delivery) => delivery.status === 'pending'),
    )
    return inserted
  })
}

const QUEUE_COLUMNS = columnsOf<DeliveryQueueTable>({
  delivery_id: true,
  webhook_id: true,
  next_attempt_at: true,
  claimed_by: true,
  lane: true,
  lane_key: true,
})
const SQLITE = {
  event: insertSql('events', EVENT_COLUMNS, ' ON CONFLICT (project_id, environment, id) DO NOTHING'),
  delivery: insertSql('deliveries', DELIVERY_COLUMNS),
  queue: insertSql('delivery_queue', QUEUE_COLUMNS),
}

/** SQLite's `insertEvents`, in one synchronous call of prepared statements (`sqlite-raw.ts`), a row each. */
function insertSqlite(file: SQLite.Database, events: StoredEvent[]): Set<string> {
  const event = file.prepare(SQLITE.event)
  const delivery = file.prepare(SQLITE.delivery)
  const queue = file.prepare(SQLITE.queue)
  const inserted = new Set<string>()
  for (const { row, deliveries } of events) {
    // An id already stored changes nothing, nor does one sent twice in this batch.
    if (event.run(...valuesOf(row, EVENT_COLUMNS)).changes === 0) continue
    inserted.add(eventKey(row.project_id, row.environment, row.id))
    for (const stored of deliveries) {
      delivery.run(...valuesOf(stored, DELIVERY_COLUMNS))
      // A delivery the webhook's filter left out is logged, never queued.
      if (stored.status === 'pending') queue.run(...valuesOf(queueRow(stored, null), QUEUE_COLUMNS))
    }
  }
  return inserted
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
  /** `held`: pending at a paused or disabled webhook, counted there and not in `pending`. */
  deliveries: {
    total: number
    succeeded: number
    failed: number
    pending: number
    held: number
    filtered: number
    erased: number
  }
  /** What became of the event at each webhook it reached: `filtered` when its filter left it out, `held` while it is paused. */
  webhooks: { webhookId: string; deliveryId: string; status: DeliveryStatus | 'held' }[]
}

const emptySummary = (): EventLogEntry['deliveries'] => ({
  total: 0,
  succeeded: 0,
  failed: 0,
  pending: 0,
  held: 0,
  filtered: 0,
  erased: 0,
})

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
  const deliveries = await db
    .selectFrom('deliveries')
    .innerJoin('webhooks', 'webhooks.id', 'deliveries.webhook_id')
    .select([
      'deliveries.id',
      'deliveries.event_id',
      'deliveries.event_environment',
      'deliveries.webhook_id',
      'deliveries.status',
      'webhooks.status as webhook_status',
    ])
    .where('deliveries.project_id', '=', projectId)
    .where('deliveries.kind', '=', 'event')
    .where(
      'deliveries.event_id',
      'in',
      rows.map((row) => row.id),
    )
    .orderBy('deliveries.id')
    .execute()
  // By environment and id: a test and a live event may share an id (`0066`).
  const summary = new Map<string, EventLogEntry['deliveries']>()
  const outcomes = new Map<string, EventLogEntry['webhooks']>()
  for (const row of deliveries) {
    const key = `${row.event_environment ?? ''} ${row.event_id}`
    const entry = summary.get(key) ?? emptySummary()
    // As the delivery log says it (deliveryView): pending at a paused or disabled webhook is held.
    const held = row.status === 'pending' && row.webhook_status !== 'active'
    if (row.status !== 'filtered' && row.status !== 'erased') entry.total++
    if (held) entry.held++
    else if (row.status === 'sending') entry.pending++
    else entry[row.status]++
    summary.set(key, entry)
    const list = outcomes.get(key) ?? []
    list.push({ webhookId: row.webhook_id, deliveryId: row.id, status: held ? 'held' : row.status })
    outcomes.set(key, list)
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
    deliveries: summary.get(`${row.environment} ${row.id}`) ?? emptySummary(),
    webhooks: outcomes.get(`${row.environment} ${row.id}`) ?? [],
  }))
}

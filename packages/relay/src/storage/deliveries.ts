import { CompiledQuery, type Kysely } from 'kysely'
import { relaxedTransaction } from './db.ts'
import type { AttemptsTable, Database, DeliveriesTable, DeliveryStatus } from './schema.ts'
import type { Dialect } from './types.ts'

/** A delivery taken by a dispatcher, with the stored event it carries (null for a test delivery). */
export interface ClaimedDelivery extends DeliveriesTable {
  event_body: string | null
}

export interface ClaimOptions {
  now: number
  limit: number
  /** How long the claim holds before another node may take the delivery again. */
  leaseMs: number
  /** Webhooks that already have as many attempts in flight as they may. */
  exclude: string[]
  /** How many more of this webhook's deliveries may start now. */
  room(webhookId: string): number
}

/**
 * Claims due deliveries of active webhooks, oldest first, and marks them `sending`. On PostgreSQL
 * the rows are locked with `FOR UPDATE SKIP LOCKED` so several relay nodes never take the same one,
 * and an expired lease (a node that died mid-send) makes a `sending` delivery claimable again.
 * `skipped` counts due deliveries left behind because their webhook had no room.
 */
export async function claimDue(
  db: Kysely<Database>,
  dialect: Dialect,
  options: ClaimOptions,
): Promise<{ claimed: ClaimedDelivery[]; skipped: number }> {
  return relaxedTransaction(db, dialect, async (tx) => {
    let query = tx
      .selectFrom('deliveries as d')
      .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
      .leftJoin('events as e', (join) =>
        join.onRef('e.project_id', '=', 'd.project_id').onRef('e.id', '=', 'd.event_id'),
      )
      .selectAll('d')
      .select('e.body as event_body')
      .where('w.status', '=', 'active')
      .where('d.next_attempt_at', '<=', options.now)
      .where((eb) =>
        dialect === 'postgres'
          ? eb.or([
              eb('d.status', '=', 'pending'),
              eb.and([eb('d.status', '=', 'sending'), eb('d.lease_until', '<', options.now)]),
            ])
          : eb('d.status', '=', 'pending'),
      )
    if (options.exclude.length > 0) query = query.where('d.webhook_id', 'not in', options.exclude)
    query = query.orderBy('d.next_attempt_at').orderBy('d.id').limit(options.limit)
    if (dialect === 'postgres') query = query.forUpdate('d').skipLocked()
    const candidates = await query.execute()

    const taken = new Map<string, number>()
    const picked = candidates.filter((row) => {
      const count = taken.get(row.webhook_id) ?? 0
      if (count >= options.room(row.webhook_id)) return false
      taken.set(row.webhook_id, count + 1)
      return true
    })
    const skipped = candidates.length - picked.length
    if (picked.length === 0) return { claimed: [], skipped }
    await tx
      .updateTable('deliveries')
      .set({ status: 'sending', lease_until: options.now + options.leaseMs, updated_at: options.now })
      .where(
        'id',
        'in',
        picked.map((row) => row.id),
      )
      .execute()
    return { claimed: picked.map((row) => ({ ...row, status: 'sending' as const })), skipped }
  })
}

/** After a restart of the only node (SQLite): whatever was being sent when it died is due again. */
export async function releaseInFlight(db: Kysely<Database>, dialect: Dialect, now: number): Promise<number> {
  let query = db
    .updateTable('deliveries')
    .set({ status: 'pending', lease_until: null, updated_at: now })
    .where('status', '=', 'sending')
  if (dialect === 'postgres') query = query.where('lease_until', '<', now)
  const result = await query.executeTakeFirst()
  return Number(result.numUpdatedRows)
}

/**
 * When the next delivery scheduled for later (a retry) comes due, or null. Deliveries due now are
 * found by claims; this only sets the dispatcher's alarm clock, so it reads one index entry.
 */
export async function nextDueAt(db: Kysely<Database>, now: number): Promise<number | null> {
  const row = await db
    .selectFrom('deliveries')
    .select('next_attempt_at')
    .where('status', '=', 'pending')
    .where('next_attempt_at', '>', now)
    .orderBy('next_attempt_at')
    .limit(1)
    .executeTakeFirst()
  return row ? row.next_attempt_at : null
}

/** Hands claimed deliveries back unsent (the dispatcher is stopping, or their webhook was paused). */
export async function releaseDeliveries(db: Kysely<Database>, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .updateTable('deliveries')
      .set({ status: 'pending', lease_until: null })
      .where('id', 'in', ids.slice(i, i + 500))
      .where('status', '=', 'sending')
      .execute()
  }
}

/** The result of one attempt, to be written with others in one transaction. */
export interface AttemptRecord {
  attempt: AttemptsTable
  delivery: Pick<
    DeliveriesTable,
    | 'id'
    | 'status'
    | 'attempts'
    | 'next_attempt_at'
    | 'last_status'
    | 'last_error'
    | 'finished_at'
    | 'latency_ms'
    | 'updated_at'
  >
}

export async function writeAttempts(
  db: Kysely<Database>,
  dialect: Dialect,
  records: AttemptRecord[],
  webhookFailures: Map<string, number>,
): Promise<void> {
  await relaxedTransaction(db, dialect, async (tx) => {
    for (let i = 0; i < records.length; i += 200) {
      await tx
        .insertInto('attempts')
        .values(records.slice(i, i + 200).map((record) => record.attempt))
        .execute()
    }
    // One UPDATE per delivery, compiled once per batch and run with each delivery's values.
    const columns = [
      'status',
      'attempts',
      'updated_at',
      'next_attempt_at',
      'last_status',
      'last_error',
      'finished_at',
      'latency_ms',
    ] as const
    const update = tx
      .updateTable('deliveries')
      .set({ ...Object.fromEntries(columns.map((column) => [column, 0])), lease_until: null })
      .where('id', '=', '')
      .compile()
    for (const { delivery } of records) {
      await tx.executeQuery(
        CompiledQuery.raw(update.sql, [...columns.map((column) => delivery[column]), null, delivery.id]),
      )
    }
    for (const [id, failures] of webhookFailures) {
      await tx.updateTable('webhooks').set({ consecutive_failures: failures }).where('id', '=', id).execute()
    }
  })
}

export async function insertDelivery(db: Kysely<Database>, row: DeliveriesTable): Promise<void> {
  await db.insertInto('deliveries').values(row).execute()
}

/** Inserts many deliveries in one transaction (SQLite caps the parameters of one statement). */
export async function insertDeliveries(db: Kysely<Database>, rows: DeliveriesTable[]): Promise<void> {
  if (rows.length === 0) return
  await db.transaction().execute(async (tx) => {
    for (let i = 0; i < rows.length; i += 400)
      await tx
        .insertInto('deliveries')
        .values(rows.slice(i, i + 400))
        .execute()
  })
}

export async function listDeliveries(
  db: Kysely<Database>,
  webhookId: string,
  options: { status?: DeliveryStatus; limit: number; cursor?: string },
): Promise<DeliveriesTable[]> {
  let query = db.selectFrom('deliveries').selectAll().where('webhook_id', '=', webhookId)
  if (options.status) query = query.where('status', '=', options.status)
  if (options.cursor) query = query.where('id', '<', options.cursor)
  return query.orderBy('id', 'desc').limit(options.limit).execute()
}

export async function findDelivery(
  db: Kysely<Database>,
  webhookId: string,
  id: string,
): Promise<DeliveriesTable | undefined> {
  return db
    .selectFrom('deliveries')
    .selectAll()
    .where('id', '=', id)
    .where('webhook_id', '=', webhookId)
    .executeTakeFirst()
}

export async function listAttempts(db: Kysely<Database>, deliveryId: string): Promise<AttemptsTable[]> {
  return db.selectFrom('attempts').selectAll().where('delivery_id', '=', deliveryId).orderBy('attempt').execute()
}

/** Makes a finished delivery due again now (same `webhook-id`); false if it is still pending or sending. */
export async function requeueDelivery(db: Kysely<Database>, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('deliveries')
    .set({ status: 'pending', next_attempt_at: now, finished_at: null, updated_at: now })
    .where('id', '=', id)
    .where('status', 'in', ['succeeded', 'failed'])
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** Pending deliveries of a webhook created before `before` (what a resume still has to drain). */
export async function countHeld(db: Kysely<Database>, webhookId: string, before: number): Promise<number> {
  const row = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('webhook_id', '=', webhookId)
    .where('status', 'in', ['pending', 'sending'])
    .where('created_at', '<=', before)
    .executeTakeFirst()
  return row?.count ?? 0
}

/** Deliveries not finished yet, for the queue-depth gauge. */
export async function queueDepth(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('status', 'in', ['pending', 'sending'])
    .executeTakeFirst()
  return row?.count ?? 0
}

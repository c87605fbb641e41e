import type { Kysely } from 'kysely'
import { enqueue } from './delivery-queue.ts'
import { startDrain } from './drains.ts'
import type { AttemptsTable, Database, DeliveriesTable, DeliveryStatus } from './schema.ts'
import { chunks } from './in-list.ts'

// Claimed deliveries are the queue's (`delivery-queue.ts`); named here too for the code that reads them.
export type { ClaimedDelivery } from './delivery-queue.ts'

/** Stores a delivery and queues it, already claimed by `claimedBy` (a test send attempts it at once). */
export async function insertDelivery(db: Kysely<Database>, row: DeliveriesTable, claimedBy: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('deliveries').values(row).execute()
    await enqueue(tx, [row], claimedBy)
  })
}

/** A delivery as shown: `sending` while its queue row is claimed. */
function shown(row: DeliveriesTable & { queue_claim: string | null }): DeliveriesTable {
  const { queue_claim, ...delivery } = row
  return queue_claim !== null && delivery.status === 'pending' ? { ...delivery, status: 'sending' } : delivery
}

/**
 * Inserts many deliveries in one transaction (SQLite caps the parameters of one statement). With
 * `drain` (a replay), their webhooks drain in order (`drains.ts`) from the same commit on, so no
 * node claims them out of order before the drain is marked.
 */
export async function insertDeliveries(
  db: Kysely<Database>,
  rows: DeliveriesTable[],
  { drain = false }: { drain?: boolean } = {},
): Promise<void> {
  if (rows.length === 0) return
  await db.transaction().execute(async (tx) => {
    if (drain) {
      const until = new Map<string, number>()
      for (const row of rows) until.set(row.webhook_id, Math.max(until.get(row.webhook_id) ?? 0, row.created_at))
      for (const [webhookId, at] of until) await startDrain(tx, webhookId, at)
    }
    for (const slice of chunks(rows)) await tx.insertInto('deliveries').values(slice).execute()
    await enqueue(
      tx,
      rows.filter((row) => row.status === 'pending'),
    )
  })
}

export async function listDeliveries(
  db: Kysely<Database>,
  webhookId: string,
  options: { status?: DeliveryStatus; limit: number; cursor?: string },
): Promise<DeliveriesTable[]> {
  let query = db
    .selectFrom('deliveries as d')
    .leftJoin('delivery_queue as q', 'q.delivery_id', 'd.id')
    .selectAll('d')
    .select('q.claimed_by as queue_claim')
    .where('d.webhook_id', '=', webhookId)
  const { status } = options
  if (status === 'sending') query = query.where('d.status', '=', 'pending').where('q.claimed_by', 'is not', null)
  else if (status === 'pending') query = query.where('d.status', '=', 'pending').where('q.claimed_by', 'is', null)
  else if (status) query = query.where('d.status', '=', status)
  if (options.cursor) query = query.where('d.id', '<', options.cursor)
  const rows = await query.orderBy('d.id', 'desc').limit(options.limit).execute()
  return rows.map(shown)
}

export async function findDelivery(
  db: Kysely<Database>,
  webhookId: string,
  id: string,
): Promise<DeliveriesTable | undefined> {
  const row = await db
    .selectFrom('deliveries as d')
    .leftJoin('delivery_queue as q', 'q.delivery_id', 'd.id')
    .selectAll('d')
    .select('q.claimed_by as queue_claim')
    .where('d.id', '=', id)
    .where('d.webhook_id', '=', webhookId)
    .executeTakeFirst()
  return row && shown(row)
}

/** A delivery's attempts, each with the body it sent (stored once per message, on the delivery). */
export async function listAttempts(db: Kysely<Database>, deliveryId: string): Promise<AttemptsTable[]> {
  const rows = await db
    .selectFrom('attempts as a')
    .innerJoin('deliveries as d', 'd.id', 'a.delivery_id')
    .selectAll('a')
    .select('d.body as message_body')
    .where('a.delivery_id', '=', deliveryId)
    .orderBy('a.attempt')
    .execute()
  return rows.map(({ message_body, ...attempt }) => ({
    ...attempt,
    request_body: attempt.request_body === '' ? (message_body ?? '') : attempt.request_body,
  }))
}

/** Makes a finished delivery due again now (same `webhook-id`); false if it is still pending or sending. */
export async function requeueDelivery(db: Kysely<Database>, id: string, now: number): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable('deliveries')
      .set({ status: 'pending', next_attempt_at: now, finished_at: null, updated_at: now })
      .where('id', '=', id)
      .where('status', 'in', ['succeeded', 'failed'])
      .returning(['id', 'webhook_id', 'next_attempt_at'])
      .executeTakeFirst()
    if (row) await enqueue(tx, [row])
    return row !== undefined
  })
}

/**
 * Whether an erasure cancelled the delivery (or its webhook went with it): read before an attempt
 * leaves anything lasting of its event besides its result. The stored status, not the queue claim,
 * since the write-behind may already have settled the claim of a delivery that was not erased.
 */
export async function isCancelled(db: Kysely<Database>, id: string): Promise<boolean> {
  const row = await db.selectFrom('deliveries').select('status').where('id', '=', id).executeTakeFirst()
  return row === undefined || row.status === 'erased'
}

import type SQLite from 'better-sqlite3'
import type { Kysely } from 'kysely'
import { relaxedTransaction } from './db.ts'
import { claimableInDrain, DRAIN_HEAD_SQL } from './drains.ts'
import { claimableInLane, keepLaneHeads, LANE_HEAD_SQL } from './lanes.ts'
import { storageThread } from './remote.ts'
import type { Database, DeliveriesTable, DeliveryQueueTable } from './schema.ts'
import { rawWrite } from './sqlite-raw.ts'
import type { Dialect } from './types.ts'
import { chunks } from './in-list.ts'

/**
 * The delivery columns a claim reads: what an attempt and its result need, no more (the claim is
 * the SQLite worker's most frequent read, so every column it skips is work saved per delivery).
 */
const CLAIMED_COLUMNS = [
  'id',
  'project_id',
  'webhook_id',
  'event_id',
  'msg_id',
  'kind',
  'session_id',
  'status',
  'attempts',
  'next_attempt_at',
  'event_received_at',
  'body',
  'out_of_order',
] as const satisfies readonly (keyof DeliveriesTable)[]

/** A delivery taken by a dispatcher, with the stored event it carries (null for a test delivery). */
export interface ClaimedDelivery extends Pick<DeliveriesTable, (typeof CLAIMED_COLUMNS)[number]> {
  event_body: string | null
  /** The node it is claimed by: its result is written only while that claim stands. */
  claimed_by: string
  /** The session lane it was the head of (`lanes.ts`), or null: unordered. */
  lane: string | null
  /** Its webhook's drain (`drains.ts`), or null: the webhook goes one at a time, oldest first, while set. */
  drain_until: number | null
}

export interface ClaimOptions {
  now: number
  limit: number
  /** The claiming node (`NodeLease.id`): the claim lasts as long as that node's lease. */
  node: string
  /** Webhooks that already have as many attempts in flight as they may. */
  exclude: string[]
  /** How many more of each webhook's deliveries may be claimed now: `byWebhook`, else `otherwise`. */
  room: { byWebhook: Map<string, number>; otherwise: number }
}

/**
 * Claims due deliveries of active webhooks, oldest first, for this node: only their queue rows are
 * written (`claimed_by`). On PostgreSQL the queue rows are locked with `FOR UPDATE SKIP LOCKED` so
 * several relay nodes never take the same one; a node that dies loses its claims with its lease
 * (`releaseLapsedClaims`). Of a session lane only the head is taken, and only while nothing else
 * of the lane is in flight (`lanes.ts`); of a draining webhook only its oldest unordered row
 * (`drains.ts`). `skipped` counts due deliveries left behind because their
 * webhook had no room. SQLite runs it as prepared statements (`claimSqlite`), PostgreSQL through Kysely.
 */
export async function claimDue(
  db: Kysely<Database>,
  dialect: Dialect,
  options: ClaimOptions,
): Promise<{ claimed: ClaimedDelivery[]; skipped: number }> {
  const thread = storageThread(db)
  if (thread) return thread.run('claimDue', [dialect, options])
  const raw = await rawWrite(db, true, (file) => claimSqlite(file, options))
  if (raw) return raw.value
  return relaxedTransaction(db, dialect, async (tx) => {
    let query = tx
      .selectFrom('delivery_queue as q')
      .innerJoin('deliveries as d', 'd.id', 'q.delivery_id')
      .innerJoin('webhooks as w', 'w.id', 'q.webhook_id')
      // The delivery's own event: ids are unique per environment only (`0066`).
      .leftJoin('events as e', (join) =>
        join
          .onRef('e.project_id', '=', 'd.project_id')
          .onRef('e.environment', '=', 'd.event_environment')
          .onRef('e.id', '=', 'd.event_id'),
      )
      .select(CLAIMED_COLUMNS.map((column) => `d.${column}` as const))
      .select(['e.body as event_body', 'q.lane', 'w.drain_until'])
      .where('q.claimed_by', 'is', null)
      .where('q.next_attempt_at', '<=', options.now)
      .where('w.status', '=', 'active')
      .where(claimableInLane)
      .where(claimableInDrain)
    if (options.exclude.length > 0) query = query.where('q.webhook_id', 'not in', options.exclude)
    query = query.orderBy('q.next_attempt_at').orderBy('q.delivery_id').limit(options.limit)
    if (dialect === 'postgres') query = query.forUpdate('q').skipLocked()
    const candidates = await query.execute()

    const roomy = withinRoom(candidates, options.room)
    const skipped = candidates.length - roomy.length
    const picked = await keepLaneHeads(tx, dialect, roomy)
    if (picked.length === 0) return { claimed: [], skipped }
    for (const slice of chunks(picked)) {
      await tx
        .updateTable('delivery_queue')
        .set({ claimed_by: options.node })
        .where(
          'delivery_id',
          'in',
          slice.map((row) => row.id),
        )
        .execute()
    }
    return {
      claimed: picked.map((row) => ({ ...row, status: 'sending' as const, claimed_by: options.node })),
      skipped,
    }
  })
}

/** The candidates each webhook has room for, oldest first. */
function withinRoom<T extends { webhook_id: string }>(
  candidates: T[],
  { byWebhook, otherwise }: ClaimOptions['room'],
): T[] {
  const taken = new Map<string, number>()
  return candidates.filter((row) => {
    const count = taken.get(row.webhook_id) ?? 0
    if (count >= (byWebhook.get(row.webhook_id) ?? otherwise)) return false
    taken.set(row.webhook_id, count + 1)
    return true
  })
}

// The claim's read on SQLite, as the Kysely query above builds it; `IN` lists are appended.
const CLAIM_SQL = `SELECT ${CLAIMED_COLUMNS.map((column) => `d.${column}`).join(', ')}, e.body AS event_body, q.lane, w.drain_until FROM delivery_queue AS q
  INNER JOIN deliveries AS d ON d.id = q.delivery_id
  INNER JOIN webhooks AS w ON w.id = q.webhook_id
  LEFT JOIN events AS e ON e.project_id = d.project_id AND e.environment = d.event_environment AND e.id = d.event_id
  WHERE q.claimed_by IS NULL AND q.next_attempt_at <= ? AND w.status = 'active' AND ${LANE_HEAD_SQL}
    AND ${DRAIN_HEAD_SQL}`
const CLAIM_ORDER = ' ORDER BY q.next_attempt_at, q.delivery_id LIMIT ?'

/**
 * SQLite's claim, in one synchronous call of prepared statements (`sqlite-raw.ts`). One writer at a
 * time, so what the read found still holds when the rows are marked; lane heads need no second look.
 */
function claimSqlite(file: SQLite.Database, options: ClaimOptions): { claimed: ClaimedDelivery[]; skipped: number } {
  const { exclude, node } = options
  const notIn = exclude.length > 0 ? ` AND q.webhook_id NOT IN (${exclude.map(() => '?').join(', ')})` : ''
  const candidates = file.prepare(CLAIM_SQL + notIn + CLAIM_ORDER).all(options.now, ...exclude, options.limit) as Omit<
    ClaimedDelivery,
    'claimed_by'
  >[]
  const picked = withinRoom(candidates, options.room)
  const mark = file.prepare('UPDATE delivery_queue SET claimed_by = ? WHERE delivery_id = ?')
  const claimed: ClaimedDelivery[] = []
  for (const row of picked) {
    mark.run(node, row.id)
    claimed.push(Object.assign(row, { status: 'sending' as const, claimed_by: node }))
  }
  return { claimed, skipped: candidates.length - picked.length }
}

/**
 * After a restart of the only node (SQLite): whatever was being sent when it died is due again.
 * (Several PostgreSQL nodes release only the claims of nodes whose lease ran out: `releaseLapsedClaims`.)
 */
export async function releaseInFlight(db: Kysely<Database>): Promise<number> {
  const result = await db
    .updateTable('delivery_queue')
    .set({ claimed_by: null })
    .where('claimed_by', 'is not', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

/**
 * When the next delivery scheduled for later (a retry) comes due, or null. Deliveries due now are
 * found by claims; this only sets the dispatcher's alarm clock, so it reads one index entry.
 */
export async function nextDueAt(db: Kysely<Database>, now: number): Promise<number | null> {
  const row = await db
    .selectFrom('delivery_queue')
    .select('next_attempt_at')
    .where('claimed_by', 'is', null)
    .where('next_attempt_at', '>', now)
    .orderBy('next_attempt_at')
    .limit(1)
    .executeTakeFirst()
  return row ? row.next_attempt_at : null
}

/**
 * A resumed webhook's held deliveries, all due now, so that claims take them by id, the order they
 * were made in. Left alone, those with a failed attempt would go by the retry times their failures
 * set, which follow the order the attempts happened to fail in, not the order of the events.
 */
export async function heldDueNow(db: Kysely<Database>, webhookId: string, now: number): Promise<void> {
  await db
    .updateTable('delivery_queue')
    .set({ next_attempt_at: now })
    .where('webhook_id', '=', webhookId)
    .where('claimed_by', 'is', null)
    .execute()
}

/** Hands this node's claims back unsent (the dispatcher is stopping, or their webhook was paused). */
export async function releaseDeliveries(db: Kysely<Database>, node: string, ids: string[]): Promise<void> {
  for (const slice of chunks(ids)) {
    await db
      .updateTable('delivery_queue')
      .set({ claimed_by: null })
      .where('delivery_id', 'in', slice)
      .where('claimed_by', '=', node)
      .execute()
  }
}

/**
 * Queues stored deliveries (`claimedBy`: already taken by that node, as a test send is). One with a
 * `lane_key` waits in its session's lane; one without (or requeued by hand) goes unordered.
 */
export async function enqueue(db: Kysely<Database>, rows: Queueable[], claimedBy: string | null = null): Promise<void> {
  for (const slice of chunks(rows)) {
    await db
      .insertInto('delivery_queue')
      .values(slice.map((row) => queueRow(row, claimedBy)))
      .execute()
  }
}

type Queueable = Pick<DeliveriesTable, 'id' | 'webhook_id' | 'next_attempt_at'> &
  Partial<Pick<DeliveriesTable, 'session_id' | 'lane_key'>>

/** A delivery's queue row: in its session's lane if it has a `lane_key`, else unordered. */
export function queueRow(row: Queueable, claimedBy: string | null): DeliveryQueueTable {
  const laned = Boolean(row.lane_key && row.session_id)
  return {
    delivery_id: row.id,
    webhook_id: row.webhook_id,
    next_attempt_at: row.next_attempt_at,
    claimed_by: claimedBy,
    lane: laned ? (row.session_id ?? null) : null,
    lane_key: laned ? (row.lane_key ?? null) : null,
  }
}

/** Deliveries not finished yet, for the queue-depth gauge. */
export async function queueDepth(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('delivery_queue')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirst()
  return row?.count ?? 0
}

import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from './schema.ts'
import type { Dialect } from './types.ts'

// Session lanes (a webhook's `ordering: "session"`): the queue rows of one (webhook, session) go
// out one at a time, in `lane_key` order. Nothing marks a lane's head: a claim works it out from the
// queue itself, so no insert, retry, erasure or lapsed lease has a head to keep up to date.

/**
 * For a claim reading `delivery_queue AS q`: the row is unordered, or it is its lane's head —
 * nothing of its lane sorts before it (a retry waiting for its time still holds the lane), and
 * nothing of its lane is in flight (a late event that sorts first waits for the one being sent).
 */
export const LANE_HEAD_SQL = `(q.lane IS NULL OR NOT EXISTS (
  SELECT 1 FROM delivery_queue AS p
  WHERE p.webhook_id = q.webhook_id AND p.lane = q.lane
    AND (p.lane_key < q.lane_key OR p.claimed_by IS NOT NULL)))`
export const claimableInLane = sql.raw<boolean>(LANE_HEAD_SQL)

interface LaneRow {
  id: string
  webhook_id: string
  lane: string | null
}

/**
 * Keeps the lane rows among `rows` that this claim may take. SQLite has one writer, so what the
 * claim read still holds. On PostgreSQL two nodes can each read a lane before the other's claim
 * commits, so each takes its lanes' transaction locks first (a lane another claim holds right now
 * is skipped this time) and then reads their heads afresh, seeing every claim that committed
 * before its lock was granted. Unordered rows are always kept.
 */
export async function keepLaneHeads<T extends LaneRow>(
  tx: Transaction<Database>,
  dialect: Dialect,
  rows: T[],
): Promise<T[]> {
  const laned = rows.filter((row) => row.lane !== null)
  if (dialect === 'sqlite' || laned.length === 0) return rows
  const laneOf = (row: LaneRow) => `${row.webhook_id} ${row.lane ?? ''}`
  const lanes = [...new Set(laned.map(laneOf))]
  const { rows: locked } = await sql<{ lane: string }>`
    SELECT v.lane FROM (VALUES ${sql.join(lanes.map((lane) => sql`(${lane}::text)`))}) AS v(lane)
    WHERE pg_try_advisory_xact_lock(hashtextextended(current_schema() || ' ' || v.lane, 0))`.execute(tx)
  const mine = new Set(locked.map((row) => row.lane))
  const ids = laned.filter((row) => mine.has(laneOf(row))).map((row) => row.id)
  const heads = new Set<string>()
  if (ids.length > 0) {
    const { rows: still } = await sql<{ id: string }>`
      SELECT q.delivery_id AS id FROM delivery_queue AS q
      WHERE q.delivery_id IN (${sql.join(ids)}) AND ${claimableInLane}`.execute(tx)
    for (const row of still) heads.add(row.id)
  }
  return rows.filter((row) => row.lane === null || heads.has(row.id))
}

/** A lane's sort key: the event's time (ms, zero-padded so text sorts as numbers do), then its id. */
export function laneKey(ts: string, eventId: string): string {
  const ms = Date.parse(ts)
  return `${String(Number.isFinite(ms) ? Math.max(0, ms) : 0).padStart(15, '0')} ${eventId}`
}

/** A webhook's ordering was turned off: what waits in its lanes goes unordered, at once. */
export async function unorderLanes(db: Kysely<Database>, webhookId: string): Promise<void> {
  await db
    .updateTable('delivery_queue')
    .set({ lane: null, lane_key: null })
    .where('webhook_id', '=', webhookId)
    .where('lane', 'is not', null)
    .execute()
}

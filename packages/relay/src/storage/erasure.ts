import { sql, type Kysely } from 'kysely'
import type { Database } from './schema.ts'
import type { Dialect } from './types.ts'
import { chunks } from './in-list.ts'

/** What one erasure removed or cancelled. */
export interface ErasureCounts {
  events: number
  /** Pending deliveries of those events, cancelled and logged as `erased`. */
  deliveriesCancelled: number
  /** Attempts whose request and response bodies were wiped. */
  attempts: number
  /** Stream frames (the stored variables of the sessions) deleted. */
  frames: number
}

export type Subject = { sessionId: string } | { userId: string }

type EventRow = { id: string; session_id: string; environment: 'test' | 'live' }

/** The `user.id` of an event's body, null when it has none. */
function userIdOf(dialect: Dialect) {
  return dialect === 'postgres'
    ? sql<string>`(body::json -> 'user' ->> 'id')`
    : sql<string>`json_extract(body, '$.user.id')`
}

/**
 * The events with no user id in the sessions (of the same environment) where the user's events are:
 * what the session sent before `identify`, or after an identity was dropped, belongs to that user.
 */
async function anonymousEventsOf(
  tx: Kysely<Database>,
  dialect: Dialect,
  projectId: string,
  userRows: EventRow[],
): Promise<EventRow[]> {
  const identified = new Set(userRows.map((row) => `${row.environment} ${row.session_id}`))
  const sessions = [...new Set(userRows.map((row) => row.session_id))]
  const found: EventRow[] = []
  for (const slice of chunks(sessions)) {
    const rows = await tx
      .selectFrom('events')
      .select(['id', 'session_id', 'environment'])
      .where('project_id', '=', projectId)
      .where('session_id', 'in', slice)
      .where(userIdOf(dialect), 'is', null)
      .execute()
    found.push(...rows.filter((row) => identified.has(`${row.environment} ${row.session_id}`)))
  }
  return found
}

/**
 * Erases one subject of a project in one transaction: its events, the bodies its attempts sent
 * and received, the stream frames (stored variables) of its sessions; its pending deliveries are
 * cancelled (`erased`), never sent. A user's sessions are those of its events; in them, the events
 * with no user id (sent before `identify`) are the user's too, as Segment and PostHog count an
 * anonymous session a user identified in; events carrying another user's id stay.
 */
export async function eraseSubject(
  db: Kysely<Database>,
  dialect: Dialect,
  projectId: string,
  subject: Subject,
  now: number,
): Promise<ErasureCounts> {
  return db.transaction().execute(async (tx) => {
    let events = tx.selectFrom('events').select(['id', 'session_id', 'environment']).where('project_id', '=', projectId)
    if ('sessionId' in subject) events = events.where('session_id', '=', subject.sessionId)
    else events = events.where(userIdOf(dialect), '=', subject.userId)
    const rows: EventRow[] = await events.execute()
    const sessions = 'sessionId' in subject ? [subject.sessionId] : [...new Set(rows.map((row) => row.session_id))]
    if ('userId' in subject) rows.push(...(await anonymousEventsOf(tx, dialect, projectId, rows)))
    const counts: ErasureCounts = { events: 0, deliveriesCancelled: 0, attempts: 0, frames: 0 }
    // An id is unique per environment only (`0066`): each environment's events, and the deliveries
    // that carry them, are erased apart, so the other environment's event of the same id stays.
    for (const environment of ['test', 'live'] as const) {
      const eventIds = rows.filter((row) => row.environment === environment).map((row) => row.id)
      for (const ids of chunks(eventIds)) {
        await tx
          .deleteFrom('delivery_queue')
          .where('delivery_id', 'in', (eb) =>
            eb
              .selectFrom('deliveries')
              .select('id')
              .where('project_id', '=', projectId)
              .where('event_id', 'in', ids)
              .where('event_environment', '=', environment)
              .where('status', 'in', ['pending', 'sending']),
          )
          .execute()
        const cancelled = await tx
          .updateTable('deliveries')
          .set({ status: 'erased', finished_at: now, updated_at: now, last_error: 'Erased.' })
          .where('project_id', '=', projectId)
          .where('event_id', 'in', ids)
          .where('event_environment', '=', environment)
          .where('status', 'in', ['pending', 'sending'])
          .executeTakeFirst()
        counts.deliveriesCancelled += Number(cancelled.numUpdatedRows)
        const wiped = await tx
          .updateTable('attempts')
          .set({ request_body: '', response_body: null })
          .where('project_id', '=', projectId)
          .where('delivery_id', 'in', (eb) =>
            eb
              .selectFrom('deliveries')
              .select('id')
              .where('project_id', '=', projectId)
              .where('event_id', 'in', ids)
              .where('event_environment', '=', environment),
          )
          .executeTakeFirst()
        counts.attempts += Number(wiped.numUpdatedRows)
        // Attempts that sent the delivery's body unchanged keep it once, on the delivery.
        await tx
          .updateTable('deliveries')
          .set({ body: null })
          .where('project_id', '=', projectId)
          .where('event_id', 'in', ids)
          .where('event_environment', '=', environment)
          .execute()
        const deleted = await tx
          .deleteFrom('events')
          .where('project_id', '=', projectId)
          .where('environment', '=', environment)
          .where('id', 'in', ids)
          .executeTakeFirst()
        counts.events += Number(deleted.numDeletedRows)
      }
    }
    for (const slice of chunks(sessions)) {
      const frames = await tx
        .deleteFrom('stream_frames')
        .where('project_id', '=', projectId)
        .where('session_id', 'in', slice)
        .executeTakeFirst()
      counts.frames += Number(frames.numDeletedRows)
    }
    return counts
  })
}

import { sql, type Kysely } from 'kysely'
import type { Database } from './schema.ts'

// Deliveries still to be sent (pending, held, in flight): retention never touches them or their event.
const UNFINISHED = ['pending', 'sending'] as const

/**
 * Deletes one batch (at most `limit` rows) of what is older than `cutoff` from each table, in
 * an order that never orphans a row: attempts of finished deliveries, finished deliveries that
 * have no attempts left, events no unfinished delivery carries, and stream frames. Answers how
 * many rows each delete took.
 */
export async function pruneBatch(
  db: Kysely<Database>,
  cutoff: number,
  limit: number,
): Promise<{ attempts: number; deliveries: number; events: number; frames: number }> {
  const attempts = await db
    .deleteFrom('attempts')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('attempts as a')
        .innerJoin('deliveries as d', 'd.id', 'a.delivery_id')
        .select('a.id')
        .where('a.started_at', '<', cutoff)
        .where('d.status', 'not in', UNFINISHED)
        .limit(limit),
    )
    .executeTakeFirst()
  const deliveries = await db
    .deleteFrom('deliveries')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('deliveries as d')
        .select('d.id')
        .where('d.created_at', '<', cutoff)
        .where('d.status', 'not in', UNFINISHED)
        .where((inner) =>
          inner.not(
            inner.exists(
              inner
                .selectFrom('attempts as a')
                .select(sql`1`.as('one'))
                .whereRef('a.delivery_id', '=', 'd.id'),
            ),
          ),
        )
        .limit(limit),
    )
    .executeTakeFirst()
  const old = await db
    .selectFrom('events as e')
    .select(['e.project_id', 'e.environment', 'e.id'])
    .where('e.received_at', '<', cutoff)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('deliveries as d')
            .select(sql`1`.as('one'))
            .whereRef('d.project_id', '=', 'e.project_id')
            .whereRef('d.event_id', '=', 'e.id')
            .where('d.status', 'in', UNFINISHED),
        ),
      ),
    )
    .limit(limit)
    .execute()
  // By project and environment: an id is unique only there (`0066`), and the other environment's
  // event of the same id may be young.
  const byScope = new Map<string, { projectId: string; environment: 'test' | 'live'; ids: string[] }>()
  for (const row of old) {
    const key = `${row.project_id} ${row.environment}`
    const scope = byScope.get(key) ?? { projectId: row.project_id, environment: row.environment, ids: [] }
    scope.ids.push(row.id)
    byScope.set(key, scope)
  }
  let events = 0
  for (const { projectId, environment, ids } of byScope.values()) {
    const result = await db
      .deleteFrom('events')
      .where('project_id', '=', projectId)
      .where('environment', '=', environment)
      .where('id', 'in', ids)
      .executeTakeFirst()
    events += Number(result.numDeletedRows)
  }
  const frames = await db
    .deleteFrom('stream_frames')
    .where('seq', 'in', (eb) =>
      eb.selectFrom('stream_frames').select('seq').where('created_at', '<', cutoff).limit(limit),
    )
    .executeTakeFirst()
  return {
    attempts: Number(attempts.numDeletedRows),
    deliveries: Number(deliveries.numDeletedRows),
    events,
    frames: Number(frames.numDeletedRows),
  }
}

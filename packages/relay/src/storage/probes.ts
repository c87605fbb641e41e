import type { Kysely } from 'kysely'
import type { ClaimedDelivery } from './deliveries.ts'
import { claimableInLane, keepLaneHeads } from './lanes.ts'
import type { Database } from './schema.ts'
import type { Dialect } from './types.ts'

// Recovery probing of paused webhooks (delivery/recovery.ts).

/** Webhooks paused by failures whose next recovery probe is due. */
export async function dueProbes(
  db: Kysely<Database>,
  now: number,
): Promise<{ id: string; next_probe_at: number; probe_step: number }[]> {
  const rows = await db
    .selectFrom('webhooks')
    .select(['id', 'next_probe_at', 'probe_step'])
    .where('status', '=', 'paused')
    .where('paused_by', '=', 'failures')
    .where('next_probe_at', '<=', now)
    .orderBy('next_probe_at')
    .limit(50)
    .execute()
  return rows.flatMap(({ id, next_probe_at, probe_step }) =>
    next_probe_at === null ? [] : [{ id, next_probe_at, probe_step }],
  )
}

/**
 * Takes a due probe: moves the webhook's next probe on, only if no one did meanwhile (another
 * relay node); true when this caller won and should probe now.
 */
export async function takeProbe(
  db: Kysely<Database>,
  id: string,
  due: number,
  next: { at: number | null; step: number },
): Promise<boolean> {
  const result = await db
    .updateTable('webhooks')
    .set({ next_probe_at: next.at, probe_step: next.step })
    .where('id', '=', id)
    .where('status', '=', 'paused')
    .where('paused_by', '=', 'failures')
    .where('next_probe_at', '=', due)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/**
 * Claims a paused webhook's oldest held delivery for a probe, for this node (its queue row's
 * `claimed_by`), with the event it carries; undefined when nothing is held or another node took it.
 * Of a session lane it may take only the head (`lanes.ts`), so a probe never sends out of order.
 */
export async function claimOldestHeld(
  db: Kysely<Database>,
  dialect: Dialect,
  webhookId: string,
  node: string,
): Promise<ClaimedDelivery | undefined> {
  return db.transaction().execute(async (tx) => {
    const found = await tx
      .selectFrom('delivery_queue as q')
      .innerJoin('deliveries as d', 'd.id', 'q.delivery_id')
      // The delivery's own event: ids are unique per environment only (`0066`).
      .leftJoin('events as e', (join) =>
        join
          .onRef('e.project_id', '=', 'd.project_id')
          .onRef('e.environment', '=', 'd.event_environment')
          .onRef('e.id', '=', 'd.event_id'),
      )
      .selectAll('d')
      .select(['e.body as event_body', 'q.lane'])
      .where('q.webhook_id', '=', webhookId)
      .where('q.claimed_by', 'is', null)
      .where(claimableInLane)
      .orderBy('d.created_at')
      .orderBy('d.id')
      .limit(1)
      .execute()
    const [row] = await keepLaneHeads(tx, dialect, found)
    if (!row) return undefined
    const result = await tx
      .updateTable('delivery_queue')
      .set({ claimed_by: node })
      .where('delivery_id', '=', row.id)
      .where('claimed_by', 'is', null)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) === 0) return undefined
    // A paused webhook drains nothing yet: its drain starts when the probe resumes it.
    return { ...row, status: 'sending' as const, claimed_by: node, drain_until: null }
  })
}

import type { Kysely } from 'kysely'
import type { Environment } from '@hookline/protocol'
import type { Database, DeliveryStatus } from './schema.ts'

export interface ReplayRange {
  projectId: string
  environment: Environment
  /** Received at or after, ms. */
  since: number
  /** Received before, ms. */
  until: number
  sessionId?: string
}

/** A page of the events a replay looks at, in event order (`ts`, then `id`), after `after`. */
export async function replayPage(
  db: Kysely<Database>,
  range: ReplayRange,
  after: { ts: string; id: string } | null,
  limit: number,
): Promise<{ id: string; name: string; ts: string; body: string }[]> {
  let query = db
    .selectFrom('events')
    .select(['id', 'name', 'ts', 'body'])
    .where('project_id', '=', range.projectId)
    .where('environment', '=', range.environment)
    .where('received_at', '>=', range.since)
    .where('received_at', '<', range.until)
  if (range.sessionId !== undefined) query = query.where('session_id', '=', range.sessionId)
  if (after)
    query = query.where((eb) =>
      eb.or([eb('ts', '>', after.ts), eb.and([eb('ts', '=', after.ts), eb('id', '>', after.id)])]),
    )
  return query.orderBy('ts').orderBy('id').limit(limit).execute()
}

/** The statuses of a webhook's deliveries of these events, by event id. */
export async function deliveryStatuses(
  db: Kysely<Database>,
  projectId: string,
  webhookId: string,
  eventIds: string[],
): Promise<Map<string, DeliveryStatus[]>> {
  const statuses = new Map<string, DeliveryStatus[]>()
  if (eventIds.length === 0) return statuses
  const rows = await db
    .selectFrom('deliveries')
    .select(['event_id', 'status'])
    .where('project_id', '=', projectId)
    .where('event_id', 'in', eventIds)
    .where('webhook_id', '=', webhookId)
    .where('kind', '=', 'event')
    .execute()
  for (const row of rows) statuses.set(row.event_id, [...(statuses.get(row.event_id) ?? []), row.status])
  return statuses
}

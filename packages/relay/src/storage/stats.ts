import { RESERVED_PREFIX } from '@hookline/protocol'
import type { Kysely } from 'kysely'
import type { Database } from './schema.ts'

export interface EventFigures {
  events: number
  sessions: number
  valid: number
}

export interface DeliveryFigures {
  webhookId: string
  succeeded: number
  failed: number
  pending: number
}

/** Events received since `since`: how many, from how many sessions, how many passed their schema. */
export async function eventFigures(db: Kysely<Database>, projectId: string, since: number): Promise<EventFigures> {
  const row = await db
    .selectFrom('events')
    .select((eb) => [
      eb.fn.countAll<number>().as('events'),
      eb.fn.count<number>('session_id').distinct().as('sessions'),
      eb.fn.sum<number | null>('valid').as('valid'),
    ])
    .where('project_id', '=', projectId)
    .where('received_at', '>=', since)
    // The relay's operational events (its own session) are not the prototype's: they count in no figure here.
    .where('name', 'not like', `${RESERVED_PREFIX}%`)
    .executeTakeFirst()
  return { events: row?.events ?? 0, sessions: row?.sessions ?? 0, valid: row?.valid ?? 0 }
}

/** Deliveries of events created since `since`, by webhook and outcome (test sends left out). */
export async function deliveryFigures(
  db: Kysely<Database>,
  projectId: string,
  since: number,
): Promise<DeliveryFigures[]> {
  const rows = await db
    .selectFrom('deliveries')
    .select(['webhook_id', 'status', (eb) => eb.fn.countAll<number>().as('count')])
    .where('project_id', '=', projectId)
    .where('kind', '=', 'event')
    .where('created_at', '>=', since)
    // Never sent: a filtered-out event or an erased delivery is no success and no failure.
    .where('status', 'not in', ['filtered', 'erased'])
    .groupBy(['webhook_id', 'status'])
    .execute()
  const byWebhook = new Map<string, DeliveryFigures>()
  for (const row of rows) {
    const figures = byWebhook.get(row.webhook_id) ?? { webhookId: row.webhook_id, succeeded: 0, failed: 0, pending: 0 }
    const count = row.count
    if (row.status === 'succeeded') figures.succeeded += count
    else if (row.status === 'failed') figures.failed += count
    else figures.pending += count
    byWebhook.set(row.webhook_id, figures)
  }
  return [...byWebhook.values()]
}

export interface AttemptFigures {
  webhookId: string
  /** Attempts answered with a 2xx. */
  succeeded: number
  /** Attempts answered otherwise, or not answered at all. */
  failed: number
}

/**
 * Attempts started since `since`, by webhook, answered with a 2xx or not (test sends left out).
 * Unlike the deliveries' final states, every refused try counts: ten 503s and a 200 are one
 * delivered delivery, and one success in eleven attempts.
 */
export async function attemptFigures(
  db: Kysely<Database>,
  projectId: string,
  since: number,
): Promise<AttemptFigures[]> {
  const rows = await db
    .selectFrom('attempts')
    .innerJoin('deliveries', 'deliveries.id', 'attempts.delivery_id')
    .select(['attempts.webhook_id', 'attempts.response_status', (eb) => eb.fn.countAll<number>().as('count')])
    .where('attempts.project_id', '=', projectId)
    .where('deliveries.kind', '=', 'event')
    .where('attempts.started_at', '>=', since)
    .groupBy(['attempts.webhook_id', 'attempts.response_status'])
    .execute()
  const byWebhook = new Map<string, AttemptFigures>()
  for (const row of rows) {
    const figures = byWebhook.get(row.webhook_id) ?? { webhookId: row.webhook_id, succeeded: 0, failed: 0 }
    const count = row.count
    if (row.response_status >= 200 && row.response_status < 300) figures.succeeded += count
    else figures.failed += count
    byWebhook.set(row.webhook_id, figures)
  }
  return [...byWebhook.values()]
}

/** Event-to-delivery latencies (ms) of the most recent successful deliveries, by webhook. */
export async function recentLatencies(
  db: Kysely<Database>,
  projectId: string,
  since: number,
  limit = 5000,
): Promise<{ webhookId: string; latencyMs: number }[]> {
  const rows = await db
    .selectFrom('deliveries')
    .select(['webhook_id', 'latency_ms'])
    .where('project_id', '=', projectId)
    .where('kind', '=', 'event')
    .where('status', '=', 'succeeded')
    .where('finished_at', '>=', since)
    .orderBy('finished_at', 'desc')
    .limit(limit)
    .execute()
  return rows.map((row) => ({ webhookId: row.webhook_id, latencyMs: row.latency_ms ?? 0 }))
}

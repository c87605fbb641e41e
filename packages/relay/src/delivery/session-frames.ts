import { readJsonPath, type Json, type JsonObject } from '@hookline/protocol'
import type { Logger } from '../observability/log.ts'
import type { ClaimedDelivery } from '../storage/delivery-queue.ts'
import type { Webhook } from '../storage/webhooks.ts'
import type { FrameSink } from '../stream/frames.ts'
import type { AttemptOutcome } from './attempt.ts'

/**
 * What the session that fired an event hears of its delivery: a `delivery` frame per attempt, and,
 * when the endpoint answered 2xx and the webhook maps its answer (`response.set`), a `vars` frame
 * with the variables read from it. A frame that fails is logged; the delivery stands.
 */
export async function tellSession(
  frames: FrameSink,
  log: Logger,
  row: ClaimedDelivery & { session_id: string },
  webhook: Webhook,
  { attempt, result, verdict }: AttemptOutcome,
): Promise<void> {
  try {
    frames.delivery(row.project_id, row.session_id, {
      eventId: row.event_id,
      webhookId: webhook.id,
      attempt,
      status: result.status,
      ok: verdict.outcome === 'delivered',
      latencyMs: result.latencyMs,
      final: verdict.outcome !== 'retry',
      ...(verdict.outcome === 'delivered' ? {} : { error: verdict.reason }),
    })
    if (verdict.outcome !== 'delivered' || !webhook.response) return
    const set = mapResponse(result.body, webhook.response.set)
    if (set)
      await frames.vars(
        row.project_id,
        { session: row.session_id },
        set,
        { kind: 'response', id: row.id },
        webhook.environment,
      )
  } catch (error) {
    log.warn('stream frame failed', { deliveryId: row.id, error: error as Error })
  }
}

/** Variables from a JSON answer by the webhook's `response.set` paths; null when nothing matched. */
export function mapResponse(body: string | null, paths: Record<string, string>): JsonObject | null {
  if (!body) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return null
  }
  const set: JsonObject = {}
  for (const [name, path] of Object.entries(paths)) {
    const value = readJsonPath(parsed, path)
    if (value !== undefined) set[name] = value as Json
  }
  return Object.keys(set).length > 0 ? set : null
}

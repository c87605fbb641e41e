import type { Kysely } from 'kysely'
import { matchesEvent, type HooklineEvent, type WebhookReplay, type WebhookReplayed } from '@hookline/protocol'
import { deliveryRow } from '../domain/fan-out.ts'
import { filterAdmits } from '../domain/webhook-filter.ts'
import { insertDeliveries } from '../storage/deliveries.ts'
import { deliveryStatuses, replayPage } from '../storage/replay.ts'
import type { Database, DeliveriesTable } from '../storage/schema.ts'
import type { Webhook } from '../storage/webhooks.ts'

const PAGE = 500
/** The most events one replay queues; past it the answer says `more` and the caller replays again from there. */
export const REPLAY_CAP = 10_000

/**
 * Bulk replay: queues, as new deliveries to this webhook in event order (`ts`, then `id`), the
 * project's events of the webhook's environment received in [since, until) that it subscribes
 * to and its filter admits. Skipped: events it already received (unless `includeDelivered`), events
 * still waiting to be sent to it (never twice in its queue), and with `onlyFailed` those whose
 * delivery to it never failed. Each page is written in one statement, so a page is queued whole.
 */
export async function replay(
  db: Kysely<Database>,
  webhook: Webhook,
  request: WebhookReplay,
  now = Date.now(),
): Promise<WebhookReplayed> {
  const range = {
    projectId: webhook.projectId,
    environment: webhook.environment,
    since: Date.parse(request.since),
    until: request.until === undefined ? now + 1 : Date.parse(request.until),
    sessionId: request.sessionId,
  }
  const answer: WebhookReplayed = {
    queued: 0,
    skipped: { delivered: 0, queued: 0, filtered: 0, notFailed: 0 },
    more: false,
  }
  let after: { ts: string; id: string } | null = null
  for (;;) {
    const page = await replayPage(db, range, after, PAGE)
    const last = page.at(-1)
    if (!last) break
    after = { ts: last.ts, id: last.id }
    const subscribed = page.filter((row) => matchesEvent(webhook.events, row.name))
    const statuses = await deliveryStatuses(
      db,
      webhook.projectId,
      webhook.id,
      subscribed.map((row) => row.id),
    )
    const rows: DeliveriesTable[] = []
    for (const row of subscribed) {
      const seen = statuses.get(row.id) ?? []
      if (seen.some((status) => status === 'pending' || status === 'sending')) answer.skipped.queued++
      else if (!request.includeDelivered && seen.includes('succeeded')) answer.skipped.delivered++
      else if (request.onlyFailed && !seen.includes('failed')) answer.skipped.notFailed++
      else {
        const event = JSON.parse(row.body) as HooklineEvent
        if (!filterAdmits(webhook, event)) answer.skipped.filtered++
        else rows.push(deliveryRow(webhook, event, now))
      }
      if (answer.queued + rows.length >= REPLAY_CAP) {
        answer.more = true
        break
      }
    }
    await insertDeliveries(db, rows, { drain: true })
    answer.queued += rows.length
    if (answer.more || page.length < PAGE) break
  }
  return answer
}

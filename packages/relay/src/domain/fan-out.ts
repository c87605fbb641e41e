import { matchesEvent, newId, type HooklineEvent } from '@hookline/protocol'
import { laneKey } from '../storage/lanes.ts'
import type { DeliveriesTable } from '../storage/schema.ts'
import type { Webhook } from '../storage/webhooks.ts'
import { filterAdmits } from './webhook-filter.ts'

/**
 * The deliveries one stored event fans out to: one per subscribed webhook (ingest, operational
 * events and replay all go through here, so they agree on who gets what). A webhook whose filter
 * leaves the event out gets a `filtered` row, never sent, so the event log can say so. `except`
 * leaves one webhook out: an operational event is never sent to the webhook it is about.
 */
export function deliveriesFor(
  subscribers: readonly Webhook[],
  event: HooklineEvent,
  now: number,
  options: { except?: string; sessionLane?: boolean } = {},
): DeliveriesTable[] {
  return subscribers
    .filter((webhook) => webhook.id !== options.except && matchesEvent(webhook.events, event.name))
    .map((webhook) => {
      const row = deliveryRow(webhook, event, now, options.sessionLane ?? true)
      return filterAdmits(webhook, event) ? row : { ...row, status: 'filtered' as const, finished_at: now }
    })
}

/**
 * A pending delivery of `event` to `webhook`; `sessionLane: false` ties it to no browser session.
 * A webhook with `ordering: "session"` puts it in its session's lane, in event order (`ts`, then `id`).
 */
export function deliveryRow(webhook: Webhook, event: HooklineEvent, now: number, sessionLane = true): DeliveriesTable {
  return {
    id: newId('dlv'),
    project_id: webhook.projectId,
    webhook_id: webhook.id,
    event_id: event.id,
    event_environment: webhook.environment,
    msg_id: newId('msg'),
    kind: 'event',
    session_id: sessionLane ? event.sessionId : null,
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    created_at: now,
    updated_at: now,
    event_received_at: eventTime(event, now),
    finished_at: null,
    last_status: null,
    last_error: null,
    latency_ms: null,
    body: null,
    lane_key: sessionLane && webhook.ordering === 'session' ? laneKey(event.ts, event.id) : null,
    out_of_order: 0,
  }
}

// When the event happened, for the event → endpoint latency of docs/monitoring.md: the
// browser's own time, unless its clock is clearly off (ahead of ours, or more than an hour behind).
const MAX_EVENT_AGE_MS = 60 * 60 * 1000
function eventTime(event: HooklineEvent, receivedAt: number): number {
  const time = Date.parse(event.ts)
  return Number.isFinite(time) && time <= receivedAt && time >= receivedAt - MAX_EVENT_AGE_MS ? time : receivedAt
}

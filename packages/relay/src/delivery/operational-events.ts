import {
  isReservedName,
  newId,
  type HooklineEvent,
  type LastAttemptSummary,
  type OperationalData,
  type OperationalEventName,
} from '@hookline/protocol'
import type { ClusterSignal } from '../cluster/signal.ts'
import { deliveriesFor } from '../domain/fan-out.ts'
import type { WebhookRegistry } from '../domain/webhook-registry.ts'
import type { Logger } from '../observability/log.ts'
import type { ClaimedDelivery } from '../storage/deliveries.ts'
import type { EventWriter } from '../storage/event-writer.ts'
import type { Webhook } from '../storage/webhooks.ts'
import type { AttemptOutcome } from './attempt.ts'

/** Something the relay says about one of a project's webhooks. */
export interface OperationalNotice {
  name: OperationalEventName
  webhook: Webhook
  reason: string
  lastAttempt: LastAttemptSummary | null
}

/** The session every operational event belongs to: no browser's, so no stream hears of their deliveries. */
export const RELAY_SESSION_ID = 'ses_hookline-relay'

interface Deps {
  webhooks: WebhookRegistry
  eventWriter: EventWriter
  /** New deliveries for these webhooks were stored. */
  notify(webhookIds: Iterable<string>): void
  cluster: ClusterSignal
  log: Logger
}

/**
 * Emits operational events into the project's own pipeline: stored in the event log like an
 * ingested event, and delivered (signed, retried) to the webhooks of the same environment that
 * subscribe to them by name or with `hookline.*`. Two rules keep them from feeding on themselves:
 * an event about a webhook is never delivered to that webhook, and a failed delivery of an
 * operational event emits no `hookline.delivery.exhausted` (see `exhaustedNotice`).
 */
export class OperationalEvents {
  constructor(private readonly deps: Deps) {}

  /** Stores and fans out the event; never throws (a notice lost to a storage fault is logged). */
  async emit(notice: OperationalNotice, now = Date.now()): Promise<void> {
    const { webhook } = notice
    const data: OperationalData = {
      webhook: { id: webhook.id, name: webhook.name },
      reason: notice.reason,
      lastAttempt: notice.lastAttempt,
    }
    const event: HooklineEvent = {
      id: newId('evt'),
      name: notice.name,
      ts: new Date(now).toISOString(),
      sessionId: RELAY_SESSION_ID,
      props: { ...data },
    }
    try {
      const subscribers = await this.deps.webhooks.subscribers(webhook.projectId, webhook.environment)
      const deliveries = deliveriesFor(subscribers, event, now, { except: webhook.id, sessionLane: false })
      const row = {
        project_id: webhook.projectId,
        id: event.id,
        name: event.name,
        environment: webhook.environment,
        session_id: event.sessionId,
        ts: event.ts,
        received_at: now,
        valid: 1,
        body: JSON.stringify(event),
      }
      await this.deps.eventWriter.write([{ row, deliveries }])
      if (deliveries.length > 0) {
        this.deps.cluster.deliveriesDue()
        this.deps.notify(deliveries.map((delivery) => delivery.webhook_id))
      }
      this.deps.log.info('operational event', {
        name: notice.name,
        webhookId: webhook.id,
        deliveries: deliveries.length,
      })
    } catch (error) {
      this.deps.log.error('operational event not stored', {
        name: notice.name,
        webhookId: webhook.id,
        error: error as Error,
      })
    }
  }
}

/** What an attempt was, as operational events tell it. */
export function attemptSummary(row: ClaimedDelivery, outcome: AttemptOutcome): LastAttemptSummary {
  const { verdict } = outcome
  return {
    deliveryId: row.id,
    eventId: row.event_id,
    eventName: eventName(row),
    attempt: outcome.attempt,
    status: outcome.result.status,
    error: verdict.outcome === 'delivered' ? null : verdict.reason,
    at: new Date(outcome.finishedAt).toISOString(),
  }
}

/**
 * `hookline.delivery.exhausted` for a delivery that failed for good (retries used up, or a 4xx
 * that is never retried); none for a delivery that was itself an operational event, else two
 * failing webhooks subscribed to each other's trouble would feed each other forever.
 */
export function exhaustedNotice(
  row: ClaimedDelivery,
  webhook: Webhook,
  outcome: AttemptOutcome,
): OperationalNotice | null {
  if (row.kind !== 'event' || outcome.verdict.outcome !== 'failed') return null
  const lastAttempt = attemptSummary(row, outcome)
  if (isReservedName(lastAttempt.eventName)) return null
  return {
    name: 'hookline.delivery.exhausted',
    webhook,
    reason: `Delivery ${row.id} of ${lastAttempt.eventName} failed after ${outcome.attempt} attempt${outcome.attempt === 1 ? '' : 's'}: ${outcome.verdict.reason}`,
    lastAttempt,
  }
}

function eventName(row: ClaimedDelivery): string {
  try {
    return (JSON.parse(row.event_body ?? 'null') as { name?: string } | null)?.name ?? 'webhook.test'
  } catch {
    return 'unknown'
  }
}

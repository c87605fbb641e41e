import type { EventLogEntry, Webhook } from '@hookline/protocol'
import { DeliveryStatus } from '../webhooks/delivery-status.tsx'
import { href } from '../route.ts'

/** What the event log needs to know of a project's webhooks. */
export type WebhookIndex = ReadonlyMap<string, Pick<Webhook, 'name' | 'status'>>

/**
 * What became of one event at each webhook, by name: delivered, failed, held (the relay says so
 * while the webhook is paused or turned off), or `filtered` when that webhook's filter left it out.
 */
export function WebhookOutcomes({
  outcomes,
  webhooks,
}: {
  outcomes: EventLogEntry['webhooks']
  webhooks: WebhookIndex
}) {
  if (outcomes.length === 0) return <p class="muted small outcomes-none">No webhook subscribes to this event.</p>
  return (
    <>
      <p class="muted small outcomes-title">At each webhook</p>
      <ul class="outcomes" aria-label="At each webhook">
        {outcomes.map((outcome) => {
          const webhook = webhooks.get(outcome.webhookId)
          return (
            <li key={outcome.deliveryId}>
              <a href={href('webhooks', outcome.webhookId)}>{webhook?.name ?? outcome.webhookId}</a>
              <DeliveryStatus status={outcome.status} />
              {outcome.status === 'filtered' && (
                <span class="muted small">not sent: the webhook's filter leaves this event out</span>
              )}
              {outcome.status === 'held' && (
                <span class="muted small">
                  waiting: the webhook is {webhook?.status === 'disabled' ? 'turned off' : 'paused'}
                </span>
              )}
            </li>
          )
        })}
      </ul>
    </>
  )
}

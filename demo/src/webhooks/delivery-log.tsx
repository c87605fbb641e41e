import { api } from '../api.ts'
import { ErrorNotice } from '../ui/error-notice.tsx'
import { useLoad } from '../ui/use-load.ts'
import { DeliveryItem } from './delivery-item.tsx'
import type { Delivery } from '@hookline/protocol'

/** The newest deliveries of a webhook, refreshed every two seconds while open. */
export function DeliveryLog({ webhookId, refreshKey }: { webhookId: string; refreshKey: number }) {
  const log = useLoad(
    async () => {
      // Deliveries name their event by id; the project's event log has the names.
      const [{ deliveries }, { events }] = await Promise.all([
        api<{ deliveries: Delivery[] }>('GET', `/webhooks/${webhookId}/deliveries?limit=50`),
        api<{ events: Array<{ id: string; name: string }> }>('GET', '/events?limit=200'),
      ])
      return { deliveries, names: new Map(events.map((event) => [event.id, event.name])) }
    },
    [webhookId, refreshKey],
    2000,
  )
  const deliveries = log.data?.deliveries ?? []
  return (
    <section class="card" aria-labelledby="deliveries-title">
      <div class="card-head">
        <h2 id="deliveries-title">Delivery log</h2>
        <span class="muted small">Updates by itself</span>
      </div>
      {log.error && <ErrorNotice error={log.error} />}
      {!log.data && !log.error ? (
        <p class="muted">Loading…</p>
      ) : deliveries.length === 0 ? (
        <p class="muted">Nothing delivered yet. Send a test, or use the prototype.</p>
      ) : (
        <ul class="deliveries" aria-label="Deliveries, newest first">
          {deliveries.map((delivery) => (
            <DeliveryItem
              key={delivery.id}
              webhookId={webhookId}
              delivery={delivery}
              eventName={delivery.eventId === null ? undefined : log.data?.names.get(delivery.eventId)}
              onRedelivered={() => void log.reload()}
            />
          ))}
        </ul>
      )}
    </section>
  )
}

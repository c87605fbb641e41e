import { Badge } from '../ui/badge.tsx'
import type { EventLogEntry as LoggedEvent } from '@hookline/protocol'

/**
 * "2 delivered", "1 failed", "1 held", "1 pending", "1 filtered", or "no webhook" for an event
 * nothing subscribes to, as the relay counts them (a held delivery is not among the pending).
 */
export function DeliverySummary({ deliveries }: { deliveries: LoggedEvent['deliveries'] }) {
  const { held, pending } = deliveries
  const none = deliveries.total === 0 && deliveries.filtered === 0 && deliveries.erased === 0
  // Always inside an inline wrapper: a badge alone in a grid cell would stretch across the column.
  return (
    <span class="inline">
      {none && <Badge tone="neutral">no webhook</Badge>}
      {deliveries.succeeded > 0 && <Badge tone="good">{deliveries.succeeded} delivered</Badge>}
      {deliveries.failed > 0 && <Badge tone="bad">{deliveries.failed} failed</Badge>}
      {held > 0 && <Badge tone="warn">{held} held</Badge>}
      {pending > 0 && <Badge tone="neutral">{pending} pending</Badge>}
      {deliveries.filtered > 0 && <Badge tone="info">{deliveries.filtered} filtered</Badge>}
      {deliveries.erased > 0 && <Badge tone="neutral">{deliveries.erased} erased</Badge>}
    </span>
  )
}

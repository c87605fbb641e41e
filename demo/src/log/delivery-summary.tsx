import { Badge } from '../ui/badge.tsx'
import type { EventLogEntry as LoggedEvent } from '@hookline/protocol'

/** "2 delivered", "1 failed", "1 pending", or "no webhook" for an event nothing subscribes to. */
export function DeliverySummary({ deliveries }: { deliveries: LoggedEvent['deliveries'] }) {
  if (deliveries.total === 0) return <Badge tone="neutral">no webhook</Badge>
  return (
    <span class="inline">
      {deliveries.succeeded > 0 && <Badge tone="good">{deliveries.succeeded} delivered</Badge>}
      {deliveries.failed > 0 && <Badge tone="bad">{deliveries.failed} failed</Badge>}
      {deliveries.pending > 0 && <Badge tone="neutral">{deliveries.pending} pending</Badge>}
    </span>
  )
}

import type { EventLogEntry } from '@hookline/protocol'
import { Badge } from '../ui/badge.tsx'
import { JsonBlock } from '../ui/json-block.tsx'
import { timeAgo } from '../ui/time-ago.ts'
import { DeliverySummary } from './delivery-summary.tsx'
import { EraseVisitor } from './erase-visitor.tsx'
import { WebhookOutcomes, type WebhookIndex } from './webhook-outcomes.tsx'

/** One event a prototype sent: name, session, deliveries; open, what each webhook did and the payload. */
export function EventLine({
  entry,
  webhooks,
  onErased,
}: {
  entry: EventLogEntry
  webhooks: WebhookIndex
  onErased: (said: string) => void
}) {
  const userId = (entry.event as { user?: { id?: unknown } }).user?.id
  return (
    <li>
      <details>
        <summary class="event-line">
          <span class="mono event-name">{entry.name}</span>
          <span class="muted small mono truncate">{entry.sessionId}</span>
          <span>{!entry.valid && <Badge tone="warn">invalid props</Badge>}</span>
          <DeliverySummary deliveries={entry.deliveries} />
          <span class="muted small when">{timeAgo(entry.receivedAt)}</span>
        </summary>
        <WebhookOutcomes outcomes={entry.webhooks} webhooks={webhooks} />
        <JsonBlock value={entry.event as never} label={`Payload of ${entry.name}`} />
        <EraseVisitor
          sessionId={entry.sessionId}
          userId={typeof userId === 'string' ? userId : undefined}
          onErased={onErased}
        />
      </details>
    </li>
  )
}

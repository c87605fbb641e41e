import type { EventLogEntry } from '@hookline/protocol'
import { Badge } from '../ui/badge.tsx'
import { JsonBlock } from '../ui/json-block.tsx'
import { timeAgo } from '../ui/time-ago.ts'
import { relayNotice } from './relay-notice.ts'

/** One of the relay's own notices in the event log: what happened to which webhook, in words. */
export function NoticeLine({ entry }: { entry: EventLogEntry }) {
  const notice = relayNotice(entry)
  return (
    <li class="notice-entry" data-tone={notice.tone}>
      <details>
        <summary class="notice-line">
          <Badge tone={notice.tone}>{notice.title}</Badge>
          <span class="notice-text">{notice.text}</span>
          <span class="muted small when">{timeAgo(entry.receivedAt)}</span>
        </summary>
        <p class="muted small notice-source">
          Sent by the relay as <span class="mono">{entry.name}</span> to webhooks that subscribe to relay notices.
        </p>
        <JsonBlock value={entry.event as never} label={`Payload of ${entry.name}`} />
      </details>
    </li>
  )
}

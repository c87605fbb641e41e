import { useState } from 'preact/hooks'
import { api } from '../api.ts'
import { Badge } from '../ui/badge.tsx'
import { JsonBlock } from '../ui/json-block.tsx'
import { Notice } from '../ui/notice.tsx'
import { PageHeader } from '../ui/page-header.tsx'
import { timeAgo } from '../ui/time-ago.ts'
import { useLoad } from '../ui/use-load.ts'
import { DeliverySummary } from './delivery-summary.tsx'
import type { EventLogEntry as LoggedEvent } from '@hookline/protocol'

/** Every event the relay received, from every session, newest first, refreshed every two seconds. */
export function EventLogPage() {
  const log = useLoad(() => api<{ events: LoggedEvent[] }>('GET', '/events?limit=100'), [], 2000)
  const [filter, setFilter] = useState('')
  const needle = filter.trim().toLowerCase()
  const events = (log.data?.events ?? []).filter(
    (event) => !needle || `${event.name} ${event.sessionId}`.toLowerCase().includes(needle),
  )
  return (
    <>
      <PageHeader
        title="Event log"
        intro="Every event the relay received, from every participant's session, with what became of its deliveries. Open one for its payload."
      />
      <div class="card">
        <label class="visually-hidden" for="log-filter">
          Filter by event name or session
        </label>
        <input
          id="log-filter"
          type="search"
          placeholder="Filter by event name or session…"
          value={filter}
          onInput={(e) => setFilter(e.currentTarget.value)}
        />
        {log.error && <Notice>{log.error.message}</Notice>}
        {!log.data && !log.error ? (
          <p class="muted">Loading…</p>
        ) : events.length === 0 ? (
          <p class="muted">
            {needle ? 'Nothing matches the filter.' : 'No events yet. Open the prototype and tap around.'}
          </p>
        ) : (
          <ul class="event-log" aria-label="Events, newest first">
            {events.map((event) => (
              <li key={event.id}>
                <details>
                  <summary class="event-line">
                    <span class="mono event-name">{event.name}</span>
                    <span class="muted small mono truncate">{event.sessionId}</span>
                    <span>{!event.valid && <Badge tone="warn">invalid props</Badge>}</span>
                    <DeliverySummary deliveries={event.deliveries} />
                    <span class="muted small when">{timeAgo(event.receivedAt)}</span>
                  </summary>
                  <JsonBlock value={event.event as never} label={`Payload of ${event.name}`} />
                </details>
              </li>
            ))}
          </ul>
        )}
      </div>
    </>
  )
}

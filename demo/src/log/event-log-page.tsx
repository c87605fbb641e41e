import { useState } from 'preact/hooks'
import { api } from '../api.ts'
import { ErrorNotice } from '../ui/error-notice.tsx'
import { PageHeader } from '../ui/page-header.tsx'
import { useLoad } from '../ui/use-load.ts'
import type { EventLogEntry as LoggedEvent, Webhook } from '@hookline/protocol'
import { EventLine } from './event-line.tsx'
import { NoticeLine } from './notice-line.tsx'
import { isRelayNotice, relayNotice } from './relay-notice.ts'

type Shown = 'all' | 'prototype' | 'relay'

/**
 * Every event the relay received, from every session, newest first, refreshed every two seconds;
 * among them the relay's own notices (a webhook paused, resumed…), said in words.
 */
export function EventLogPage() {
  const log = useLoad(
    async () => {
      const [{ events }, { webhooks }] = await Promise.all([
        api<{ events: LoggedEvent[] }>('GET', '/events?limit=100'),
        api<{ webhooks: Webhook[] }>('GET', '/webhooks'),
      ])
      return { events, webhooks: new Map(webhooks.map((webhook) => [webhook.id, webhook])) }
    },
    [],
    2000,
  )
  const [filter, setFilter] = useState('')
  const [shown, setShown] = useState<Shown>('all')
  const [erased, setErased] = useState<string>()
  const needle = filter.trim().toLowerCase()
  const events = (log.data?.events ?? []).filter((event) => {
    const relay = isRelayNotice(event)
    if ((shown === 'prototype' && relay) || (shown === 'relay' && !relay)) return false
    if (!needle) return true
    const words = relay ? `${relayNotice(event).title} ${relayNotice(event).text}` : event.sessionId
    return `${event.name} ${words}`.toLowerCase().includes(needle)
  })
  return (
    <>
      <PageHeader
        title="Event log"
        intro="Every event the relay received, from every participant's session, with what became of it at each webhook; and the relay's notices, when a webhook pauses, resumes or gives up on a delivery. Open one for its payload."
      />
      <div class="card">
        <div class="log-filters">
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
          <label class="visually-hidden" for="log-shown">
            Show
          </label>
          <select id="log-shown" value={shown} onChange={(e) => setShown(e.currentTarget.value as Shown)}>
            <option value="all">Everything</option>
            <option value="prototype">The prototype's events</option>
            <option value="relay">Relay notices</option>
          </select>
        </div>
        {erased && (
          <p class="notice good erased-note" role="status">
            {erased}
          </p>
        )}
        {log.error && <ErrorNotice error={log.error} />}
        {!log.data && !log.error ? (
          <p class="muted">Loading…</p>
        ) : events.length === 0 ? (
          <p class="muted">
            {needle || shown !== 'all'
              ? 'Nothing matches the filter.'
              : 'No events yet. Open the prototype and tap around.'}
          </p>
        ) : (
          <ul class="event-log" aria-label="Events, newest first">
            {events.map((event) =>
              isRelayNotice(event) ? (
                <NoticeLine key={event.id} entry={event} />
              ) : (
                <EventLine
                  key={event.id}
                  entry={event}
                  webhooks={log.data?.webhooks ?? new Map()}
                  onErased={(said) => {
                    setErased(said)
                    void log.reload()
                  }}
                />
              ),
            )}
          </ul>
        )}
      </div>
    </>
  )
}

import type { EventLogEntry } from '@hookline/protocol'
import { api } from '../api.ts'
import { href } from '../route.ts'
import { Badge } from '../ui/badge.tsx'
import { ErrorNotice } from '../ui/error-notice.tsx'
import { timeAgo } from '../ui/time-ago.ts'
import { useLoad } from '../ui/use-load.ts'
import { isRelayNotice, relayNotice } from './relay-notice.ts'

interface Props {
  /** Only the notices about this webhook; all of the project's when unset. */
  webhookId?: string
  /** Only notices newer than this many ms. */
  withinMs?: number
  /** What to say when there is none. */
  empty: string
}

/** The relay's latest notices (paused, turned off, resumed, given up), newest first, in words; refreshed every 3 s. */
export function RecentNotices({ webhookId, withinMs, empty }: Props) {
  const log = useLoad(() => api<{ events: EventLogEntry[] }>('GET', '/events?limit=200'), [], 3000)
  const since = withinMs === undefined ? 0 : Date.now() - withinMs
  const notices = (log.data?.events ?? [])
    .filter((entry) => isRelayNotice(entry) && Date.parse(entry.receivedAt) >= since)
    .map((entry) => ({ entry, notice: relayNotice(entry) }))
    .filter(({ notice }) => webhookId === undefined || notice.webhookId === webhookId)
    .slice(0, 8)
  if (log.error) return <ErrorNotice error={log.error} />
  if (!log.data) return <p class="muted small">Loading…</p>
  if (notices.length === 0) return <p class="muted small">{empty}</p>
  return (
    <>
      <ul class="notices" aria-label="Relay notices, newest first">
        {notices.map(({ entry, notice }) => (
          <li key={entry.id}>
            <Badge tone={notice.tone}>{notice.title}</Badge>
            <span class="notice-text">{notice.text}</span>
            <span class="muted small when">{timeAgo(entry.receivedAt)}</span>
          </li>
        ))}
      </ul>
      <p class="small">
        <a href={href('log')}>Every notice is in the event log</a>
      </p>
    </>
  )
}

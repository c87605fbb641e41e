import { useMemo, useState } from 'preact/hooks'
import { describeEntry, entryText, eventNames } from './describe-entry.ts'
import type { LogEntry } from './hookline.ts'
import { LogRow } from './log-row.tsx'

/** Rendering thousands of rows would slow the host page; the newest few hundred tell the story. */
const MAX_ROWS = 300

/** The live event log, newest first, with a filter and a "clear" that only hides what came before. */
export function EventLog({ entries }: { entries: readonly LogEntry[] }) {
  const [filter, setFilter] = useState('')
  const [clearedAt, setClearedAt] = useState(0)
  const names = useMemo(() => eventNames(entries), [entries])
  const needle = filter.trim().toLowerCase()
  const rows = []
  for (let i = entries.length - 1; i >= 0 && rows.length < MAX_ROWS; i--) {
    const entry = entries[i]
    if (!entry || entry.at < clearedAt) break
    const view = describeEntry(entry, names)
    if (needle && !entryText(entry, view).includes(needle)) continue
    rows.push(<LogRow key={`${entry.at}-${i}`} entry={entry} view={view} />)
  }
  return (
    <div class="log">
      <div class="toolbar">
        <label class="filter">
          <span class="visually-hidden">Filter the log</span>
          <input
            type="search"
            placeholder="Filter: event name, kind, status…"
            value={filter}
            onInput={(event) => setFilter(event.currentTarget.value)}
          />
        </label>
        <button type="button" class="ghost" onClick={() => setClearedAt(Date.now())}>
          Clear
        </button>
      </div>
      {rows.length === 0 ? (
        <p class="empty">
          {needle ? 'Nothing matches the filter.' : 'No events yet. Tap something wired with data-hl-event.'}
        </p>
      ) : (
        <ol class="rows" role="log" aria-label="Event log, newest first">
          {rows}
        </ol>
      )}
    </div>
  )
}

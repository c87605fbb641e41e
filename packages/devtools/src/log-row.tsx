import type { EntryView } from './describe-entry.ts'
import { formatTime } from './format-time.ts'
import type { LogEntry } from './hookline.ts'

/** One log entry: a summary line that opens (native <details>, so Enter and Space work) onto its payload. */
export function LogRow({ entry, view }: { entry: LogEntry; view: EntryView }) {
  return (
    <li class={`row ${view.tone}`}>
      <details>
        <summary>
          <time class="time">{formatTime(entry.at)}</time>
          <span class={`badge ${view.tone}`}>{view.label}</span>
          <span class="title">{view.title}</span>
          {view.detail && <span class="detail">{view.detail}</span>}
        </summary>
        <pre class="payload">{JSON.stringify(payloadOf(entry), null, 2)}</pre>
      </details>
    </li>
  )
}

/** The entry without its bookkeeping: what a designer wants to read when it opens. */
function payloadOf(entry: LogEntry): Record<string, unknown> {
  const { at: _at, kind: _kind, ...rest } = entry
  return rest
}

import type { HooklineStatus } from './hookline.ts'

/**
 * The connection, the queue: what the SDK is doing right now, as small chips. The connection is
 * one state, never two that disagree: offline wins over whatever the stream last said.
 */
export function StatusBar({ status }: { status: HooklineStatus }) {
  const [label, tone] = !status.online
    ? ['offline', 'bad']
    : status.stream === 'open'
      ? ['live', 'good']
      : status.stream === 'connecting'
        ? ['connecting', 'warn']
        : ['no stream', 'neutral']
  return (
    <ul class="status" aria-label="Connection status">
      <li
        class={`chip ${tone}`}
        title="The connection to the relay: offline, the live stream connecting, live, or no stream"
      >
        <span class="dot" aria-hidden="true" />
        {label}
      </li>
      <li
        class={`chip ${status.queued > 0 ? 'info' : 'neutral'}`}
        title="Events stored in this browser and not yet acknowledged by the relay"
      >
        {status.queued} queued
      </li>
      {status.storage === 'memory' && (
        <li class="chip warn" title="IndexedDB is unavailable: events are kept in memory and lost on reload">
          memory only
        </li>
      )}
      {status.evicted > 0 && (
        <li class="chip warn" title="Events dropped because the queue was over its byte budget">
          {status.evicted} evicted
        </li>
      )}
    </ul>
  )
}

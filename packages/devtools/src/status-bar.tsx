import type { HooklineStatus } from './hookline.ts'

/** Online/offline, the stream, the queue: what the SDK is doing right now, as small chips. */
export function StatusBar({ status }: { status: HooklineStatus }) {
  return (
    <ul class="status" aria-label="Connection status">
      <li class={`chip ${status.online ? 'good' : 'bad'}`}>
        <span class="dot" aria-hidden="true" />
        {status.online ? 'online' : 'offline'}
      </li>
      <li
        class={`chip ${status.stream === 'open' ? 'good' : status.stream === 'connecting' ? 'warn' : 'bad'}`}
        title="The live stream of variables and deliveries from the relay"
      >
        <span class="dot" aria-hidden="true" />
        stream {status.stream}
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

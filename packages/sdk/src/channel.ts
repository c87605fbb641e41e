import type { Chunk } from './storage.ts'

/** What tabs sharing one queue tell each other. */
export type TabMessage =
  /** Chunks a tab wrote: the sending tab adds them to what it sends. */
  | { t: 'stored'; chunks: Chunk[] }
  /** Ids the relay acknowledged: every tab forgets them (and resolves its `flush()`). */
  | { t: 'acked'; ids: string[] }
  /** An id the relay rejected: its tab rolls back its optimistic update. */
  | { t: 'rejected'; id: string; reason: string }

export interface TabChannel {
  post(message: TabMessage): void
  close(): void
}

/** A BroadcastChannel between the tabs of one origin sharing a queue; silent without one. */
export function openChannel(name: string, onMessage: (message: TabMessage) => void): TabChannel {
  if (typeof BroadcastChannel === 'undefined') return { post() {}, close() {} }
  const channel = new BroadcastChannel(name)
  channel.onmessage = (event: MessageEvent<TabMessage>) => onMessage(event.data)
  return {
    post(message) {
      try {
        channel.postMessage(message)
      } catch {
        /* closed */
      }
    },
    close: () => channel.close(),
  }
}

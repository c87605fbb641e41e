import type { Chunk } from '../queue/storage.ts'

/** What tabs sharing one queue tell each other. */
export type TabMessage =
  /** Chunks a tab wrote: the sending tab adds them to what it sends. */
  | { t: 'stored'; chunks: Chunk[] }
  /**
   * Ids the relay acknowledged: every tab forgets them (and resolves its `flush()`); `deliveries`
   * says how many webhooks each goes to, for the tab whose optimistic update it is.
   */
  | { t: 'acked'; ids: string[]; deliveries: Record<string, number> }
  /** An id the relay rejected: its tab rolls back its optimistic update. */
  | { t: 'rejected'; id: string; reason: string }

/** Handles a message; `local` when this tab sent it to itself (see `Tabs.toSender`). */
export type TabListener = (message: TabMessage, local: boolean) => void

export interface Tabs {
  /** Whether this tab is the sending tab; set by the leader election. */
  sending: boolean
  /** To every other tab. */
  post(message: TabMessage): void
  /** To the sending tab: this tab's own listener when it is the one, else every other tab. */
  toSender(message: TabMessage): void
  /** Sets the one listener (messages from other tabs, and `toSender` to this one). */
  listen(listener: TabListener): void
  close(): void
}

/**
 * The tabs of one origin that share a queue, over a BroadcastChannel (silent without one). A tab
 * addresses what it stored to the sending tab the same way whether or not it is that tab.
 */
export function openTabs(name: string): Tabs {
  const channel = (globalThis as Partial<typeof globalThis>).BroadcastChannel && new BroadcastChannel(name)
  let listener: TabListener = () => {}
  if (channel) channel.onmessage = (event: MessageEvent<TabMessage>) => listener(event.data, false)
  const tabs: Tabs = {
    sending: false,
    post(message) {
      try {
        channel?.postMessage(message)
      } catch {
        /* closed */
      }
    },
    toSender(message) {
      if (tabs.sending) listener(message, true)
      else tabs.post(message)
    },
    listen(next) {
      listener = next
    },
    close: () => channel?.close(),
  }
  return tabs
}

import type { Json, JsonObject } from '@hookline/protocol'
import type { MapStore, ReadableAtom } from 'nanostores'

/** One line of `hl.log`, newest last. The devtools panel renders these. */
export type LogEntry =
  | { kind: 'fired'; at: number; eventId: string; name: string; props?: JsonObject }
  /** `name` on events restored from the queue (an earlier page fired them). */
  | { kind: 'queued'; at: number; eventId: string; depth: number; name?: string }
  | { kind: 'sent'; at: number; eventIds: string[]; transport: 'fetch' | 'beacon' }
  | { kind: 'acknowledged'; at: number; eventIds: string[] }
  | { kind: 'rejected'; at: number; eventId: string; reason: string }
  | {
      kind: 'delivered'
      at: number
      eventId: string
      webhookId: string
      status: number
      latencyMs: number
      attempt: number
    }
  | { kind: 'failed'; at: number; eventId: string; webhookId?: string; status?: number; reason: string; final: boolean }
  | { kind: 'rolled-back'; at: number; eventId: string; vars: string[]; reason: string }
  | { kind: 'vars'; at: number; set: JsonObject; source: 'inbound' | 'response' | 'optimistic' | 'local' }
  | { kind: 'evicted'; at: number; count: number }
  /** `code` is the message's code (docs/messages.md), `args` what fills it in; `message` its text,
   *  or in the script-tag build the code and arguments only, until the devtools chunk is loaded. */
  | { kind: 'warning'; at: number; message: string; code: string; args: Array<string | number> }

/** What the SDK is doing right now; the devtools panel shows it. */
export interface HooklineStatus {
  online: boolean
  /** Events written to the queue and not yet acknowledged. */
  queued: number
  /** Events evicted by the byte budget since start. */
  evicted: number
  stream: 'connecting' | 'open' | 'closed'
  /** 'indexeddb', or 'memory' when IndexedDB is unavailable. */
  storage: 'indexeddb' | 'memory'
  /** True while this tab holds the Web Lock that makes it the sending tab. */
  sender: boolean
}

export type TriggerSpec =
  | { tap: string; optimistic?: JsonObject; props?: JsonObject }
  | { screen: string; optimistic?: JsonObject; props?: JsonObject }
  | { change: string; to?: Json; optimistic?: JsonObject; props?: JsonObject }

/** The instance `createHookline` returns (docs/sdk.md; packages/sdk/README.md "The instance"). */
export interface Hookline {
  track(name: string, props?: JsonObject, options?: { optimistic?: JsonObject }): string
  on(name: string, trigger: TriggerSpec): () => void
  readonly vars: MapStore<Record<string, Json>>
  identify(user?: { id: string; props?: JsonObject } | null, company?: { id: string; props?: JsonObject } | null): void
  flush(): Promise<void>
  readonly log: ReadableAtom<readonly LogEntry[]>
  readonly status: ReadableAtom<HooklineStatus>
  readonly sessionId: string
  devtools(): Promise<void>
  destroy(): void
}

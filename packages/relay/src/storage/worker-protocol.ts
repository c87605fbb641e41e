/** What the relay's thread asks the SQLite worker (`sqlite-worker.ts`), one message each. */
export type ThreadRequest =
  /** One statement; `txn` names the open transaction it belongs to, or null for none. */
  | { id: number; kind: 'query'; txn: number | null; sql: string; params: readonly unknown[] }
  | { id: number; kind: 'begin' | 'commit' | 'rollback'; txn: number }
  /** A whole write from `worker-ops.ts`. */
  | { id: number; kind: 'op'; name: string; args: unknown[] }
  | { id: number; kind: 'close' }

/** An error as it crosses threads: what a caller may look at. */
export interface WireError {
  name: string
  message: string
  code?: string | undefined
}

/** An answer: a value, or the error the request failed with. */
export type ThreadReply = { id: number; value: unknown } | { id: number; error: WireError }

/** The worker's first message: the store is open and migrated, or why not. */
export type ThreadStartup = { ready: true } | { failed: WireError }

export function toWire(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) }
  const { code } = error as { code?: unknown }
  return { name: error.name, message: error.message, code: typeof code === 'string' ? code : undefined }
}

export function fromWire(wire: WireError): Error {
  return Object.assign(new Error(wire.message), wire.code === undefined ? { name: wire.name } : wire)
}

import type { Kysely } from 'kysely'
import { findListener, type Listener } from './storage/listeners.ts'
import type { Database } from './storage/schema.ts'

const TTL_MS = 5000
const MAX_ENTRIES = 10_000

/**
 * Listeners by id for the inbound route, which would otherwise read the same row for every webhook.
 * Changes made through this relay drop the entry at once; a change made on another relay node is
 * seen here within `TTL_MS`.
 */
export class ListenerCache {
  #entries = new Map<string, { listener: Listener | undefined; at: number }>()

  constructor(private readonly db: Kysely<Database>) {}

  async get(id: string): Promise<Listener | undefined> {
    const entry = this.#entries.get(id)
    if (entry && Date.now() - entry.at < TTL_MS) return entry.listener
    const listener = await findListener(this.db, id)
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear()
    this.#entries.set(id, { listener, at: Date.now() })
    return listener
  }

  forget(id: string): void {
    this.#entries.delete(id)
  }
}

const caches = new WeakMap<Kysely<Database>, ListenerCache>()

/** The one cache of a relay's database, shared by the admin routes (which invalidate) and the inbound route. */
export function listenerCache(db: Kysely<Database>): ListenerCache {
  let cache = caches.get(db)
  if (!cache) caches.set(db, (cache = new ListenerCache(db)))
  return cache
}

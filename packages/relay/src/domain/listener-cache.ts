import type { Kysely } from 'kysely'
import { findListener, type Listener } from '../storage/listeners.ts'
import type { Database } from '../storage/schema.ts'
import type { SecretBox } from '../storage/secret-box.ts'

const TTL_MS = 5000
const MAX_ENTRIES = 10_000

/**
 * Listeners by id for the inbound route, which would otherwise read the same row for every webhook.
 * Changes made through this relay drop the entry at once (the admin routes call `forget`); a change
 * made on another relay node is seen here within `TTL_MS`.
 */
export class ListenerCache {
  #entries = new Map<string, { listener: Listener | undefined; at: number }>()

  constructor(
    private readonly db: Kysely<Database>,
    private readonly secrets: SecretBox,
  ) {}

  async get(id: string): Promise<Listener | undefined> {
    const entry = this.#entries.get(id)
    if (entry && Date.now() - entry.at < TTL_MS) return entry.listener
    const listener = await findListener(this.db, this.secrets, id)
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear()
    this.#entries.set(id, { listener, at: Date.now() })
    return listener
  }

  forget(id: string): void {
    this.#entries.delete(id)
  }
}

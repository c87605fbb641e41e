import type { Kysely } from 'kysely'
import { eventKey, insertEvents } from './events.ts'
import type { StoredEvent } from './stored-event.ts'
import type { Database } from './schema.ts'

interface Waiting {
  events: StoredEvent[]
  resolve(inserted: Set<string>): void
  reject(error: unknown): void
}

/**
 * Group commit for ingest: batches that arrive while a commit is on its way to the disk are
 * written together in the next transaction, so concurrent requests share one fsync instead of
 * queueing for one each. Nothing waits when the relay is quiet: a lone batch commits at once.
 */
export class EventWriter {
  #waiting: Waiting[] = []
  #writing = false

  constructor(private readonly db: Kysely<Database>) {}

  /** Stores the events; resolves with the `eventKey`s this call inserted, once they are on disk. */
  write(events: StoredEvent[]): Promise<Set<string>> {
    if (events.length === 0) return Promise.resolve(new Set())
    return new Promise((resolve, reject) => {
      this.#waiting.push({ events, resolve, reject })
      if (!this.#writing) void this.#drain()
    })
  }

  async #drain(): Promise<void> {
    this.#writing = true
    while (this.#waiting.length > 0) {
      const group = this.#waiting
      this.#waiting = []
      // An id sent twice within the group is new only for the first request that sent it.
      const claimed = new Set<string>()
      const owned = group.map((waiting) => {
        const events: StoredEvent[] = []
        const keys: string[] = []
        for (const event of waiting.events) {
          const key = eventKey(event.row.project_id, event.row.environment, event.row.id)
          if (claimed.has(key)) continue
          claimed.add(key)
          events.push(event)
          keys.push(key)
        }
        return { waiting, events, keys }
      })
      try {
        const inserted = await insertEvents(
          this.db,
          owned.flatMap(({ events }) => events),
        )
        for (const { waiting, keys } of owned) waiting.resolve(new Set(keys.filter((key) => inserted.has(key))))
      } catch (error) {
        for (const waiting of group) waiting.reject(error)
      }
    }
    this.#writing = false
  }
}

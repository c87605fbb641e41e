import type { Kysely } from 'kysely'
import { eventKey, insertEvents, type InsertedEvents } from './events.ts'
import type { PreClaim } from './pre-claim.ts'
import type { StoredEvent } from './stored-event.ts'
import type { Database } from './schema.ts'

interface Waiting {
  events: StoredEvent[]
  preClaim: PreClaim | null
  resolve(result: InsertedEvents): void
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

  /**
   * Stores the events; resolves, once they are on disk, with the `eventKey`s this call inserted and
   * which of the deliveries `preClaim` offered were queued claimed (`pre-claim.ts`).
   */
  write(events: StoredEvent[], preClaim: PreClaim | null = null): Promise<InsertedEvents> {
    if (events.length === 0) return Promise.resolve({ inserted: new Set(), claimed: new Set() })
    return new Promise((resolve, reject) => {
      this.#waiting.push({ events, preClaim, resolve, reject })
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
        const { inserted, claimed } = await insertEvents(
          this.db,
          owned.flatMap(({ events }) => events),
          groupPreClaim(group),
        )
        for (const { waiting, keys } of owned) {
          const ids = waiting.preClaim?.ids.filter((id) => claimed.has(id))
          waiting.resolve({ inserted: new Set(keys.filter((key) => inserted.has(key))), claimed: new Set(ids) })
        }
      } catch (error) {
        for (const waiting of group) waiting.reject(error)
      }
    }
    this.#writing = false
  }
}

/**
 * The group's pre-claims as one: those of the first request's node (a node's lease id changes only
 * when its lease lapses; an offer under an older id is then left to the normal claim).
 */
function groupPreClaim(group: Waiting[]): PreClaim | null {
  const node = group.find((waiting) => waiting.preClaim)?.preClaim?.node
  if (!node) return null
  const ids = group.flatMap(({ preClaim }) => (preClaim?.node === node ? preClaim.ids : []))
  return { node, ids }
}

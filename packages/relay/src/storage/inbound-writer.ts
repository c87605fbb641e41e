import type { Kysely } from 'kysely'
import { commitInbound, type InboundCommit } from './inbound-receipts.ts'
import type { Database } from './schema.ts'

interface Waiting extends InboundCommit {
  resolve(seq: number | null): void
  reject(error: unknown): void
}

const MAX_BATCH = 256

/**
 * Commits inbound webhooks in groups: whatever arrived while the previous transaction was being
 * written goes into the next one, so a burst costs one disk sync rather than one per webhook, and
 * each caller still hears back only after its own commit. A batch that fails is retried one by
 * one, so one bad webhook cannot fail its neighbours.
 */
export class InboundWriter {
  #queue: Waiting[] = []
  #flushing = false
  #scheduled = false

  constructor(private readonly db: Kysely<Database>) {}

  /** Resolves with the frame's number once committed, or null when the `webhook-id` was already taken. */
  commit(item: InboundCommit): Promise<number | null> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ ...item, resolve, reject })
      // Wait for the rest of this turn of the event loop: webhooks verified in the same turn share a commit.
      if (!this.#flushing && !this.#scheduled) {
        this.#scheduled = true
        setImmediate(() => void this.#flush())
      }
    })
  }

  async #flush(): Promise<void> {
    this.#scheduled = false
    this.#flushing = true
    try {
      while (this.#queue.length > 0) await this.#commitBatch(this.#queue.splice(0, MAX_BATCH))
    } finally {
      this.#flushing = false
    }
  }

  async #commitBatch(batch: Waiting[]): Promise<void> {
    try {
      const results = await commitInbound(this.db, batch.map(commitOf))
      batch.forEach((item, i) => {
        item.resolve(results[i] ?? null)
      })
    } catch (error) {
      if (batch.length === 1) batch[0]?.reject(error)
      else
        for (const item of batch)
          await commitInbound(this.db, [commitOf(item)]).then(
            ([seq]) => {
              item.resolve(seq ?? null)
            },
            (reason: unknown) => {
              item.reject(reason)
            },
          )
    }
  }
}

/** The data of a waiting webhook, without its callbacks (it may be posted to another thread). */
function commitOf({ listenerId, projectId, webhookId, session, environment, data }: Waiting): InboundCommit {
  return { listenerId, projectId, webhookId, session, environment, data }
}

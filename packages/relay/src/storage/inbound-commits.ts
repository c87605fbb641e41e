import type { Kysely, Transaction } from 'kysely'
import type { VarsFrame } from '@hookline/protocol'
import type { Database } from './schema.ts'
import { insertStreamFrame } from './stream-frames.ts'
import './listeners.ts'

/** One inbound webhook's effect: its receipt (when it has a `webhook-id`) and its `vars` frame. */
export interface InboundCommit {
  listenerId: string
  projectId: string
  webhookId: string | null
  session: string | null
  data: VarsFrame
}

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
export class InboundCommits {
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
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, MAX_BATCH)
        try {
          const results = await this.db.transaction().execute(async (tx) => {
            const seqs: (number | null)[] = []
            for (const item of batch) seqs.push(await apply(tx, item))
            return seqs
          })
          batch.forEach((item, i) => item.resolve(results[i]!))
        } catch (error) {
          if (batch.length === 1) batch[0]!.reject(error)
          else
            for (const item of batch)
              await this.db
                .transaction()
                .execute((tx) => apply(tx, item))
                .then(item.resolve, item.reject)
        }
      }
    } finally {
      this.#flushing = false
    }
  }
}

async function apply(tx: Transaction<Database>, item: InboundCommit): Promise<number | null> {
  if (item.webhookId !== null) {
    const result = await tx
      .insertInto('inbound_receipts')
      .values({ listener_id: item.listenerId, webhook_id: item.webhookId, received_at: Date.now() })
      .onConflict((oc) => oc.columns(['listener_id', 'webhook_id']).doNothing())
      .executeTakeFirst()
    if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 0) return null
  }
  return insertStreamFrame(tx, item.projectId, item.session, item.data)
}

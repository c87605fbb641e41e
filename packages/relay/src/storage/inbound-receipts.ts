import type { Kysely, Transaction } from 'kysely'
import type { Environment, VarsFrame } from '@hookline/protocol'
import { storageThread } from './remote.ts'
import type { Database } from './schema.ts'
import { insertStreamFrame } from './stream-frames.ts'

/** One inbound webhook's effect: its receipt (when it has a `webhook-id`) and its `vars` frame. */
export interface InboundCommit {
  listenerId: string
  projectId: string
  webhookId: string | null
  session: string | null
  /** The listener's: the frame reaches that environment's sessions only. */
  environment: Environment
  data: VarsFrame
}

/**
 * Writes one inbound webhook inside the caller's transaction: its receipt, then its frame. Answers
 * the frame's number, or null (and writes nothing) when the listener already took that `webhook-id`.
 */
export async function insertInbound(tx: Transaction<Database>, item: InboundCommit): Promise<number | null> {
  if (item.webhookId !== null) {
    const result = await tx
      .insertInto('inbound_receipts')
      .values({ listener_id: item.listenerId, webhook_id: item.webhookId, received_at: Date.now() })
      .onConflict((oc) => oc.columns(['listener_id', 'webhook_id']).doNothing())
      .executeTakeFirst()
    if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 0) return null
  }
  return insertStreamFrame(tx, item.projectId, item.session, item.environment, item.data)
}

/** Writes inbound webhooks in one transaction; answers each one's frame number (`insertInbound`). */
export async function commitInbound(db: Kysely<Database>, items: InboundCommit[]): Promise<(number | null)[]> {
  const thread = storageThread(db)
  if (thread) return thread.run('commitInbound', [items])
  return db.transaction().execute(async (tx) => {
    const seqs: (number | null)[] = []
    for (const item of items) seqs.push(await insertInbound(tx, item))
    return seqs
  })
}

/** Deletes receipts taken before `before` (ms since epoch): a `webhook-id` is deduplicated that long. */
export async function pruneInboundReceipts(db: Kysely<Database>, before: number): Promise<void> {
  await db.deleteFrom('inbound_receipts').where('received_at', '<', before).execute()
}

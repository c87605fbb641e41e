import type SQLite from 'better-sqlite3'
import type { Kysely } from 'kysely'
import type { Database } from './schema.ts'

/**
 * Deliveries ingest stores already claimed by `node`, so they go straight to its dispatcher in
 * memory instead of waiting for a claim. Their queue rows say `claimed_by = node` as a claim would
 * write them, in the same transaction as the event, so a crash leaves them as it leaves any claim:
 * released at the next start (SQLite, `releaseInFlight`) or once the node's lease lapses
 * (PostgreSQL, `releaseLapsedClaims`). The dispatcher offers only unordered deliveries of webhooks
 * it has room for (`handoff.ts`); the store keeps the webhook's say (`claimableWebhooks`).
 */
export interface PreClaim {
  node: string
  /** The delivery ids the dispatcher has room for. */
  ids: string[]
}

// What a claim would ask of the webhook, read in the insert's transaction: active, not draining
// (a drain takes its webhook's oldest row first, which a pre-claim would jump ahead of).
const CLAIMABLE_SQL = "SELECT 1 FROM webhooks WHERE id = ? AND status = 'active' AND drain_until IS NULL"

/** SQLite: which of these webhooks may have deliveries pre-claimed, read inside the open transaction. */
export function claimableWebhooksSqlite(file: SQLite.Database, webhookIds: Iterable<string>): Set<string> {
  const check = file.prepare(CLAIMABLE_SQL).pluck()
  const claimable = new Set<string>()
  for (const id of new Set(webhookIds)) if (check.get(id) !== undefined) claimable.add(id)
  return claimable
}

/** The same through Kysely (PostgreSQL, or SQLite without its raw path). */
export async function claimableWebhooks(db: Kysely<Database>, webhookIds: Iterable<string>): Promise<Set<string>> {
  const ids = [...new Set(webhookIds)]
  if (ids.length === 0) return new Set()
  const rows = await db
    .selectFrom('webhooks')
    .select('id')
    .where('id', 'in', ids)
    .where('status', '=', 'active')
    .where('drain_until', 'is', null)
    .execute()
  return new Set(rows.map((row) => row.id))
}

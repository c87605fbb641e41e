import { hostname } from 'node:os'
import { sql, type Kysely } from 'kysely'
import type { Database } from './schema.ts'

// Lease times are read off the database's clock, so nodes whose clocks disagree still agree on
// whose lease ran out.
const dbNow = sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`

/** Registers a node with a lease of `leaseMs` from now (PostgreSQL). */
export async function registerNode(db: Kysely<Database>, id: string, leaseMs: number): Promise<void> {
  await db
    .insertInto('relay_nodes')
    .values({
      id,
      lease_until: sql<number>`${dbNow} + ${leaseMs}`,
      started_at: Date.now(),
      host: hostname(),
      pid: process.pid,
    })
    .execute()
}

/**
 * Extends a node's lease to `leaseMs` from now, if it has not run out: false when it had (or the
 * row is gone), since others may have taken the node's claims by then.
 */
export async function renewNode(db: Kysely<Database>, id: string, leaseMs: number): Promise<boolean> {
  const result = await db
    .updateTable('relay_nodes')
    .set({ lease_until: sql<number>`${dbNow} + ${leaseMs}` })
    .where('id', '=', id)
    .where('lease_until', '>', dbNow)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** Ends a node's lease now (it stopped), so its claims need not wait for it to run out. */
export async function dropNode(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('relay_nodes').where('id', '=', id).execute()
}

/**
 * Makes every claimed delivery whose node holds no live lease due again (PostgreSQL), and forgets
 * nodes whose lease ran out a while ago. Answers how many deliveries were released.
 */
export async function releaseLapsedClaims(db: Kysely<Database>): Promise<number> {
  const result = await db
    .updateTable('delivery_queue as q')
    .set({ claimed_by: null })
    .where('q.claimed_by', 'is not', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('relay_nodes as n')
            .select('n.id')
            .whereRef('n.id', '=', 'q.claimed_by')
            .where('n.lease_until', '>', dbNow),
        ),
      ),
    )
    .executeTakeFirst()
  await db
    .deleteFrom('relay_nodes')
    .where('lease_until', '<', sql<number>`${dbNow} - 600000`)
    .execute()
  return Number(result.numUpdatedRows)
}

import type { Kysely } from 'kysely'
import type { Environment } from '@hookline/protocol'
import { relaxedTransaction } from './db.ts'
import type { Database } from './schema.ts'
import type { Dialect } from './types.ts'
import { chunks } from './in-list.ts'

/** A claimed session as stored: who owns it, and the hash of its token. */
export interface SessionRecord {
  environment: Environment
  tokenHash: string
}

/**
 * Claims a session id for a project and environment; false when it was claimed before (first claim
 * wins). The commit does not wait for the disk (a page claims at every start, and a full sync each
 * would queue a room of them): a power cut may forget the last claims, and their pages then claim
 * again, since an id nobody holds is free.
 */
export async function insertSession(
  db: Kysely<Database>,
  dialect: Dialect,
  session: { projectId: string; id: string; environment: Environment; tokenHash: string },
): Promise<boolean> {
  const result = await relaxedTransaction(db, dialect, (tx) =>
    tx
      .insertInto('sessions')
      .values({
        project_id: session.projectId,
        id: session.id,
        environment: session.environment,
        token_hash: session.tokenHash,
        created_at: Date.now(),
      })
      .onConflict((oc) => oc.columns(['project_id', 'id']).doNothing())
      .executeTakeFirst(),
  )
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0
}

/** The project's claimed sessions among `ids`. */
export async function findSessions(
  db: Kysely<Database>,
  projectId: string,
  ids: string[],
): Promise<Map<string, SessionRecord>> {
  const found = new Map<string, SessionRecord>()
  for (const slice of chunks(ids)) {
    const rows = await db
      .selectFrom('sessions')
      .select(['id', 'environment', 'token_hash'])
      .where('project_id', '=', projectId)
      .where('id', 'in', slice)
      .execute()
    for (const row of rows) found.set(row.id, { environment: row.environment, tokenHash: row.token_hash })
  }
  return found
}

import type { Kysely, Transaction } from 'kysely'
import type { Environment, VarsFrame } from '@hookline/protocol'
import type { Database } from './schema.ts'

/** A stored `vars` frame, as the replay reads it back. */
export interface StoredVarsFrame {
  seq: number
  data: VarsFrame
}

/** What a replay reads: the highest number so far, and the session's frames after the asked one, in order. */
export interface Replay {
  latestSeq: number
  frames: StoredVarsFrame[]
  /** False when there were more frames than one replay holds. */
  complete: boolean
}

/** Frames replayed on one connection at most; a client further behind gets the rest when it reconnects. */
const REPLAY_LIMIT = 2000

/** Appends a frame inside the caller's transaction and answers its number. */
export async function insertStreamFrame(
  tx: Transaction<Database>,
  projectId: string,
  session: string | null,
  environment: Environment,
  data: VarsFrame,
): Promise<number> {
  const { seq } = await tx
    .updateTable('stream_cursor')
    .set((eb) => ({ seq: eb('seq', '+', 1) }))
    .where('id', '=', 1)
    .returning('seq')
    .executeTakeFirstOrThrow()
  await tx
    .insertInto('stream_frames')
    .values({
      seq,
      project_id: projectId,
      session_id: session,
      environment,
      data: JSON.stringify(data),
      created_at: Date.now(),
    })
    .execute()
  return seq
}

/**
 * The session's frames (its own and the project's broadcasts) of its environment after `afterSeq`,
 * read in one transaction.
 */
export async function replayStreamFrames(
  db: Kysely<Database>,
  projectId: string,
  environment: Environment,
  session: string,
  afterSeq: number,
): Promise<Replay> {
  // One read transaction, so the frames and the cursor describe the same moment.
  return db.transaction().execute(async (tx) => {
    const cursor = await tx.selectFrom('stream_cursor').select('seq').where('id', '=', 1).executeTakeFirstOrThrow()
    const latestSeq = cursor.seq
    if (afterSeq >= latestSeq) return { latestSeq, frames: [], complete: true }
    const rows = await tx
      .selectFrom('stream_frames')
      .select(['seq', 'data'])
      .where('project_id', '=', projectId)
      .where('seq', '>', afterSeq)
      .where((eb) => eb.or([eb('session_id', '=', session), eb('session_id', 'is', null)]))
      .where((eb) => eb.or([eb('environment', '=', environment), eb('environment', 'is', null)]))
      .orderBy('seq')
      .limit(REPLAY_LIMIT)
      .execute()
    const frames = rows.map((row) => ({ seq: row.seq, data: JSON.parse(row.data) as VarsFrame }))
    return { latestSeq, frames, complete: frames.length < REPLAY_LIMIT }
  })
}

/** One stored `vars` frame by number and its environment (for a node that was told only the number). */
export async function findVarsFrame(
  db: Kysely<Database>,
  projectId: string,
  seq: number,
): Promise<{ data: VarsFrame; environment: Environment | null } | undefined> {
  const row = await db
    .selectFrom('stream_frames')
    .select(['data', 'environment'])
    .where('seq', '=', seq)
    .where('project_id', '=', projectId)
    .executeTakeFirst()
  return row && { data: JSON.parse(row.data) as VarsFrame, environment: row.environment }
}

/** Deletes frames stored before `before` (ms since epoch). */
export async function pruneStreamFrames(db: Kysely<Database>, before: number): Promise<void> {
  await db.deleteFrom('stream_frames').where('created_at', '<', before).execute()
}

import type { Kysely, Transaction } from 'kysely'
import type { VarsFrame } from '@hookline/protocol'
import type { StoredVarsFrame, StreamFrameStore } from '../hub.ts'
import type { HubMessage } from '../hub-bus.ts'
import type { Database } from './schema.ts'

/** Replayable `vars` frames; `session_id` is null for a broadcast to the whole project. */
export interface StreamFramesTable {
  seq: number
  project_id: string
  session_id: string | null
  /** JSON VarsFrame. */
  data: string
  created_at: number
}

/** One row holding the last frame number handed out. */
export interface StreamCursorTable {
  id: number
  seq: number
}

declare module './schema.ts' {
  interface Database {
    stream_frames: StreamFramesTable
    stream_cursor: StreamCursorTable
  }
}

/** Frames replayed on one connection at most; a client further behind gets the rest when it reconnects. */
const REPLAY_LIMIT = 2000

/** Appends a frame inside the caller's transaction and answers its number. */
export async function insertStreamFrame(
  tx: Transaction<Database>,
  projectId: string,
  session: string | null,
  data: VarsFrame,
): Promise<number> {
  const { seq } = await tx
    .updateTable('stream_cursor')
    .set((eb) => ({ seq: eb('seq', '+', 1) }))
    .where('id', '=', 1)
    .returning('seq')
    .executeTakeFirstOrThrow()
  const number = Number(seq)
  await tx
    .insertInto('stream_frames')
    .values({
      seq: number,
      project_id: projectId,
      session_id: session,
      data: JSON.stringify(data),
      created_at: Date.now(),
    })
    .execute()
  return number
}

/** The hub's store on the relay's database. */
export function streamFrameStore(db: Kysely<Database>): StreamFrameStore {
  return {
    appendVars: (projectId, session, data) =>
      db.transaction().execute((tx) => insertStreamFrame(tx, projectId, session, data)),

    async replay(projectId, session, afterSeq) {
      // One read transaction, so the frames and the cursor describe the same moment.
      return db.transaction().execute(async (tx) => {
        const cursor = await tx.selectFrom('stream_cursor').select('seq').where('id', '=', 1).executeTakeFirstOrThrow()
        const latestSeq = Number(cursor.seq)
        if (afterSeq >= latestSeq) return { latestSeq, frames: [], complete: true }
        const rows = await tx
          .selectFrom('stream_frames')
          .select(['seq', 'data'])
          .where('project_id', '=', projectId)
          .where('seq', '>', afterSeq)
          .where((eb) => eb.or([eb('session_id', '=', session), eb('session_id', 'is', null)]))
          .orderBy('seq')
          .limit(REPLAY_LIMIT)
          .execute()
        const frames: StoredVarsFrame[] = rows.map((row) => ({
          seq: Number(row.seq),
          data: JSON.parse(row.data) as VarsFrame,
        }))
        return { latestSeq, frames, complete: frames.length < REPLAY_LIMIT }
      })
    },

    async prune(before) {
      await db.deleteFrom('stream_frames').where('created_at', '<', before).execute()
      await db.deleteFrom('inbound_receipts').where('received_at', '<', before).execute()
    },
  }
}

/** One stored `vars` frame by number, as a hub message (for a node that was told only the number). */
export async function loadVarsFrame(
  db: Kysely<Database>,
  reference: { projectId: string; session: string | null; seq: number },
): Promise<HubMessage | undefined> {
  const row = await db
    .selectFrom('stream_frames')
    .select(['data'])
    .where('seq', '=', reference.seq)
    .where('project_id', '=', reference.projectId)
    .executeTakeFirst()
  return (
    row && {
      projectId: reference.projectId,
      session: reference.session,
      event: 'vars',
      seq: reference.seq,
      data: JSON.parse(row.data) as VarsFrame,
    }
  )
}

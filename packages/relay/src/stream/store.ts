import type { Kysely } from 'kysely'
import type { Environment, VarsFrame } from '@hookline/protocol'
import { pruneInboundReceipts } from '../storage/inbound-receipts.ts'
import type { Database } from '../storage/schema.ts'
import {
  findVarsFrame,
  insertStreamFrame,
  pruneStreamFrames,
  replayStreamFrames,
  type Replay,
} from '../storage/stream-frames.ts'
import type { HubMessage } from './bus/message.ts'
import type { VarsReference } from './bus/postgres.ts'

/** Where `vars` frames are kept so that a reconnecting session can be replayed what it missed. */
export interface StreamFrameStore {
  /** Commits the frame and answers its sequence number (increasing, never reused). */
  appendVars(projectId: string, session: string | null, environment: Environment, data: VarsFrame): Promise<number>
  /**
   * The highest sequence number so far, and the session's frames (its own and its environment's
   * broadcasts) after `afterSeq`, in order; `complete` is false when there were more than one reply should hold.
   */
  replay(projectId: string, environment: Environment, session: string, afterSeq: number): Promise<Replay>
  /** Deletes frames (and inbound receipts) older than `before` (ms since epoch). */
  prune(before: number): Promise<void>
}

/** The hub's store on the relay's database. */
export function streamFrameStore(db: Kysely<Database>): StreamFrameStore {
  return {
    appendVars: (projectId, session, environment, data) =>
      db.transaction().execute((tx) => insertStreamFrame(tx, projectId, session, environment, data)),
    replay: (projectId, environment, session, afterSeq) =>
      replayStreamFrames(db, projectId, environment, session, afterSeq),
    // Receipts are kept as long as frames: a webhook replayed within the window has no second effect.
    async prune(before) {
      await pruneStreamFrames(db, before)
      await pruneInboundReceipts(db, before)
    },
  }
}

/** One stored `vars` frame by number, as a hub message (for a node that was told only the number). */
export async function loadVarsMessage(
  db: Kysely<Database>,
  { projectId, session, seq }: VarsReference,
): Promise<HubMessage | undefined> {
  const found = await findVarsFrame(db, projectId, seq)
  return found && { projectId, session, environment: found.environment, event: 'vars', seq, data: found.data }
}

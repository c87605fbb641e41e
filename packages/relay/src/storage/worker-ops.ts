import type { Kysely } from 'kysely'
import { writeAttempts, type AttemptRecord, type FailureRun } from './attempt-results.ts'
import { claimDue, type ClaimOptions } from './delivery-queue.ts'
import { insertEvents } from './events.ts'
import { commitInbound, type InboundCommit } from './inbound-receipts.ts'
import type { Database } from './schema.ts'
import { unpackEvents, type PackedEvents } from './stored-events-wire.ts'
import type { Dialect } from './types.ts'

/** A write run whole on the thread that owns the SQLite connection (`sqlite-worker.ts`). */
interface WorkerOp {
  run(db: Kysely<Database>, args: unknown[]): Promise<unknown>
  /**
   * True for the dispatcher's bookkeeping, whose loss to a power cut only means a delivery is sent
   * again (`relaxedTransaction`): a group made only of these commits without waiting for the disk.
   */
  relaxed: boolean
}

/** The writes the relay makes most, by name; their arguments and answers are structured-cloned. */
export const workerOps: Record<string, WorkerOp> = {
  insertEvents: {
    run: (db, [packed]) => insertEvents(db, unpackEvents(packed as PackedEvents)),
    relaxed: false,
  },
  commitInbound: {
    run: (db, [items]) => commitInbound(db, items as InboundCommit[]),
    relaxed: false,
  },
  claimDue: {
    run: (db, [dialect, options]) => claimDue(db, dialect as Dialect, options as ClaimOptions),
    relaxed: true,
  },
  writeAttempts: {
    run: async (db, [dialect, records, failures]) => {
      const written = await writeAttempts(
        db,
        dialect as Dialect,
        records as AttemptRecord[],
        failures as Map<string, FailureRun>,
      )
      return written.map((record) => record.delivery.id)
    },
    relaxed: true,
  },
}

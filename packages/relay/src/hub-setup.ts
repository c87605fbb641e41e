import { Hub } from './hub.ts'
import { localBus } from './hub-bus.ts'
import { postgresBus } from './hub-postgres-bus.ts'
import type { Storage } from './storage/db.ts'
import { loadVarsFrame, streamFrameStore } from './storage/stream-frames.ts'

/**
 * The relay's hub on its storage: frames cross relay nodes by PostgreSQL LISTEN/NOTIFY when the
 * storage is PostgreSQL, by a function call on SQLite (one node). `startRelay`'s close() closes it.
 */
export async function createHub(storage: Storage, databaseUrl: string | undefined): Promise<Hub> {
  const bus =
    storage.dialect === 'postgres' && databaseUrl
      ? await postgresBus(databaseUrl, (reference) => loadVarsFrame(storage.db, reference))
      : localBus()
  return new Hub({ store: streamFrameStore(storage.db), bus })
}

import { Hub } from './hub.ts'
import { localBus } from './hub-bus.ts'
import { postgresBus } from './hub-postgres-bus.ts'
import type { Storage } from './storage/db.ts'
import { loadVarsFrame, streamFrameStore } from './storage/stream-frames.ts'

/**
 * The relay's hub on its storage: frames cross relay nodes by PostgreSQL LISTEN/NOTIFY when the
 * storage is PostgreSQL, by a function call on SQLite (one node).
 */
export async function createHub(storage: Storage, databaseUrl: string | undefined): Promise<Hub> {
  const bus = storage.dialect === 'postgres' && databaseUrl ? await postgresBus(databaseUrl, (reference) => loadVarsFrame(storage.db, reference)) : localBus()
  const hub = new Hub({ store: streamFrameStore(storage.db), bus })
  // The relay closes its storage last when it stops; the hub (timers, streams, the LISTEN
  // connection) goes just before it, without the relay's shutdown having to know about it.
  const closeStorage = storage.close.bind(storage)
  storage.close = async () => {
    await hub.close()
    await closeStorage()
  }
  return hub
}

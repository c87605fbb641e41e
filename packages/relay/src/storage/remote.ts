import type { Kysely } from 'kysely'
import type { Database } from './schema.ts'

/**
 * The thread that owns a store's SQLite connection, when that is not this one (`sqlite-worker.ts`).
 * The busiest writes (ingest, claims, attempt results, inbound frames) run there whole, one message
 * each, instead of a message per statement; each answers once its group of writes is committed.
 */
export interface StorageThread {
  /** Runs `name` from `worker-ops.ts` on the owning thread with these (structured-cloned) arguments. */
  run<T>(name: string, args: unknown[]): Promise<T>
}

const threads = new WeakMap<Kysely<Database>, StorageThread>()

/** The thread a store's writes go to, or undefined when they run here. */
export function storageThread(db: Kysely<Database>): StorageThread | undefined {
  return threads.get(db)
}

export function setStorageThread(db: Kysely<Database>, thread: StorageThread): void {
  threads.set(db, thread)
}

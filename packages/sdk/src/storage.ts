import { createStore, delMany, entries, setMany, type UseStore } from 'idb-keyval'

/** Where queued events live: `[id, serialized event]` pairs. */
export interface QueueStorage {
  readonly kind: 'indexeddb' | 'memory'
  put(records: Array<[string, string]>): Promise<void>
  remove(ids: string[]): Promise<void>
  /** Every stored record, in id order (oldest first: ids sort by time). */
  all(): Promise<Array<[string, string]>>
}

/** Keeps records in a Map: the fallback when IndexedDB is unavailable, and for `storage: 'memory'`. */
export function memoryStorage(): QueueStorage {
  const records = new Map<string, string>()
  return {
    kind: 'memory',
    async put(list) {
      for (const [id, json] of list) records.set(id, json)
    },
    async remove(ids) {
      for (const id of ids) records.delete(id)
    },
    async all() {
      return [...records].sort((a, b) => (a[0] < b[0] ? -1 : 1))
    },
  }
}

/** An idb-keyval store of its own (database `name`, object store `events`). */
export function indexedDbStorage(name: string): QueueStorage {
  let store: UseStore | undefined
  const use = (): UseStore => (store ??= createStore(name, 'events'))
  return {
    kind: 'indexeddb',
    put: (list) => setMany(list, use()),
    remove: (ids) => delMany(ids, use()),
    all: () => entries<string, string>(use()),
  }
}

/**
 * Opens the queue's storage and reads what a previous page left in it. Falls back to memory when
 * IndexedDB is missing or refuses to open (private modes, `data:` pages); `onFallback` says why.
 */
export async function openStorage(
  name: string,
  kind: 'indexeddb' | 'memory',
  onFallback: (reason: string) => void,
): Promise<{ storage: QueueStorage; records: Array<[string, string]> }> {
  if (kind === 'indexeddb') {
    if (typeof indexedDB === 'undefined') onFallback('IndexedDB is not available here')
    else {
      const storage = indexedDbStorage(name)
      try {
        return { storage, records: await storage.all() }
      } catch (error) {
        onFallback(`IndexedDB refused to open (${(error as Error)?.message ?? error})`)
      }
    }
  }
  return { storage: memoryStorage(), records: [] }
}

import type { Warn } from '../log.ts'
import { createStore, promisifyRequest, type UseStore } from 'idb-keyval'
import { reasonOf } from '../errors.ts'

/**
 * Events are stored in chunks of up to 100: one IndexedDB record per chunk, keyed by its first
 * event id (ids sort by time), holding `[id, serialized event]` pairs. One put per chunk instead of
 * one per event is what keeps the queue's main-thread cost low.
 */
export type Chunk = [key: string, records: Array<[id: string, json: string]>]

/** Where queued events live. */
export interface QueueStorage {
  readonly kind: 'indexeddb' | 'memory'
  put(chunks: Chunk[]): Promise<void>
  remove(keys: string[]): Promise<void>
  /** Every stored chunk, in key order (oldest first). */
  all(): Promise<Chunk[]>
}

/** Keeps chunks in a Map: the fallback when IndexedDB is unavailable, and for `storage: 'memory'`. */
export function memoryStorage(): QueueStorage {
  const chunks = new Map<string, Chunk[1]>()
  return {
    kind: 'memory',
    put(list) {
      for (const [key, records] of list) chunks.set(key, records)
      return Promise.resolve()
    },
    remove(keys) {
      for (const key of keys) chunks.delete(key)
      return Promise.resolve()
    },
    all: () => Promise.resolve([...chunks].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
  }
}

/**
 * An idb-keyval store of its own (database `name`, object store `events`). Each call is one
 * transaction on idb-keyval's store; `all` reads keys and values with one request each (`getAll`).
 */
export function indexedDbStorage(name: string): QueueStorage {
  let store: UseStore | undefined
  const use = (): UseStore => (store ??= createStore(name, 'events'))
  const write = (change: (store: IDBObjectStore) => void): Promise<void> =>
    use()('readwrite', (objects) => {
      change(objects)
      return promisifyRequest(objects.transaction)
    })
  return {
    kind: 'indexeddb',
    put: (list) =>
      write((objects) => {
        for (const [key, records] of list) objects.put(records, key)
      }),
    remove: (keys) =>
      write((objects) => {
        for (const key of keys) objects.delete(key)
      }),
    all: () =>
      use()('readonly', async (objects) => {
        const [keys, values] = await Promise.all([
          promisifyRequest(objects.getAllKeys()),
          promisifyRequest(objects.getAll() as IDBRequest<Chunk[1][]>),
        ])
        return keys.map((key, index): Chunk => [key as string, values[index] ?? []])
      }),
  }
}

/**
 * Opens the queue's storage and reads what a previous page left in it. Falls back to memory when
 * IndexedDB is missing or refuses to open (private modes, `data:` pages); `onFallback` says why.
 */
export async function openStorage(
  name: string,
  kind: 'indexeddb' | 'memory',
  onFallback: Warn,
): Promise<{ storage: QueueStorage; chunks: Chunk[] }> {
  if (kind === 'indexeddb') {
    if (!(globalThis as Partial<typeof globalThis>).indexedDB) onFallback('HL18')
    else {
      const storage = indexedDbStorage(name)
      try {
        return { storage, chunks: await storage.all() }
      } catch (error) {
        onFallback('HL19', reasonOf(error))
      }
    }
  }
  return { storage: memoryStorage(), chunks: [] }
}

import type { Warn } from '../log.ts'
import type { Json } from '@hookline/protocol'
import { createStore, promisifyRequest, type UseStore } from 'idb-keyval'
import type { MapStore } from 'nanostores'
import { reasonOf } from '../errors.ts'

/** One session's variables, with the stream cursor that was current when they were saved. */
export interface SavedRecord {
  vars: Record<string, Json>
  cursor: string | null
  at: number
}

export interface SavedVars {
  /** The session's saved variables, if any (undefined too when storage fails). */
  load(): Promise<SavedRecord | undefined>
  /** Saves the variables as they are now (what changed before saving began: the chunk loads late). */
  save(): void
  /** Stops saving. */
  close(): void
}

/** Saved sessions older than the stream's replay window are of no use: dropped at start. */
const KEEP_MS = 24 * 60 * 60 * 1000

/**
 * The session's variables in IndexedDB, beside the queue (database `<scope> vars`, one record per
 * session id), so a reload restores them before the stream replays what was missed. Each change
 * is saved once per task, one write at a time, with the stream cursor read at that moment: the
 * frames up to it are in the saved values, so resuming from it replays only later ones.
 */
export function saveVars(
  name: string,
  sessionId: string,
  vars: MapStore<Record<string, Json>>,
  cursor: () => string | null,
  warn: Warn,
): SavedVars {
  let store: UseStore | undefined
  let closed = false
  let busy = false
  let again = false
  const use = (): UseStore => (store ??= createStore(name, 'vars'))
  const fail = (error: unknown): undefined => {
    if (!closed) warn('HL25', reasonOf(error))
    closed = true
    return undefined
  }

  function write(): void {
    if (closed) return
    if (busy) {
      again = true
      return
    }
    busy = true
    const record: SavedRecord = { vars: vars.get(), cursor: cursor(), at: Date.now() }
    use()('readwrite', (objects) => {
      objects.put(record, sessionId)
      return promisifyRequest(objects.transaction)
    }).then(() => {
      busy = false
      if (again) {
        again = false
        write()
      }
    }, fail)
  }

  let scheduled = false
  const stop = vars.listen(() => {
    if (scheduled) return
    scheduled = true
    queueMicrotask(() => {
      scheduled = false
      write()
    })
  })

  return {
    load: () =>
      use()('readwrite', async (objects) => {
        const [keys, records] = await Promise.all([
          promisifyRequest(objects.getAllKeys()),
          promisifyRequest(objects.getAll() as IDBRequest<Array<Partial<SavedRecord> | undefined>>),
        ])
        // Other sessions' records that are too old to resume go in the same transaction.
        const cutoff = Date.now() - KEEP_MS
        let record: Partial<SavedRecord> | undefined
        keys.forEach((key, index) => {
          if (key === sessionId) record = records[index]
          else if ((records[index]?.at ?? 0) < cutoff) objects.delete(key)
        })
        return record?.vars && typeof record.vars === 'object' ? (record as SavedRecord) : undefined
      }).catch(fail),
    save: write,
    close() {
      closed = true
      stop()
    },
  }
}

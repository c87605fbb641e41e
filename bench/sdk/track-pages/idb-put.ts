// Baseline: what a queue that writes each event to IndexedDB on its own would cost —
// one readwrite transaction and one put per call, nothing else.
import { EVENT_NAME, props } from './target.ts'

let db: IDBDatabase
let pending = 0
let drained: (() => void) | undefined

window.benchTarget = {
  start: () =>
    new Promise<void>((resolve, reject) => {
      const request = indexedDB.open('bench-idb-put', 1)
      request.onupgradeneeded = () => request.result.createObjectStore('queue')
      request.onsuccess = () => {
        db = request.result
        resolve()
      }
      request.onerror = () => reject(request.error ?? new Error('The IndexedDB request failed.'))
    }),
  track(i) {
    const id = `evt_${Date.now().toString(36)}_${i}_${Math.random().toString(36).slice(2)}`
    const transaction = db.transaction('queue', 'readwrite')
    transaction.objectStore('queue').put({ id, name: EVENT_NAME, ts: new Date().toISOString(), props: props(i) }, id)
    pending++
    transaction.oncomplete = transaction.onerror = () => {
      if (--pending === 0) drained?.()
    }
  },
  settle: () => (pending === 0 ? Promise.resolve() : new Promise<void>((resolve) => (drained = resolve))),
}

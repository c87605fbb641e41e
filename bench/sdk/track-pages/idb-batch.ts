// Baseline: a queue that coalesces each task's events into ONE IndexedDB record — the events are
// buffered and, once per task (a microtask), serialized and written with a single put. A lower
// bound for a durable queue's write cost per event, beside one put per event (idb-put.ts).
import { EVENT_NAME, props } from './target.ts'

let db: IDBDatabase
let buffer: string[] = []
let pending = 0
let drained: (() => void) | undefined

function writeBuffered(): void {
  const records = buffer
  buffer = []
  const transaction = db.transaction('queue', 'readwrite')
  transaction
    .objectStore('queue')
    .put(records, `batch_${Date.now().toString(36)}_${Math.random().toString(36).slice(2)}`)
  transaction.oncomplete = transaction.onerror = () => {
    if (--pending === 0) drained?.()
  }
}

window.benchTarget = {
  start: () =>
    new Promise<void>((resolve, reject) => {
      const request = indexedDB.open('bench-idb-batch', 1)
      request.onupgradeneeded = () => request.result.createObjectStore('queue')
      request.onsuccess = () => {
        db = request.result
        resolve()
      }
      request.onerror = () => reject(request.error ?? new Error('The IndexedDB request failed.'))
    }),
  track(i) {
    const id = `evt_${Date.now().toString(36)}_${i}_${Math.random().toString(36).slice(2)}`
    if (buffer.push(JSON.stringify({ id, name: EVENT_NAME, ts: new Date().toISOString(), props: props(i) })) === 1) {
      pending++
      queueMicrotask(writeBuffered)
    }
  },
  settle: () => (pending === 0 ? Promise.resolve() : new Promise<void>((resolve) => (drained = resolve))),
}

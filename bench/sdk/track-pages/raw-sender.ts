// Baseline: the durable work our queue does, with none of the SDK around it — each task's events
// serialized and written to IndexedDB in records of 100 (one put per task), then POSTed to the
// stub's /v1/events in batches of 100 with the same headers as ours, up to 4 at a time, each
// batch's record deleted when its answer comes. The floor for "stored before sent, removed when
// acknowledged" in this browser: what is left of ours above it is the SDK's own bookkeeping.
import { EVENT_NAME, props } from './target.ts'

const BATCH = 100
const IN_FLIGHT = 4

let db: IDBDatabase
let api = ''
let buffer: string[] = []
let seq = 0
const stored: Array<[key: string, events: string[]]> = []
let inflight = 0
let pending = 0
let drained: (() => void) | undefined

function done(): void {
  if (--pending === 0) drained?.()
}

function drain(): void {
  while (inflight < IN_FLIGHT && stored.length) {
    const [key, events] = stored.shift()!
    inflight++
    void fetch(`${api}/v1/events`, {
      method: 'POST',
      headers: { authorization: 'Bearer pk_test_bench', 'content-type': 'application/json' },
      body: `{"sentAt":"${new Date().toISOString()}","events":[${events.join(',')}]}`,
    })
      .then((response) => response.json())
      .then(() => {
        inflight--
        const transaction = db.transaction('queue', 'readwrite')
        transaction.objectStore('queue').delete(key)
        transaction.oncomplete = transaction.onerror = () => done()
        drain()
      })
  }
}

function writeBuffered(): void {
  const events = buffer
  buffer = []
  const transaction = db.transaction('queue', 'readwrite')
  const objects = transaction.objectStore('queue')
  const records: Array<[string, string[]]> = []
  for (let start = 0; start < events.length; start += BATCH) {
    const key = `r${(++seq).toString().padStart(9, '0')}`
    records.push([key, events.slice(start, start + BATCH)])
    objects.put(records[records.length - 1]![1], key)
    pending++
  }
  transaction.oncomplete = () => {
    stored.push(...records)
    drain()
  }
}

window.benchTarget = {
  start: (origin) =>
    new Promise<void>((resolve, reject) => {
      api = origin
      const request = indexedDB.open('bench-raw-sender', 1)
      request.onupgradeneeded = () => request.result.createObjectStore('queue')
      request.onsuccess = () => {
        db = request.result
        resolve()
      }
      request.onerror = () => reject(request.error ?? new Error('The IndexedDB request failed.'))
    }),
  track(i) {
    const id = `evt_${Date.now().toString(36)}_${i}_${Math.random().toString(36).slice(2)}`
    const event = { id, name: EVENT_NAME, ts: new Date().toISOString(), sessionId: 'ses_bench', props: props(i) }
    if (buffer.push(JSON.stringify(event)) === 1) queueMicrotask(writeBuffered)
  },
  settle: () =>
    pending === 0 && !buffer.length ? Promise.resolve() : new Promise<void>((resolve) => (drained = resolve)),
}

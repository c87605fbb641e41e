// Page fixture for (c): our SDK against a real relay, plus the raw-fetch baseline, in one bundle.
// track.ts-style fixtures keep one SDK per page; here both sides must run in the same browser
// against the same relay, so the page offers both and drain.ts picks one per fresh context.
import { newId, type SessionClaimResponse } from '@hookline/protocol'
import { createHookline } from '@hookline/sdk'

declare global {
  interface Window {
    drainBench: typeof drainBench
  }
}

const EVENT_NAME = 'checkout-completed'
const props = (i: number) => ({ total: i, sku: 'A1', currency: 'EUR' })
let hl: ReturnType<typeof createHookline> | undefined

/**
 * Distinct event ids held in IndexedDB databases whose name mentions hookline (the SDK's queue),
 * however the SDK lays its records out (one per event, or chunks of serialized events).
 */
async function storedEventIds(): Promise<number> {
  const ids = new Set<string>()
  for (const info of await indexedDB.databases()) {
    if (!info.name?.includes('hookline')) continue
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(info.name!)
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error ?? new Error('The IndexedDB request failed.'))
    })
    for (const store of Array.from(db.objectStoreNames)) {
      const values = await new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction(store, 'readonly').objectStore(store).getAll()
        request.onsuccess = () => resolve(request.result)
        request.onerror = () => reject(request.error ?? new Error('The IndexedDB request failed.'))
      })
      for (const match of JSON.stringify(values).matchAll(/evt_[0-9A-Za-z]{20,}/g)) ids.add(match[0])
    }
    db.close()
  }
  return ids.size
}

const drainBench = {
  start(relay: string, key: string): void {
    hl = createHookline({ relay, key })
  },
  /** Tracks `n` events (the page is offline) and resolves once all `n` are in IndexedDB. */
  async fill(n: number): Promise<void> {
    for (let i = 0; i < n; i++) hl!.track(EVENT_NAME, props(i))
    while ((await storedEventIds()) < n) await new Promise((resolve) => setTimeout(resolve, 100))
  },
  /**
   * Resolves with the ms from the `online` event to flush() resolving (every queued id
   * acknowledged). The capturing listener runs before the SDK's own `online` handler.
   */
  timeDrainFromOnline(): Promise<number> {
    return new Promise((resolve) => {
      addEventListener(
        'online',
        () => {
          const started = performance.now()
          void hl!.flush().then(() => resolve(performance.now() - started))
        },
        { capture: true, once: true },
      )
    })
  },
  /** Events left in the SDK's queue. */
  queued: () => hl!.status.get().queued,
  /**
   * Baseline: the same number of events, in batches of `batchSize`, POSTed with fetch by
   * `inFlight` workers, each one request at a time (bodies serialized beforehand, as the SDK's
   * queue holds them). Resolves with the ms from the first request to the last acknowledgement;
   * throws if any id is not accepted.
   */
  async rawPost(relay: string, key: string, n: number, batchSize: number, inFlight: number): Promise<number> {
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' }
    // The session is claimed before the clock starts, as the SDK's is before its first batch: the
    // relay refuses an event whose session token is missing.
    const claimed = await fetch(`${relay}/v1/sessions`, { method: 'POST', headers, body: '{}' })
    if (claimed.status !== 201) throw new Error(`the relay answered ${claimed.status} to the session claim`)
    const { id: sessionId, token } = (await claimed.json()) as SessionClaimResponse
    const sessionTokens = { [sessionId]: token }
    const bodies: Array<{ body: string; count: number }> = []
    for (let from = 0; from < n; from += batchSize) {
      const events = []
      for (let i = from; i < Math.min(n, from + batchSize); i++) {
        events.push({ id: newId('evt'), name: EVENT_NAME, ts: new Date().toISOString(), sessionId, props: props(i) })
      }
      bodies.push({
        body: JSON.stringify({ sentAt: new Date().toISOString(), sessionTokens, events }),
        count: events.length,
      })
    }
    const started = performance.now()
    const worker = async () => {
      for (let next = bodies.shift(); next; next = bodies.shift()) {
        const response = await fetch(`${relay}/v1/events`, {
          method: 'POST',
          headers,
          body: next.body,
        })
        const answer = (await response.json()) as { accepted?: string[] }
        if (response.status !== 202 || (answer.accepted?.length ?? 0) !== next.count) {
          throw new Error(`the relay answered ${response.status} with ${answer.accepted?.length ?? 0} accepted`)
        }
      }
    }
    await Promise.all(Array.from({ length: inFlight }, worker))
    return performance.now() - started
  },
}
window.drainBench = drainBench

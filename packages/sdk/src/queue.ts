import { LIMITS, type HooklineEvent } from '@hookline/protocol'
import { memoryStorage, type QueueStorage } from './storage.ts'

/** One queued event. `json` is filled when the event is serialized for its coalesced write. */
export interface QueueRecord {
  id: string
  json: string
}

interface Entry {
  id: string
  event: HooklineEvent | undefined
  at: number
  json: string
  bytes: number
  stored: boolean
  flight: boolean
}

export interface QueueOptions {
  /** Resolves to the storage and what it already held (see `openStorage`). */
  open: Promise<{ storage: QueueStorage; records: Array<[string, string]> }>
  budgetBytes: number
  /** Records written to storage by this tab (to tell the sending tab, and to schedule a send). */
  onStored(records: QueueRecord[]): void
  /** Events that left the queue without an acknowledgement: evicted, or too large to send. */
  onDropped(ids: string[], reason: string, evicted: boolean): void
  /** A storage failure; the queue carries on in memory. */
  onError(message: string): void
  /** The number of queued events changed. */
  onChange(): void
}

export interface Queue {
  /**
   * The hot path: remembers the event and schedules one coalesced write for all events of this
   * task. An empty `ts` is filled from `at` (ms) when the event is serialized, off the hot path.
   */
  enqueue(event: HooklineEvent, at?: number): void
  /**
   * Removes acknowledged (or rejected) ids, from storage too unless `fromStorage` is false (another
   * tab already deleted them). Returns the ids this queue held.
   */
  remove(ids: readonly string[], fromStorage?: boolean): string[]
  /** Adds records another tab wrote (or that storage holds), as stored. */
  merge(records: ReadonlyArray<readonly [string, string]>): void
  /** Re-reads storage (when this tab becomes the sending tab). */
  reload(): Promise<void>
  /** Stored records not in flight, oldest first, within both limits; marks them in flight. */
  take(maxEvents: number, maxBytes: number): QueueRecord[]
  /** Every record not yet acknowledged, stored or not (for the page-hide beacon), within the limits. */
  peek(maxEvents: number, maxBytes: number): QueueRecord[]
  /** Clears the in-flight mark of ids that were sent but not settled. */
  release(ids: readonly string[]): void
  /** Resolves when every id in `ids` has left the queue. */
  settled(ids: readonly string[]): Promise<void>
  /** Ids currently queued. */
  ids(): string[]
  /** True when stored records wait to be sent (not in flight). */
  hasSendable(): boolean
  readonly size: number
  readonly bytes: number
  readonly storageKind: 'indexeddb' | 'memory'
  /** Resolves once storage is open and its records are loaded. */
  readonly ready: Promise<void>
  /** Starts writing what is unwritten now (page hide); resolves when written. */
  persist(): Promise<void>
}

function serialize(entry: Entry): string {
  const event = entry.event!
  if (!event.ts) event.ts = new Date(entry.at || Date.now()).toISOString()
  return JSON.stringify(event)
}

/** Bytes of the `{"sentAt":"…","events":[…]}` envelope around a batch. */
const ENVELOPE = 64

/**
 * The offline queue. `enqueue` costs a Map insert and an array push; serialization and the
 * IndexedDB write happen once per task for everything enqueued in it, and deletes are coalesced
 * the same way. Writes and deletes run one at a time, in order, so an id acknowledged while its
 * write is in flight is deleted after it, never resurrected.
 */
export function createQueue(options: QueueOptions): Queue {
  const entries = new Map<string, Entry>()
  let unwritten: Entry[] = []
  let deletes = new Set<string>()
  let storage: QueueStorage | undefined
  let bytes = 0
  let busy = false
  let scheduled = false
  const waiters = new Set<{ ids: Set<string>; resolve(): void }>()
  let idle: Promise<void> = Promise.resolve()
  let idleResolve: (() => void) | undefined

  const ready = options.open.then(
    ({ storage: opened, records }) => {
      storage = opened
      add(records)
    },
    (error) => {
      options.onError(`The queue's storage failed to open: ${error?.message ?? error}`)
      storage = memoryStorage()
    },
  )

  function add(records: ReadonlyArray<readonly [string, string]>): void {
    let added = false
    for (const [id, json] of records) {
      if (entries.has(id)) continue
      entries.set(id, { id, event: undefined, at: 0, json, bytes: json.length, stored: true, flight: false })
      bytes += json.length
      added = true
    }
    if (added) {
      enforceBudget()
      options.onChange()
    }
  }

  function schedule(): void {
    if (scheduled || busy) return
    scheduled = true
    if (!idleResolve) idle = new Promise((resolve) => (idleResolve = resolve))
    queueMicrotask(pump)
  }

  async function pump(): Promise<void> {
    scheduled = false
    if (busy) return
    busy = true
    try {
      await ready
      while (unwritten.length || deletes.size) {
        if (unwritten.length) await write()
        if (deletes.size) {
          const ids = [...deletes]
          deletes = new Set()
          await guard(() => storage!.remove(ids))
        }
      }
    } finally {
      busy = false
      if (unwritten.length || deletes.size) schedule()
      else {
        idleResolve?.()
        idleResolve = undefined
      }
    }
  }

  async function write(): Promise<void> {
    const batch = unwritten
    unwritten = []
    const tooLarge: string[] = []
    for (const entry of batch) {
      if (entries.get(entry.id) !== entry) continue
      try {
        entry.json = serialize(entry)
      } catch (error) {
        entries.delete(entry.id)
        options.onDropped([entry.id], `the event could not be serialized as JSON (${(error as Error)?.message ?? error})`, false)
        resolveWaiters([entry.id])
        continue
      }
      entry.event = undefined
      entry.bytes = entry.json.length
      if (entry.bytes > LIMITS.eventBytes) {
        entries.delete(entry.id)
        tooLarge.push(entry.id)
        continue
      }
      bytes += entry.bytes
    }
    if (tooLarge.length) {
      options.onDropped(tooLarge, `the event is larger than ${LIMITS.eventBytes} bytes`, false)
      resolveWaiters(tooLarge)
    }
    enforceBudget()
    const live = batch.filter((entry) => entries.get(entry.id) === entry)
    if (!live.length) return
    await guard(() => storage!.put(live.map((entry) => [entry.id, entry.json])))
    const written: QueueRecord[] = []
    for (const entry of live) {
      if (entries.get(entry.id) !== entry) continue
      entry.stored = true
      written.push({ id: entry.id, json: entry.json })
    }
    if (written.length) options.onStored(written)
  }

  /** Runs a storage operation; on failure, says so once and carries on in memory. */
  async function guard(operation: () => Promise<void>): Promise<void> {
    try {
      await operation()
    } catch (error) {
      if (storage?.kind === 'memory') return
      options.onError(`IndexedDB failed (${(error as Error)?.message ?? error}); the queue continues in memory and will not survive a reload.`)
      storage = memoryStorage()
    }
  }

  function enforceBudget(): void {
    if (bytes <= options.budgetBytes) return
    const evicted: string[] = []
    for (const entry of entries.values()) {
      if (bytes <= options.budgetBytes) break
      if (!entry.json) continue
      entries.delete(entry.id)
      bytes -= entry.bytes
      if (entry.stored) deletes.add(entry.id)
      evicted.push(entry.id)
    }
    if (evicted.length) {
      options.onDropped(evicted, `the queue's byte budget (${options.budgetBytes} bytes) was exceeded; the oldest events were evicted`, true)
      resolveWaiters(evicted)
      options.onChange()
    }
  }

  function resolveWaiters(removed: readonly string[]): void {
    if (!waiters.size) return
    for (const waiter of waiters) {
      for (const id of removed) waiter.ids.delete(id)
      if (!waiter.ids.size) {
        waiters.delete(waiter)
        waiter.resolve()
      }
    }
  }

  function select(maxEvents: number, maxBytes: number, sendable: (entry: Entry) => boolean): QueueRecord[] {
    const out: QueueRecord[] = []
    let size = ENVELOPE
    for (const entry of entries.values()) {
      if (out.length >= maxEvents) break
      if (!sendable(entry)) continue
      const json = entry.json || serialize(entry)
      if (size + json.length + 1 > maxBytes) break
      size += json.length + 1
      out.push({ id: entry.id, json })
    }
    return out
  }

  return {
    enqueue(event, at = 0) {
      const entry: Entry = { id: event.id, event, at, json: '', bytes: 0, stored: false, flight: false }
      entries.set(event.id, entry)
      unwritten.push(entry)
      schedule()
    },
    remove(ids, fromStorage = true) {
      const removed: string[] = []
      for (const id of ids) {
        const entry = entries.get(id)
        if (!entry) continue
        entries.delete(id)
        bytes -= entry.bytes
        removed.push(id)
        if (entry.stored && fromStorage) deletes.add(id)
      }
      // Another tab may have written ids this tab never loaded: delete them anyway (harmless).
      if (fromStorage && removed.length < ids.length) for (const id of ids) if (!entries.has(id)) deletes.add(id)
      if (deletes.size) schedule()
      if (removed.length) {
        resolveWaiters(removed)
        options.onChange()
      }
      return removed
    },
    merge: add,
    async reload() {
      await ready
      try {
        add(await storage!.all())
      } catch (error) {
        options.onError(`Could not read the queue: ${(error as Error)?.message ?? error}`)
      }
    },
    take(maxEvents, maxBytes) {
      const batch = select(maxEvents, maxBytes, (entry) => entry.stored && !entry.flight)
      for (const { id } of batch) entries.get(id)!.flight = true
      return batch
    },
    peek(maxEvents, maxBytes) {
      return select(maxEvents, maxBytes, () => true)
    },
    release(ids) {
      for (const id of ids) {
        const entry = entries.get(id)
        if (entry) entry.flight = false
      }
    },
    settled(ids) {
      const pending = new Set(ids.filter((id) => entries.has(id)))
      if (!pending.size) return Promise.resolve()
      return new Promise((resolve) => waiters.add({ ids: pending, resolve }))
    },
    ids: () => [...entries.keys()],
    hasSendable() {
      for (const entry of entries.values()) if (entry.stored && !entry.flight) return true
      return false
    },
    get size() {
      return entries.size
    },
    get bytes() {
      return bytes
    },
    get storageKind() {
      return storage?.kind ?? 'indexeddb'
    },
    ready,
    persist() {
      if (unwritten.length || deletes.size || busy) {
        schedule()
        return idle
      }
      return Promise.resolve()
    },
  }
}

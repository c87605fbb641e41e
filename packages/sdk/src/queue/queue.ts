import type { Warn } from '../log.ts'
import { LIMITS, type HooklineEvent } from '@hookline/protocol'
import { reasonOf } from '../errors.ts'
import { newEntry, serialize, type Entry, type QueueRecord } from './entry.ts'
import { entriesToEvict } from './eviction.ts'
import { selectEntries } from './select.ts'
import { memoryStorage, type Chunk, type QueueStorage } from './storage.ts'

interface ChunkState {
  ids: string[]
  /** Its events still queued; at 0 the chunk is deleted. */
  left: number
  stored: boolean
}

export interface QueueOptions {
  /** Resolves to the storage and the chunks it already held (see `openStorage`). */
  open: Promise<{ storage: QueueStorage; chunks: Chunk[] }>
  budgetBytes: number
  /**
   * Chunks this tab is writing to storage, as the write starts (to tell the sending tab, and to
   * schedule a send): their events may be sent while the write is in flight.
   */
  onStored(chunks: Chunk[]): void
  /** Events that left the queue without an acknowledgement: evicted, or not sendable. */
  onDropped(ids: string[], reason: string, evicted: boolean): void
  /** A storage failure; the queue carries on in memory. */
  onError: Warn
  /** The number of queued events changed. */
  onChange(): void
}

export interface Queue {
  /**
   * The hot path: remembers the event and schedules one coalesced write for all events of this
   * task. An empty `ts` is filled from `at` (ms) when the event is serialized, off the hot path.
   */
  enqueue: (event: HooklineEvent, at?: number) => void
  /**
   * Removes acknowledged (or rejected) ids. A stored chunk is deleted once all its events are gone,
   * unless `fromStorage` is false (the sending tab deletes it). Returns the ids this queue held.
   */
  remove(ids: readonly string[], fromStorage?: boolean): string[]
  /** Adds chunks another tab wrote (or that storage holds), as stored; known chunks are skipped. */
  merge(chunks: readonly Chunk[]): void
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
  readonly size: number
  readonly bytes: number
  readonly storageKind: 'indexeddb' | 'memory'
  /** Resolves once storage is open and its chunks are loaded. */
  readonly ready: Promise<void>
  /** Starts writing what is unwritten now (page hide); resolves when written. */
  persist(): Promise<void>
}

/** Events per stored chunk: one batch's worth, so a sent batch usually empties whole chunks. */
const CHUNK = LIMITS.sdkBatchEvents
/** The largest event the relay takes, serialized. */
const MAX_EVENT_BYTES = LIMITS.eventBytes

/**
 * The offline queue. `enqueue` costs a Map insert and an array push; serialization and the
 * IndexedDB write happen once per task for everything enqueued in it, as chunks of up to 100
 * events (one record each), and chunk deletes are coalesced the same way. Writes and deletes run
 * one at a time, in order, so a chunk emptied while its write is in flight is deleted after it,
 * never resurrected. A chunk stays stored until all its events are acknowledged; after a reload,
 * those of its events already acknowledged are sent again and come back as duplicates (harmless).
 * The byte budget evicts the oldest events first; a stored chunk that loses some is written again.
 */
export function createQueue(options: QueueOptions): Queue {
  const entries = new Map<string, Entry>()
  const chunks = new Map<string, ChunkState>()
  /** Ids removed while their chunk is still stored: not to be loaded again. */
  const gone = new Set<string>()
  const waiters = new Set<{ ids: Set<string>; resolve(): void }>()
  let unwritten: Entry[] = []
  let deletes = new Set<string>()
  /** Stored chunks that lost evicted events: written again without them. */
  let rewrites = new Set<string>()
  /** Set once `open` settles (memory when it failed); every storage call waits for `ready`. */
  let storage: QueueStorage | undefined
  let bytes = 0
  let busy = false
  let scheduled = false
  let idle: Promise<void> = Promise.resolve()
  let idleResolve: (() => void) | undefined

  const ready = options.open.then(({ storage: opened, chunks: stored }) => {
    storage = opened
    merge(stored)
  }, toMemory)

  function merge(list: readonly Chunk[]): void {
    let added = false
    for (const [key, records] of list) {
      if (chunks.has(key)) continue
      const ids: string[] = []
      for (const [id, json] of records) {
        if (entries.has(id) || gone.has(id)) continue
        entries.set(id, newEntry(id, undefined, 0, json, key))
        bytes += json.length
        ids.push(id)
      }
      if (!ids.length) continue
      chunks.set(key, { ids, left: ids.length, stored: true })
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
    queueMicrotask(() => void pump())
  }

  async function pump(): Promise<void> {
    scheduled = false
    if (busy) return
    busy = true
    try {
      await ready
      while (unwritten.length || deletes.size || rewrites.size) {
        if (unwritten.length) await write()
        if (rewrites.size) {
          const list = [...rewrites].filter((key) => chunks.has(key)).map((key) => [key, recordsOf(key)] as Chunk)
          rewrites = new Set()
          if (list.length) await guard((store) => store.put(list))
        }
        if (deletes.size) {
          const keys = [...deletes]
          deletes = new Set()
          await guard((store) => store.remove(keys))
        }
      }
    } finally {
      busy = false
      if (unwritten.length || deletes.size || rewrites.size) schedule()
      else {
        idleResolve?.()
        idleResolve = undefined
      }
    }
  }

  function resolveWaiters(ids: readonly string[]): void {
    for (const waiter of waiters) {
      for (const id of ids) waiter.ids.delete(id)
      if (!waiter.ids.size) {
        waiters.delete(waiter)
        waiter.resolve()
      }
    }
  }

  function drop(id: string, reason: string): void {
    entries.delete(id)
    options.onDropped([id], reason, false)
    resolveWaiters([id])
  }

  /** Serializes what this task enqueued, groups it into chunks and writes them. */
  async function write(): Promise<void> {
    const batch = unwritten
    unwritten = []
    const live: Entry[] = []
    for (const entry of batch) {
      if (entries.get(entry.id) !== entry || !entry.event) continue
      try {
        entry.json = serialize(entry.event, entry.at)
      } catch (error) {
        drop(entry.id, `not JSON (${reasonOf(error)})`)
        continue
      }
      entry.event = undefined
      entry.bytes = entry.json.length
      if (entry.bytes > MAX_EVENT_BYTES) drop(entry.id, `over ${MAX_EVENT_BYTES} bytes`)
      else {
        bytes += entry.bytes
        live.push(entry)
      }
    }
    const keys: string[] = []
    for (let start = 0; start < live.length; start += CHUNK) {
      const group = live.slice(start, start + CHUNK)
      const key = group[0]?.id ?? '' // the oldest id: chunks sort by time
      for (const entry of group) entry.chunk = key
      chunks.set(key, { ids: group.map((entry) => entry.id), left: group.length, stored: false })
      keys.push(key)
    }
    enforceBudget()
    const kept = keys.filter((key) => chunks.has(key)).map((key) => [key, recordsOf(key)] as Chunk)
    if (!kept.length) return
    // Sendable now, not when the write commits: the request and the write go out together, and
    // an event is kept until it is acknowledged either way (a tab that dies before the commit
    // loses the event unless the relay already has it, as it would if it waited for the commit).
    for (const [, records] of kept)
      for (const [id] of records) {
        const entry = entries.get(id)
        if (entry) entry.sendable = true
      }
    options.onStored(kept)
    await guard((store) => store.put(kept))
    for (const [key] of kept) {
      const state = chunks.get(key)
      if (state) state.stored = true
      else deletes.add(key) // emptied (acknowledged or evicted) while being written
    }
  }

  /** Runs a storage operation; on failure, says so once and carries on in memory. */
  async function guard(operation: (store: QueueStorage) => Promise<void>): Promise<void> {
    if (!storage) return
    try {
      await operation(storage)
    } catch (error) {
      if (storage.kind !== 'memory') toMemory(error)
    }
  }

  function toMemory(error: unknown): void {
    options.onError('HL20', reasonOf(error))
    storage = memoryStorage()
  }

  function forgetChunk(key: string, state: ChunkState, fromStorage: boolean): void {
    chunks.delete(key)
    for (const id of state.ids) gone.delete(id)
    if (fromStorage && state.stored) deletes.add(key)
  }

  /** The queued records of a chunk. */
  function recordsOf(key: string): Chunk[1] {
    const out: Chunk[1] = []
    for (const id of chunks.get(key)?.ids ?? []) {
      const entry = entries.get(id)
      if (entry?.chunk === key) out.push([id, entry.json])
    }
    return out
  }

  /** Takes an event out of its chunk; the chunk is deleted when empty, else written again if `rewrite`. */
  function leaveChunk(entry: Entry, fromStorage: boolean, rewrite: boolean): void {
    const state = entry.chunk ? chunks.get(entry.chunk) : undefined
    if (!state) return
    if (--state.left === 0) forgetChunk(entry.chunk, state, fromStorage)
    else {
      gone.add(entry.id)
      if (rewrite && state.stored) rewrites.add(entry.chunk)
    }
  }

  function enforceBudget(): void {
    if (bytes <= options.budgetBytes) return
    const evicted = entriesToEvict(entries.values(), bytes, options.budgetBytes)
    for (const entry of evicted) {
      entries.delete(entry.id)
      bytes -= entry.bytes
      leaveChunk(entry, true, true)
    }
    if (evicted.length) {
      const ids = evicted.map((entry) => entry.id)
      options.onDropped(ids, `queue over budgetBytes (${options.budgetBytes}): oldest evicted`, true)
      resolveWaiters(ids)
      options.onChange()
    }
    if (deletes.size || rewrites.size) schedule()
  }

  return {
    enqueue(event, at = 0) {
      const entry = newEntry(event.id, event, at, '', '')
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
        leaveChunk(entry, fromStorage, false)
      }
      if (deletes.size) schedule()
      if (removed.length) {
        resolveWaiters(removed)
        options.onChange()
      }
      return removed
    },
    merge,
    async reload() {
      await ready
      try {
        if (storage) merge(await storage.all())
      } catch (error) {
        options.onError('HL21', reasonOf(error))
      }
    },
    take(maxEvents, maxBytes) {
      const batch = selectEntries(entries.values(), maxEvents, maxBytes, (entry) => entry.sendable && !entry.flight)
      for (const entry of batch) entry.flight = true
      return batch
    },
    peek: (maxEvents, maxBytes) => selectEntries(entries.values(), maxEvents, maxBytes, () => true),
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

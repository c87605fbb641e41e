import { atom, type ReadableAtom } from 'nanostores'
import type { LogEntry } from './types.ts'

/** Distributes `Omit` over the union so each entry keeps its own fields. */
export type LogInput = LogEntry extends infer E ? (E extends LogEntry ? Omit<E, 'at'> : never) : never

export interface Log {
  readonly store: ReadableAtom<readonly LogEntry[]>
  add(entry: LogInput): void
  /** Warns once per distinct message: into the log, and to the console when `debug` is on. */
  warn: (message: string) => void
}

/**
 * The log of recent entries. Adding is cheap: entries are buffered and the store is updated once
 * per microtask, so a burst of `track()` calls does not copy the array each time.
 */
export function createLog(limit: number, debug: boolean): Log {
  const store = atom<readonly LogEntry[]>([])
  let buffer: LogEntry[] = []
  const warned = new Set<string>()
  const publish = (): void => {
    const next = store.get().concat(buffer)
    buffer = []
    store.set(next.length > limit ? next.slice(next.length - limit) : next)
  }
  // Every caller passes a fresh object literal: it is stamped and kept as it is, not copied.
  const add = (entry: LogInput): void => {
    ;(entry as LogEntry).at = Date.now()
    if (buffer.push(entry as LogEntry) === 1) queueMicrotask(publish)
  }
  return {
    store,
    add,
    warn(message) {
      if (warned.has(message)) return
      warned.add(message)
      add({ kind: 'warning', message })
      if (debug) console.warn(`[hookline] ${message}`)
    },
  }
}

import { atom, type ReadableAtom } from 'nanostores'
import type { Describe } from './message-code.ts'
import type { MessageArg, MessageCode } from './messages.ts'
import type { LogEntry } from './types.ts'

/** Distributes `Omit` over the union so each entry keeps its own fields. */
export type LogInput = LogEntry extends infer E ? (E extends LogEntry ? Omit<E, 'at'> : never) : never

/** Writes a warning by its code (src/messages.ts) and its arguments. */
export type Warn = (code: MessageCode, ...args: MessageArg[]) => void

export interface Log {
  readonly store: ReadableAtom<readonly LogEntry[]>
  add(entry: LogInput): void
  /** Warns once per distinct message: into the log, and to the console when `debug` is on. */
  warn: Warn
  /** Into the log each time, never to the console (a retry, which recurs). */
  note: Warn
  /** Into the log and to the console whatever `debug` is (the live chunk did not load). */
  alert: Warn
}

/**
 * The log of recent entries. Adding is cheap: entries are buffered and the store is updated once
 * per microtask, so a burst of `track()` calls does not copy the array each time. `describe` makes
 * a warning's text: the full text (npm build) or its code (script-tag build).
 */
export function createLog(limit: number, debug: boolean, describe: Describe): Log {
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
  const warning = (code: MessageCode, args: MessageArg[]): string => {
    const message = describe(code, args)
    add({ kind: 'warning', message, code, args })
    return message
  }
  return {
    store,
    add,
    warn(code, ...args) {
      const key = [code, ...args].join(' ')
      if (warned.has(key)) return
      warned.add(key)
      const message = warning(code, args)
      if (debug) console.warn(`[hookline] ${message}`)
    },
    note: (code, ...args) => void warning(code, args),
    alert: (code, ...args) => console.warn(`[hookline] ${warning(code, args)}`),
  }
}

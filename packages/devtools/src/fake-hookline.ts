import type { Json } from '@hookline/protocol'
import { atom, map } from 'nanostores'
import type { Hookline, HooklineStatus, LogEntry } from './hookline.ts'

/** A stand-in SDK instance for the panel's tests: real stores, nothing behind them. */
export function fakeHookline(vars: Record<string, Json> = {}) {
  const log = atom<readonly LogEntry[]>([])
  const status = atom<HooklineStatus>({
    online: true,
    queued: 0,
    evicted: 0,
    stream: 'open',
    storage: 'indexeddb',
    sender: true,
  })
  const hl: Hookline = {
    track: () => 'evt_fake',
    on: () => () => {},
    vars: map<Record<string, Json>>(vars),
    identify: () => {},
    flush: async () => {},
    log,
    status,
    sessionId: 'ses_test',
    devtools: async () => {},
    destroy: () => {},
  }
  return { hl, log, status, push: (entry: LogEntry) => log.set([...log.get(), entry]) }
}

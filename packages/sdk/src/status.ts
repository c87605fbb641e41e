import type { WritableAtom } from 'nanostores'
import type { HooklineStatus } from './types.ts'

/** Changes some fields of `hl.status`; every part writes its own. */
export type SetStatus = (change: Partial<HooklineStatus>) => void

/** A setter of some fields of `store`: the store is set once per microtask, however many changes a task makes. */
export function batchedSetter<T extends object>(store: WritableAtom<T>): (change: Partial<T>) => void {
  let patch: Partial<T> | undefined
  return (change) => {
    if (!patch) {
      patch = {}
      queueMicrotask(() => {
        store.set({ ...store.get(), ...patch })
        patch = undefined
      })
    }
    Object.assign(patch, change)
  }
}

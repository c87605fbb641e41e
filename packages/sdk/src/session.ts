import { newId } from '@hookline/protocol'

const KEY = 'hookline:session'

/**
 * The session id of this tab: kept in `sessionStorage`, so a reload keeps it and a new tab gets
 * its own. Falls back to a fresh id per page when `sessionStorage` is unavailable.
 */
export function tabSessionId(): string {
  const slot = sessionSlot(KEY)
  const kept = slot.get()
  if (kept && /^ses_[0-9A-Za-z]{26}$/.test(kept)) return kept
  const id = newId('ses')
  slot.set(id)
  return id
}

/** A small string slot in `sessionStorage` (memory when it is unavailable). */
export function sessionSlot(name: string): { get(): string | null; set(value: string | null): void } {
  let memory: string | null = null
  return {
    get() {
      try {
        return sessionStorage.getItem(name) ?? memory
      } catch {
        return memory
      }
    },
    set(value) {
      memory = value
      try {
        if (value === null) sessionStorage.removeItem(name)
        else sessionStorage.setItem(name, value)
      } catch {
        /* memory only */
      }
    },
  }
}

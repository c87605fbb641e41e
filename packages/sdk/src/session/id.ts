import { newId } from '@hookline/protocol'
import type { SessionSlot } from './slot.ts'

/**
 * The session id of this tab: kept in `sessionStorage`, so a reload keeps it and a new tab gets
 * its own. Falls back to a fresh id per page when `sessionStorage` is unavailable. `slot` is
 * `sessionSlot('hookline:session')`, which the session also writes when it starts anew.
 */
export function tabSessionId(slot: SessionSlot): string {
  const kept = slot.get()
  if (kept && /^ses_[0-9A-Za-z]{26}$/.test(kept)) return kept
  const id = newId('ses')
  slot.set(id)
  return id
}

import type { Warn } from '../log.ts'
/**
 * Makes one tab the sending tab with a Web Lock: `onChange(true)` when this tab gets the lock,
 * which it holds until `release()` (or until the tab closes, when the browser hands it to the
 * next tab waiting). Without Web Locks every tab sends (the relay deduplicates by event id), and
 * `fallback` says so.
 */
export function electLeader(name: string, onChange: (leader: boolean) => void, fallback: Warn): () => void {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks
  if (!locks?.request) {
    fallback('HL23')
    onChange(true)
    return () => onChange(false)
  }
  const abort = new AbortController()
  let unlock: (() => void) | undefined
  let released = false
  locks
    .request(name, { signal: abort.signal }, () => {
      if (released) return undefined
      onChange(true)
      return new Promise<void>((resolve) => (unlock = resolve))
    })
    .catch(() => {
      /* aborted while waiting */
    })
  return () => {
    if (released) return
    released = true
    abort.abort()
    if (unlock) {
      unlock()
      onChange(false)
    }
  }
}

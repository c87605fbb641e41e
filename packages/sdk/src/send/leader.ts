/**
 * Makes one tab the sending tab with a Web Lock: `onChange(true)` when this tab gets the lock,
 * which it holds until `release()` (or until the tab closes, when the browser hands it to the
 * next tab waiting). Without Web Locks every tab sends (the relay deduplicates by event id), and
 * `fallback` says so.
 */
export function electLeader(
  name: string,
  onChange: (leader: boolean) => void,
  fallback: (reason: string) => void,
): () => void {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks
  if (!locks?.request) {
    fallback('No Web Locks: every tab sends its queue (the relay deduplicates)')
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

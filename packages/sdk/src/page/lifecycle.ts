import { listen, undo, type Cleanups } from '../cleanups.ts'

export interface Lifecycle {
  online: () => void
  offline: () => void
  /** The page is being hidden or left (`pagehide`, `visibilitychange` to hidden): the last moment to send. */
  hide: () => void
  /** The page shows again after being hidden. */
  show: () => void
}

/** Listens to the window's lifecycle: online and offline, hidden and shown again. Returns the remover. */
export function watchLifecycle(handlers: Lifecycle): () => void {
  if (!(globalThis as Partial<typeof globalThis>).window) return () => {}
  const offs: Cleanups = []
  listen(offs, window, 'online', handlers.online)
  listen(offs, window, 'offline', handlers.offline)
  listen(offs, window, 'pagehide', handlers.hide)
  listen(offs, document, 'visibilitychange', () =>
    document.visibilityState === 'hidden' ? handlers.hide() : handlers.show(),
  )
  return () => undo(offs)
}

/** Whether the browser says it is online (true where there is no `navigator`). */
export const isOnline = (): boolean =>
  typeof navigator === 'undefined' || (navigator as Partial<Navigator>).onLine !== false

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
  if (typeof window === 'undefined') return () => {}
  const offs: Array<() => void> = []
  const on = (target: EventTarget, type: string, handler: () => void): void => {
    target.addEventListener(type, handler)
    offs.push(() => target.removeEventListener(type, handler))
  }
  on(window, 'online', handlers.online)
  on(window, 'offline', handlers.offline)
  on(window, 'pagehide', handlers.hide)
  on(document, 'visibilitychange', () => (document.visibilityState === 'hidden' ? handlers.hide() : handlers.show()))
  return () => {
    for (const off of offs.splice(0)) off()
  }
}

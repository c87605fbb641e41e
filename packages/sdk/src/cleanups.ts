/** The removers of what a part started (listeners, observers, subscriptions), for its `destroy`. */
export type Cleanups = Array<() => void>

/** Runs and forgets every remover in `cleanups`, the last added first. */
export function undo(cleanups: Cleanups): void {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup()
}

/**
 * Adds `handler` for `type` on `target`, and its remover to `cleanups`. Capturing, so a page that
 * stops an event's propagation does not hide it from the SDK.
 */
export function listen(cleanups: Cleanups, target: EventTarget, type: string, handler: (event: never) => void): void {
  target.addEventListener(type, handler as EventListener, true)
  cleanups.push(() => target.removeEventListener(type, handler as EventListener, true))
}

/** A set of handlers of one kind, fed by something started when the first handler arrives. */
export interface Handlers<A extends unknown[]> {
  /** Adds a handler (the first starts the feed); returns its remover. */
  add: (handler: (...args: A) => void) => () => void
  /** Calls every handler; one added by a handler is called from the next call on. */
  call: (...args: A) => void
  /** Forgets every handler; the next `add` starts the feed again. */
  clear: () => void
}

export function createHandlers<A extends unknown[]>(start: () => void = () => {}): Handlers<A> {
  const set = new Set<(...args: A) => void>()
  let started = false
  return {
    add(handler) {
      set.add(handler)
      if (!started) {
        started = true
        start()
      }
      return () => set.delete(handler)
    },
    call(...args) {
      for (const handler of [...set]) handler(...args)
    },
    clear() {
      set.clear()
      started = false
    },
  }
}

/** A small string kept in `sessionStorage`: the tab's across reloads; in memory when it is unavailable. */
export interface SessionSlot {
  get(): string | null
  /** `null` forgets it. */
  set(value: string | null): void
}

export function sessionSlot(name: string): SessionSlot {
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

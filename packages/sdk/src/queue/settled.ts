/** Promises that resolve once given ids have all left the queue (`flush()` waits on one). */
export interface Settled {
  /** Resolves when every id of `pending` has left. */
  wait(pending: Set<string>): Promise<void>
  /** Ids that left the queue: acknowledged, rejected, evicted or dropped. */
  left(ids: readonly string[]): void
}

export function createSettled(): Settled {
  const waiters = new Set<{ ids: Set<string>; resolve(): void }>()
  return {
    wait(pending) {
      if (!pending.size) return Promise.resolve()
      return new Promise((resolve) => waiters.add({ ids: pending, resolve }))
    },
    left(ids) {
      for (const waiter of waiters) {
        for (const id of ids) waiter.ids.delete(id)
        if (!waiter.ids.size) {
          waiters.delete(waiter)
          waiter.resolve()
        }
      }
    },
  }
}

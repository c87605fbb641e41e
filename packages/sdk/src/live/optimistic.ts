import type { DeliveryFrame, Json, JsonObject } from '@hookline/protocol'
import type { MapStore } from 'nanostores'
import { jsonEqual } from '../json.ts'
import type { Log } from '../log.ts'

export interface Optimistic {
  /** Sets `set` in the variables now and remembers how to undo it for `eventId`. */
  apply(eventId: string, set: JsonObject): void
  /** Undoes `eventId`'s update, for each variable still holding the optimistic value. */
  rollBack(eventId: string, reason: string): void
  /** A delivery frame: any success settles the event; final failures (and no success) roll it back. */
  delivery(frame: DeliveryFrame): void
  has(eventId: string): boolean
  destroy(): void
}

interface Pending {
  changes: Array<{ name: string; before: Json | undefined; after: Json }>
  failures: string[]
  timer?: ReturnType<typeof setTimeout>
}

/** The most events whose optimistic updates are remembered; older ones are considered settled. */
const REMEMBERED = 500

/**
 * Optimistic updates: applied at once, rolled back when the relay rejects the event or every
 * delivery fails. The relay does not tell the browser how many webhooks an event goes to, so
 * "every delivery failed" means: a final failure arrived and no success within `settleMs` after.
 * A variable changed since (by the stream, the page or another event) is left as it is.
 */
export function createOptimistic(vars: MapStore<Record<string, Json>>, log: Log, settleMs: number): Optimistic {
  const pending = new Map<string, Pending>()

  function settle(eventId: string): void {
    const entry = pending.get(eventId)
    clearTimeout(entry?.timer)
    pending.delete(eventId)
  }

  function rollBack(eventId: string, reason: string): void {
    const entry = pending.get(eventId)
    if (!entry) return
    settle(eventId)
    const reverted: string[] = []
    for (const { name, before, after } of [...entry.changes].reverse()) {
      if (!jsonEqual(vars.get()[name], after)) continue
      vars.setKey(name, before)
      reverted.push(name)
    }
    log.add({ kind: 'rolled-back', eventId, vars: reverted, reason })
  }

  return {
    apply(eventId, set) {
      const changes: Pending['changes'] = []
      for (const [name, after] of Object.entries(set)) {
        changes.push({ name, before: vars.get()[name], after })
        vars.setKey(name, after)
      }
      if (!changes.length) return
      pending.set(eventId, { changes, failures: [] })
      if (pending.size > REMEMBERED) settle(pending.keys().next().value as string)
      log.add({ kind: 'vars', set, source: 'optimistic' })
    },
    rollBack,
    delivery(frame) {
      const entry = pending.get(frame.eventId)
      if (!entry) return
      if (frame.ok) {
        settle(frame.eventId)
        return
      }
      if (!frame.final) return
      entry.failures.push(frame.webhookId)
      clearTimeout(entry.timer)
      entry.timer = setTimeout(
        () =>
          rollBack(
            frame.eventId,
            `every delivery failed (${entry.failures.join(', ')}${frame.error ? `: ${frame.error}` : ''})`,
          ),
        settleMs,
      )
    },
    has: (eventId) => pending.has(eventId),
    destroy() {
      for (const id of [...pending.keys()]) settle(id)
    },
  }
}

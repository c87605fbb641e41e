import type { DeliveryFrame, Json, JsonObject } from '@hookline/protocol'
import type { MapStore } from 'nanostores'
import { jsonEqual } from '../json.ts'
import type { Log } from '../log.ts'

export interface Optimistic {
  /** Sets `set` in the variables now and remembers how to undo it for `eventId`. */
  apply(eventId: string, set: JsonObject): void
  /** Undoes `eventId`'s update, for each variable still holding the optimistic value. */
  rollBack(eventId: string, reason: string): void
  /** How many webhooks each event goes to (the relay's `deliveries`), for the events it acknowledged. */
  fanOut(deliveries: Readonly<Record<string, number>>): void
  /** A delivery frame: any success settles the event; a final failure counts toward a rollback. */
  delivery: (frame: DeliveryFrame) => void
  has(eventId: string): boolean
  destroy(): void
}

interface Pending {
  changes: Array<{ name: string; before: Json | undefined; after: Json }>
  /** Webhooks whose delivery finally failed. */
  failed: Set<string>
  /** How many webhooks the event goes to, once the relay said. */
  fanOut?: number
  error?: string
}

/** The most events whose optimistic updates are remembered; older ones are considered settled. */
const REMEMBERED = 500

/**
 * Optimistic updates: applied at once, rolled back when the relay rejects the event, or exactly
 * when every webhook it goes to has finally failed: the relay's answer (or `ack` frame) says how
 * many there are, and each `delivery` frame with `final` and not `ok` counts one. No timer decides:
 * a frame may come before or after the count, and an event no webhook takes is settled as it is.
 * A variable changed since (by the stream, the page or another event) is left as it is.
 */
export function createOptimistic(vars: MapStore<Record<string, Json>>, log: Log): Optimistic {
  const pending = new Map<string, Pending>()

  function rollBack(eventId: string, reason: string): void {
    const entry = pending.get(eventId)
    if (!entry) return
    pending.delete(eventId)
    const reverted: string[] = []
    for (const { name, before, after } of [...entry.changes].reverse()) {
      if (!jsonEqual(vars.get()[name], after)) continue
      vars.setKey(name, before)
      reverted.push(name)
    }
    log.add({ kind: 'rolled-back', eventId, vars: reverted, reason })
  }

  function judge(eventId: string, entry: Pending): void {
    if (entry.fanOut === undefined) return
    if (entry.fanOut === 0) pending.delete(eventId)
    else if (entry.failed.size >= entry.fanOut)
      rollBack(
        eventId,
        `every delivery failed (${[...entry.failed].join(', ')}${entry.error ? `: ${entry.error}` : ''})`,
      )
  }

  return {
    apply(eventId, set) {
      const changes: Pending['changes'] = []
      for (const [name, after] of Object.entries(set)) {
        changes.push({ name, before: vars.get()[name], after })
        vars.setKey(name, after)
      }
      if (!changes.length) return
      pending.set(eventId, { changes, failed: new Set() })
      if (pending.size > REMEMBERED) pending.delete(pending.keys().next().value as string)
      log.add({ kind: 'vars', set, source: 'optimistic' })
    },
    rollBack,
    fanOut(deliveries) {
      for (const eventId in deliveries) {
        const entry = pending.get(eventId)
        const count = deliveries[eventId]
        if (!entry || typeof count !== 'number') continue
        entry.fanOut = count
        judge(eventId, entry)
      }
    },
    delivery(frame) {
      const entry = pending.get(frame.eventId)
      if (!entry) return
      if (frame.ok) pending.delete(frame.eventId)
      else if (frame.final) {
        entry.failed.add(frame.webhookId)
        if (frame.error) entry.error = frame.error
        judge(frame.eventId, entry)
      }
    },
    has: (eventId) => pending.has(eventId),
    destroy: () => pending.clear(),
  }
}

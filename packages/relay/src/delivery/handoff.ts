import type { ClaimedDelivery } from '../storage/delivery-queue.ts'
import type { PreClaim } from '../storage/pre-claim.ts'
import type { StoredEvent } from '../storage/stored-event.ts'

/** The scheduler's side of a hand-over (`scheduler.ts`). */
export interface HandoffSlots {
  reserve(webhookId: string, count: number): number
  unreserve(webhookId: string, count: number): void
  handOver(rows: ClaimedDelivery[]): boolean
}

/**
 * Ingest's deliveries handed straight to this node's scheduler: the ones it has room for are
 * stored already claimed (`pre-claim.ts`) and, once committed, go to its ready queue from memory,
 * with no claim (a round trip to the store and a write) between the 202 and the send. What is not
 * offered or not claimed by the store waits for the normal claim, as before:
 * - a delivery in a session lane (its order is the claim's to keep, `lanes.ts`);
 * - one of a webhook the scheduler sends one at a time (a drain) or has no room for;
 * - one whose webhook the store finds paused, disabled or draining.
 */
export class Handoff {
  constructor(
    private readonly slots: HandoffSlots,
    private readonly node: () => string,
  ) {}

  /** The deliveries of `events` this node takes without a claim, their slots reserved; null for none. */
  offer(events: StoredEvent[]): PreClaim | null {
    const byWebhook = new Map<string, string[]>()
    for (const { deliveries } of events) {
      for (const row of deliveries) {
        if (row.status !== 'pending' || row.lane_key !== null || row.kind !== 'event') continue
        const ids = byWebhook.get(row.webhook_id) ?? []
        ids.push(row.id)
        byWebhook.set(row.webhook_id, ids)
      }
    }
    const ids: string[] = []
    for (const [webhookId, offered] of byWebhook) {
      ids.push(...offered.slice(0, this.slots.reserve(webhookId, offered.length)))
    }
    return ids.length > 0 ? { node: this.node(), ids } : null
  }

  /**
   * After the commit: the offered deliveries the store claimed go to the scheduler; every
   * reservation is taken back. Answers the ids to release (the scheduler stopped meanwhile).
   */
  settle(events: StoredEvent[], preClaim: PreClaim | null, claimed: Set<string>): string[] {
    if (!preClaim) return []
    const offered = new Set(preClaim.ids)
    const rows: ClaimedDelivery[] = []
    for (const { row: event, deliveries } of events) {
      for (const row of deliveries) {
        if (!offered.has(row.id)) continue
        this.slots.unreserve(row.webhook_id, 1)
        if (claimed.has(row.id)) rows.push(asClaimed(row, event.body, preClaim.node))
      }
    }
    if (rows.length === 0 || this.slots.handOver(rows)) return []
    return rows.map((row) => row.id)
  }

  /** The write failed: nothing was stored, every reservation goes back. */
  cancel(events: StoredEvent[], preClaim: PreClaim | null): void {
    this.settle(events, preClaim, new Set())
  }
}

/** What a claim would have read back for this stored delivery (`CLAIMED_COLUMNS`). */
function asClaimed(row: StoredEvent['deliveries'][number], eventBody: string, node: string): ClaimedDelivery {
  return {
    id: row.id,
    project_id: row.project_id,
    webhook_id: row.webhook_id,
    event_id: row.event_id,
    msg_id: row.msg_id,
    kind: row.kind,
    session_id: row.session_id,
    status: 'sending',
    attempts: row.attempts,
    next_attempt_at: row.next_attempt_at,
    event_received_at: row.event_received_at,
    body: row.body,
    out_of_order: row.out_of_order,
    event_body: eventBody,
    claimed_by: node,
    lane: null,
    drain_until: null,
  }
}

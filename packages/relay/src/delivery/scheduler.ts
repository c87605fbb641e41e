import type { Kysely } from 'kysely'
import type { Logger } from '../observability/log.ts'
import type { RelayMetrics } from '../observability/metrics.ts'
import type { AttemptRecord } from '../storage/attempt-results.ts'
import { claimDue, heldDueNow, nextDueAt, type ClaimedDelivery } from '../storage/delivery-queue.ts'
import { endDrain, startDrain } from '../storage/drains.ts'
import type { Database } from '../storage/schema.ts'
import type { Dialect } from '../storage/types.ts'
import type { NodeLease } from './node-lease.ts'

export interface SchedulerLimits {
  /** Attempts in flight at once, over every webhook. */
  maxInFlight: number
  /** Attempts in flight at once to one webhook, so a slow endpoint cannot take every slot. */
  perWebhook: number
  /** Longest sleep between looks at the queue when nothing wakes the scheduler. */
  pollMs: number
}

export interface SchedulerDeps {
  db: Kysely<Database>
  dialect: Dialect
  log: Logger
  metrics: RelayMetrics
  /** The lease this node's claims last under: no claim and no start without it. */
  lease: NodeLease
  /** Runs one claimed delivery to its end; its slot is free again when this settles. */
  run(row: ClaimedDelivery): Promise<void>
}

/**
 * Slots for attempts: claims due deliveries into a ready queue and starts them, oldest first, as
 * slots free up — many at once, capped per webhook so that one slow endpoint never delays
 * another, and one at a time for a webhook draining what was held while it was paused. It sleeps
 * until the next retry is due unless something wakes it.
 */
export class DeliveryScheduler {
  readonly #deps: SchedulerDeps
  readonly #limits: SchedulerLimits
  #inFlight = 0
  #perWebhookInFlight = new Map<string, number>()
  /** Claimed deliveries waiting for a free slot, oldest first; claims fill it in batches. */
  #ready: ClaimedDelivery[] = []
  #perWebhookReady = new Map<string, number>()
  /**
   * Set by `wake()`: something outside may have made deliveries due (ingest, a retry's time, a
   * resume), so the next claim looks at every webhook. Otherwise claims only refill webhooks that
   * are already being delivered, and take no more rows than those have room for.
   */
  #external = true
  /**
   * Webhooks draining what was held while paused, as far as this node knows (it resumed them, or
   * claimed a delivery of their stored drain): one at a time, oldest first. The stored drain is
   * what every node's claims obey (`drains.ts`); this node ends it once nothing it covers is left.
   */
  #ordered = new Set<string>()
  #wakeTimer: NodeJS.Timeout | undefined
  #scheduled = false
  #claiming = false
  #again = false
  #stopped = true
  #idle = new Set<() => void>()

  constructor(deps: SchedulerDeps, limits: SchedulerLimits) {
    this.#deps = deps
    this.#limits = limits
  }

  get inFlight(): number {
    return this.#inFlight
  }

  /** True before `start()` and after `stop()`: nothing is claimed. */
  get stopped(): boolean {
    return this.#stopped
  }

  start(): void {
    this.#stopped = false
    this.wake()
  }

  /** Looks at the whole queue soon (after ingest commits, a resume, a redeliver…). */
  wake(): void {
    this.#external = true
    if (this.#scheduled || this.#stopped) return
    this.#scheduled = true
    setImmediate(() => void this.#pass())
  }

  /**
   * New deliveries for these webhooks were stored (ingest). Webhooks already being delivered pick
   * them up as they refill, in order; only the others need a look at the whole queue.
   */
  notify(webhookIds: Iterable<string>): void {
    for (const id of webhookIds) {
      if (!this.#perWebhookInFlight.has(id) && !this.#perWebhookReady.has(id)) {
        this.wake()
        return
      }
    }
  }

  /**
   * After a resume (`resumed`) or a replay: what is queued goes out one at a time, oldest first. A
   * resume first makes everything held due now, retries included, so that the oldest goes first.
   */
  async drainInOrder(webhookId: string, { resumed = false }: { resumed?: boolean } = {}): Promise<void> {
    const now = Date.now()
    this.#ordered.add(webhookId)
    await startDrain(this.#deps.db, webhookId, now)
    if (resumed) await heldDueNow(this.#deps.db, webhookId, now)
    if (await endDrain(this.#deps.db, webhookId)) this.#ordered.delete(webhookId)
    this.wake()
  }

  /**
   * After attempt results were written: retries may be due, a session lane's next delivery may go
   * now that its head's result is in, and a drain's next delivery may go or the drain be over.
   */
  async written(records: AttemptRecord[]): Promise<void> {
    const settled = records.some((record) => record.delivery.status === 'pending' || record.lane !== null)
    if (settled || this.#ordered.size > 0) this.wake()
    for (const webhookId of this.#ordered) {
      if (await endDrain(this.#deps.db, webhookId)) this.#ordered.delete(webhookId)
    }
  }

  /** Stops claiming; answers the ids claimed but not started, for the caller to release. */
  stop(): string[] {
    this.#stopped = true
    clearTimeout(this.#wakeTimer)
    const unsent = this.#ready.map((row) => row.id)
    this.#ready = []
    this.#perWebhookReady.clear()
    return unsent
  }

  /**
   * The node's lease ran out: what was claimed under it and not started belongs to whichever node
   * retakes it, so it is dropped here unsent and unreleased.
   */
  forget(): void {
    this.#ready = []
    this.#perWebhookReady.clear()
  }

  /** Resolves when nothing is in flight (tests and benchmarks). */
  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve()
    return new Promise((resolve) => this.#idle.add(resolve))
  }

  async #pass(): Promise<void> {
    this.#scheduled = false
    if (this.#stopped) return
    if (this.#claiming) {
      this.#again = true
      return
    }
    this.#claiming = true
    clearTimeout(this.#wakeTimer)
    try {
      for (let round = 0; round < 50 && this.#running(); round++) if (!(await this.#claimRound())) break
      if (!this.#again && this.#running()) await this.#sleepUntilDue()
    } catch (error) {
      this.#deps.log.error('dispatcher pass failed', { error: error as Error })
      this.#wakeTimer = setTimeout(() => {
        this.wake()
      }, this.#limits.pollMs)
    } finally {
      this.#claiming = false
    }
    if (this.#again) {
      this.#again = false
      this.wake()
    }
  }

  /** Read afresh after each await: `stop()` may have run meanwhile. */
  #running(): boolean {
    return !this.#stopped
  }

  /** Claims what the slots have room for and starts it; false when the queue has no more to give now. */
  async #claimRound(): Promise<boolean> {
    // Without a lease sure to last, nothing is claimed; the lease wakes the scheduler when it is back.
    if (!this.#deps.lease.held()) return false
    this.#launchReady()
    const held = (id: string) => (this.#perWebhookInFlight.get(id) ?? 0) + (this.#perWebhookReady.get(id) ?? 0)
    const busy = [...new Set([...this.#perWebhookInFlight.keys(), ...this.#perWebhookReady.keys()])]
    const exclude = busy.filter((id) => held(id) >= this.#depth(id))
    // A refill asks only for what the webhooks being delivered have room for, so a claim never
    // reads hundreds of rows to keep one.
    const room = busy.reduce((sum, id) => sum + Math.max(0, this.#depth(id) - held(id)), 0)
    const want = Math.min(this.#limits.maxInFlight - this.#ready.length, this.#external ? Infinity : room)
    if (want <= 0) return false
    this.#external = false
    const { claimed } = await claimDue(this.#deps.db, this.#deps.dialect, {
      now: Date.now(),
      limit: want,
      node: this.#deps.lease.id,
      exclude,
      room: { byWebhook: this.#rooms(busy, held), otherwise: 4 * this.#limits.perWebhook },
    })
    for (const row of claimed) {
      // A drain another node started: this node sends it one at a time too, and may end it.
      if (row.drain_until !== null) this.#ordered.add(row.webhook_id)
      this.#ready.push(row)
      this.#perWebhookReady.set(row.webhook_id, (this.#perWebhookReady.get(row.webhook_id) ?? 0) + 1)
    }
    // Rows skipped for want of room belong to busy webhooks, which refill as they finish.
    this.#launchReady()
    return claimed.length >= want
  }

  /** Starts whatever is ready and has a free slot, oldest first, within each webhook's cap. */
  #launchReady(): void {
    if (this.#ready.length === 0 || this.#inFlight >= this.#limits.maxInFlight) return
    // Started only under a lease sure to outlast the start, so a delivery is never sent by this
    // node and by one that retook it while both live.
    const { lease } = this.#deps
    if (!lease.held()) return
    const waiting: ClaimedDelivery[] = []
    for (const row of this.#ready) {
      if (row.claimed_by !== lease.id) decrement(this.#perWebhookReady, row.webhook_id)
      else if (
        this.#inFlight < this.#limits.maxInFlight &&
        (this.#perWebhookInFlight.get(row.webhook_id) ?? 0) < this.#limit(row.webhook_id)
      ) {
        decrement(this.#perWebhookReady, row.webhook_id)
        this.#launch(row)
      } else waiting.push(row)
    }
    this.#ready = waiting
  }

  async #sleepUntilDue(): Promise<void> {
    const now = Date.now()
    const due = await nextDueAt(this.#deps.db, now)
    const delay = due === null ? this.#limits.pollMs : Math.max(1, Math.min(due - now, this.#limits.pollMs))
    clearTimeout(this.#wakeTimer)
    this.#wakeTimer = setTimeout(() => {
      this.wake()
    }, delay)
  }

  /** What each busy or ordered webhook has room for; any other may take `4 * perWebhook`. */
  #rooms(busy: string[], held: (id: string) => number): Map<string, number> {
    const rooms = new Map<string, number>()
    for (const id of [...busy, ...this.#ordered.keys()]) rooms.set(id, this.#depth(id) - held(id))
    return rooms
  }

  /** How many of a webhook's deliveries may be claimed at once: in flight plus queued. */
  #depth(webhookId: string): number {
    return 4 * this.#limit(webhookId)
  }

  #limit(webhookId: string): number {
    return this.#ordered.has(webhookId) ? 1 : this.#limits.perWebhook
  }

  #launch(row: ClaimedDelivery): void {
    this.#inFlight++
    this.#perWebhookInFlight.set(row.webhook_id, (this.#perWebhookInFlight.get(row.webhook_id) ?? 0) + 1)
    this.#deps.metrics.inFlight.inc()
    this.#deps
      .run(row)
      .catch((error: unknown) => {
        this.#deps.log.error('attempt failed', { deliveryId: row.id, error: error as Error })
      })
      .finally(() => {
        this.#landed(row)
      })
  }

  /** An attempt's slot is free: start what waits for it, and refill its webhook when it runs low. */
  #landed(row: ClaimedDelivery): void {
    this.#inFlight--
    decrement(this.#perWebhookInFlight, row.webhook_id)
    this.#deps.metrics.inFlight.dec()
    if (this.#inFlight === 0) {
      for (const resolve of this.#idle) resolve()
      this.#idle.clear()
    }
    this.#launchReady()
    // Refill a webhook once fewer than one round of attempts is queued, in batches of a few
    // rounds rather than one claim an attempt.
    const queued = this.#perWebhookReady.get(row.webhook_id) ?? 0
    if (queued <= this.#limit(row.webhook_id) && !this.#scheduled && !this.#stopped) {
      this.#scheduled = true
      setImmediate(() => void this.#pass())
    }
  }
}

/** One less of `key`; the entry goes at zero. */
function decrement(counts: Map<string, number>, key: string): void {
  const left = (counts.get(key) ?? 1) - 1
  if (left <= 0) counts.delete(key)
  else counts.set(key, left)
}

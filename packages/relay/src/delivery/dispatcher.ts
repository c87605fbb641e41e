import type { Kysely } from 'kysely'
import type { WebhookRegistry } from '../domain/webhook-registry.ts'
import type { Logger } from '../observability/log.ts'
import type { RelayMetrics } from '../observability/metrics.ts'
import { isCancelled } from '../storage/deliveries.ts'
import { releaseDeliveries, releaseInFlight, type ClaimedDelivery } from '../storage/delivery-queue.ts'
import type { Database } from '../storage/schema.ts'
import type { Dialect } from '../storage/types.ts'
import type { Webhook } from '../storage/webhooks.ts'
import type { FrameSink } from '../stream/frames.ts'
import { attemptDelivery, type AttemptOutcome } from './attempt.ts'
import { AttemptLog } from './attempt-log.ts'
import { WebhookHealth } from './health.ts'
import { attemptSummary, exhaustedNotice, type OperationalNotice } from './operational-events.ts'
import { DEFAULT_PROBE_SCHEDULE_MS, probeDelay } from './probe-schedule.ts'
import { Recovery } from './recovery.ts'
import { NodeLease } from './node-lease.ts'
import { DeliveryScheduler } from './scheduler.ts'
import type { Sender } from './send.ts'
import { tellSession } from './session-frames.ts'

export interface DispatcherOptions {
  /** Attempts in flight at once, over every webhook. @default 512 */
  maxInFlight?: number
  /** Attempts in flight at once to one webhook, so a slow endpoint cannot take every slot. @default 64 */
  perWebhook?: number
  /** How long attempt results wait to be written together. @default 20 */
  flushMs?: number
  /** Longest sleep between looks at the queue when nothing wakes the dispatcher. @default 500 */
  pollMs?: number
  /**
   * The backoff of recovery probes of a webhook paused by failures (its `autoResume` may set its
   * own); the last step repeats. Tests inject a fast one. @default 1, 5, 15, 30 min, then hourly
   */
  probeScheduleMs?: readonly number[]
  /** How often due recovery probes are looked for. @default 1000 */
  probeTickMs?: number
}

export interface DispatcherDeps {
  db: Kysely<Database>
  dialect: Dialect
  log: Logger
  frames: FrameSink
  sender: Sender
  metrics: RelayMetrics
  webhooks: WebhookRegistry
}

/**
 * Delivers what ingest stored. Each claimed delivery goes through the same steps: the scheduler
 * gives it a slot (`scheduler.ts`), one attempt signs and sends it (`attempt.ts`), the attempt log
 * writes the result behind (`attempt-log.ts`), the webhook's health counts it (`health.ts`), and
 * the session that fired the event hears of it (`session-frames.ts`).
 */
export class Dispatcher {
  readonly #deps: DispatcherDeps
  readonly #scheduler: DeliveryScheduler
  readonly #log: AttemptLog
  readonly #health: WebhookHealth
  readonly #recovery: Recovery
  readonly #probeScheduleMs: readonly number[]
  readonly #lease: NodeLease

  constructor(deps: DispatcherDeps, options: DispatcherOptions = {}) {
    this.#deps = deps
    const lease = new NodeLease(deps.db, deps.dialect, deps.log, {
      lapsed: () => {
        this.#scheduler.forget()
      },
      due: () => {
        this.#scheduler.wake()
      },
    })
    this.#lease = lease
    const scheduler = new DeliveryScheduler(
      { ...deps, lease, run: (row) => this.#run(row) },
      {
        maxInFlight: options.maxInFlight ?? 512,
        perWebhook: options.perWebhook ?? 64,
        pollMs: options.pollMs ?? 500,
      },
    )
    this.#scheduler = scheduler
    this.#log = new AttemptLog(
      deps.db,
      deps.dialect,
      deps.log,
      options.flushMs ?? 20,
      (records) => scheduler.written(records),
      (counts) => this.#health.counted(counts),
    )
    this.#probeScheduleMs = options.probeScheduleMs ?? DEFAULT_PROBE_SCHEDULE_MS
    this.#health = new WebhookHealth(
      deps.webhooks,
      this.#log,
      deps.log,
      deps.metrics,
      (notice) => {
        this.onNotice(notice)
      },
      (webhook) => this.probeDelay(webhook, 0),
    )
    this.#recovery = new Recovery({
      db: deps.db,
      dialect: deps.dialect,
      webhooks: deps.webhooks,
      log: deps.log,
      scheduleMs: this.#probeScheduleMs,
      node: () => this.#lease.id,
      tickMs: options.probeTickMs ?? 1000,
      probe: (row, webhook) => this.#probe(row, webhook),
    })
  }

  /** The delay before recovery probe `step` of this webhook (0: the first after its pause), or null for none. */
  probeDelay(webhook: Pick<Webhook, 'autoResume'>, step: number): number | null {
    return probeDelay(webhook, step, this.#probeScheduleMs)
  }

  /** Told of what operational events should say (a pause, a disable, an exhausted delivery); set by the relay. */
  onNotice: (notice: OperationalNotice) => void = () => {}

  /** Recovers what was in flight when the process last stopped, then starts delivering. */
  async start(): Promise<void> {
    // One SQLite node: all that was `sending` was this process's. PostgreSQL: only what nodes whose
    // lease ran out held (this node's previous life among them).
    const { db, dialect } = this.#deps
    const released = dialect === 'sqlite' ? await releaseInFlight(db) : await this.#lease.start()
    if (released > 0) this.#deps.log.info('deliveries recovered', { count: released })
    this.#scheduler.start()
    this.#recovery.start()
  }

  /**
   * Stops claiming, writes the results it holds and releases what it had claimed but not started.
   * Attempts still running are left to finish unrecorded: their deliveries stay claimed and are
   * sent again on the next start, which at-least-once allows.
   */
  async stop(): Promise<void> {
    const unsent = this.#scheduler.stop()
    await this.#recovery.stop()
    await this.#log.flush()
    await releaseDeliveries(this.#deps.db, this.#lease.id, unsent).catch(() => {})
    await this.#lease.stop()
  }

  /** The node id this dispatcher claims deliveries under. */
  get node(): string {
    return this.#lease.id
  }

  /** Looks at the queue soon (after ingest commits, a resume, a redeliver…). */
  wake(): void {
    this.#scheduler.wake()
  }

  /** New deliveries for these webhooks were stored (ingest). */
  notify(webhookIds: Iterable<string>): void {
    this.#scheduler.notify(webhookIds)
  }

  /** After a resume: what was held goes out one at a time, oldest first. */
  drainInOrder(webhookId: string, options: { resumed?: boolean } = {}): Promise<void> {
    return this.#scheduler.drainInOrder(webhookId, options)
  }

  get inFlight(): number {
    return this.#scheduler.inFlight
  }

  /** Writes buffered attempt results now. */
  flush(): Promise<void> {
    return this.#log.flush()
  }

  /** Resolves when nothing is in flight (tests and benchmarks). */
  idle(): Promise<void> {
    return this.#scheduler.idle()
  }

  /** Attempts a claimed delivery now and records the outcome (the scheduler's slots, and the test send). */
  async attempt(row: ClaimedDelivery, webhook: Webhook): Promise<void> {
    if (row.kind === 'event' && webhook.status !== 'active') {
      // Paused or disabled after it was claimed: hold it, unsent.
      await releaseDeliveries(this.#deps.db, row.claimed_by, [row.id])
      return
    }
    const outcome = await attemptDelivery(this.#deps.sender, row, webhook)
    if (this.#scheduler.stopped && row.kind !== 'test') return
    const exhausted = row.kind === 'test' ? null : exhaustedNotice(row, webhook, outcome)
    // Asked before the result goes to the write-behind: once written, a finished delivery's queue
    // row is gone, and "no longer claimed" would no longer tell an erasure from our own result.
    const live = row.kind === 'test' || (await this.#stillLive(row, webhook, outcome, exhausted !== null))
    this.#log.record(outcome.record)
    this.#observe(row, webhook, outcome)
    if (row.kind === 'test') return
    await this.#health.update(webhook, row, outcome)
    if (!live) return
    if (exhausted) this.onNotice(exhausted)
    const { session_id } = row
    if (session_id) await tellSession(this.#deps.frames, this.#deps.log, { ...row, session_id }, webhook, outcome)
  }

  /**
   * Before an attempt leaves something lasting of its event (stored variables from the mapped
   * answer, an operational event naming it): was the delivery cancelled? An erasure while
   * the request was out cancels it, and then nothing of the subject may be written back.
   */
  async #stillLive(row: ClaimedDelivery, webhook: Webhook, outcome: AttemptOutcome, notice: boolean): Promise<boolean> {
    const stores =
      notice || (row.session_id !== null && webhook.response !== null && outcome.verdict.outcome === 'delivered')
    if (!stores || !(await isCancelled(this.#deps.db, row.id))) return true
    this.#deps.log.info('attempt of a cancelled delivery: nothing written back', { deliveryId: row.id })
    return false
  }

  /**
   * A recovery probe: the paused webhook's oldest held delivery, sent once. A 2xx resumes the
   * webhook (what is held then drains in order) and says so; a failure leaves the delivery held,
   * whatever its attempts: a probe never gives up on a delivery.
   */
  async #probe(row: ClaimedDelivery, webhook: Webhook): Promise<void> {
    const outcome = await attemptDelivery(this.#deps.sender, row, webhook)
    if (this.#scheduler.stopped) return
    const delivered = outcome.verdict.outcome === 'delivered'
    const { record } = outcome
    this.#log.record(
      delivered
        ? record
        : {
            ...record,
            delivery: {
              ...record.delivery,
              status: 'pending',
              finished_at: null,
              next_attempt_at: row.next_attempt_at,
              out_of_order: row.out_of_order,
            },
          },
    )
    this.#observe(row, webhook, outcome)
    await this.#health.update(webhook, row, outcome)
    const { session_id } = row
    if (session_id && (await this.#stillLive(row, webhook, outcome, false)))
      await tellSession(this.#deps.frames, this.#deps.log, { ...row, session_id }, webhook, outcome)
    if (!delivered || webhook.status !== 'paused') return
    await this.#deps.webhooks.setStatus(webhook, 'active', null)
    await this.drainInOrder(webhook.id, { resumed: true })
    this.#deps.log.info('webhook resumed', { webhookId: webhook.id, by: 'probe' })
    this.onNotice({
      name: 'hookline.webhook.resumed',
      webhook,
      reason: `A recovery probe succeeded (HTTP ${outcome.result.status}).`,
      lastAttempt: attemptSummary(row, outcome),
    })
  }

  async #run(row: ClaimedDelivery): Promise<void> {
    const webhook = await this.#deps.webhooks.get(row.webhook_id)
    if (webhook) await this.attempt(row, webhook)
  }

  #observe(row: ClaimedDelivery, webhook: Webhook, { verdict, result, finishedAt }: AttemptOutcome): void {
    const { metrics } = this.#deps
    metrics.attempts.inc({ project: row.project_id, webhook: webhook.id, outcome: verdict.outcome })
    metrics.attemptSeconds.observe(result.latencyMs / 1000)
    if (verdict.outcome === 'delivered' && row.kind === 'event') {
      metrics.eventToDeliverySeconds.observe({ project: row.project_id }, (finishedAt - row.event_received_at) / 1000)
    }
  }
}

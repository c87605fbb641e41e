import type { Kysely } from 'kysely'
import { newId, sign, testEnvelope } from '@hookline/protocol'
import type { FrameSink } from './frames.ts'
import type { Logger } from './log.ts'
import type { RelayMetrics } from './metrics.ts'
import { activeSecrets, mapResponse, renderBody, USER_AGENT } from './outgoing.ts'
import { judge, type Verdict } from './retry.ts'
import { LOGGED_BODY_BYTES, type Sender, type SendResult } from './send.ts'
import type { Dialect } from './storage/db.ts'
import {
  claimDue,
  countHeld,
  insertDelivery,
  nextDueAt,
  releaseDeliveries,
  releaseInFlight,
  writeAttempts,
  type AttemptRecord,
  type ClaimedDelivery,
} from './storage/deliveries.ts'
import type { Database, DeliveriesTable } from './storage/schema.ts'
import type { Webhook } from './storage/webhooks.ts'
import type { WebhookRegistry } from './webhook-registry.ts'

/** Consecutive failed attempts after which a webhook is paused. */
export const PAUSE_AFTER_FAILURES = 10

export interface DispatcherOptions {
  /** Attempts in flight at once, over every webhook. @default 512 */
  maxInFlight?: number
  /** Attempts in flight at once to one webhook, so a slow endpoint cannot take every slot. @default 64 */
  perWebhook?: number
  /** How long attempt results wait to be written together. @default 20 */
  flushMs?: number
  /** Longest sleep between looks at the queue when nothing wakes the dispatcher. @default 500 */
  pollMs?: number
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

// A claim holds a delivery this long (longest timeout plus slack) before another node may retake it.
const LEASE_MS = 60_000

/**
 * Delivers what ingest stored: claims due deliveries, signs and sends them, applies the retry rules,
 * and writes every attempt. Many attempts run at once, capped per webhook so that one slow endpoint
 * never delays another. Results are written in small batches; a crash before a batch is written only
 * means those deliveries are sent again, with the same `webhook-id`.
 */
export class Dispatcher {
  readonly #deps: DispatcherDeps
  readonly #maxInFlight: number
  readonly #perWebhook: number
  readonly #flushMs: number
  readonly #pollMs: number
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
  /** Webhooks draining what was held while paused: one at a time, oldest first. Value: resume time. */
  #ordered = new Map<string, number>()
  #records: AttemptRecord[] = []
  #failures = new Map<string, number>()
  #flushTimer: NodeJS.Timeout | undefined
  #flushing: Promise<void> = Promise.resolve()
  #wakeTimer: NodeJS.Timeout | undefined
  #scheduled = false
  #claiming = false
  #again = false
  #stopped = true
  #idle = new Set<() => void>()

  constructor(deps: DispatcherDeps, options: DispatcherOptions = {}) {
    this.#deps = deps
    this.#maxInFlight = options.maxInFlight ?? 512
    this.#perWebhook = options.perWebhook ?? 64
    this.#flushMs = options.flushMs ?? 20
    this.#pollMs = options.pollMs ?? 500
  }

  /** Recovers what was in flight when the process last stopped, then starts delivering. */
  async start(): Promise<void> {
    const released = await releaseInFlight(this.#deps.db, this.#deps.dialect, Date.now())
    if (released > 0) this.#deps.log.info('deliveries recovered', { count: released })
    this.#stopped = false
    this.wake()
  }

  /** Looks at the queue soon (after ingest commits, a resume, a redeliver…). */
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
      if (!this.#perWebhookInFlight.has(id) && !this.#perWebhookReady.has(id)) return this.wake()
    }
  }

  /** After a resume: what was held goes out one at a time, oldest first. */
  drainInOrder(webhookId: string): void {
    this.#ordered.set(webhookId, Date.now())
    this.wake()
  }

  get inFlight(): number {
    return this.#inFlight
  }

  /**
   * Stops claiming. Attempts still running are left to finish unrecorded: their deliveries stay
   * claimed and are sent again on the next start, which at-least-once allows.
   */
  async stop(): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#wakeTimer)
    const unsent = this.#ready.map((row) => row.id)
    this.#ready = []
    this.#perWebhookReady.clear()
    await this.flush()
    await releaseDeliveries(this.#deps.db, unsent).catch(() => {})
  }

  /** Sends `webhook.test` now and waits for the one attempt; returns the delivery id. */
  async sendTest(webhook: Webhook): Promise<string> {
    const now = Date.now()
    const eventId = newId('evt')
    const row: DeliveriesTable = {
      id: newId('dlv'),
      project_id: webhook.projectId,
      webhook_id: webhook.id,
      event_id: eventId,
      msg_id: newId('msg'),
      kind: 'test',
      session_id: null,
      status: 'sending',
      attempts: 0,
      next_attempt_at: now,
      lease_until: now + LEASE_MS,
      created_at: now,
      updated_at: now,
      event_received_at: now,
      finished_at: null,
      last_status: null,
      last_error: null,
      latency_ms: null,
      body: JSON.stringify(testEnvelope(eventId, webhook.projectId)),
    }
    await insertDelivery(this.#deps.db, row)
    await this.#attempt({ ...row, event_body: null }, webhook)
    await this.flush()
    return row.id
  }

  /** Writes buffered attempt results now. */
  flush(): Promise<void> {
    clearTimeout(this.#flushTimer)
    this.#flushTimer = undefined
    this.#flushing = this.#flushing.then(() => this.#write())
    return this.#flushing
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
      for (let round = 0; round < 50 && !this.#stopped; round++) {
        this.#launchReady()
        const held = (id: string) => (this.#perWebhookInFlight.get(id) ?? 0) + (this.#perWebhookReady.get(id) ?? 0)
        const busy = [...new Set([...this.#perWebhookInFlight.keys(), ...this.#perWebhookReady.keys()])]
        const exclude = busy.filter((id) => held(id) >= this.#depth(id))
        // A refill asks only for what the webhooks being delivered have room for, so a claim never
        // reads hundreds of rows to keep one.
        const room = busy.reduce((sum, id) => sum + Math.max(0, this.#depth(id) - held(id)), 0)
        const want = Math.min(this.#maxInFlight - this.#ready.length, this.#external ? Infinity : room)
        if (want <= 0) break
        this.#external = false
        const { claimed } = await claimDue(this.#deps.db, this.#deps.dialect, {
          now: Date.now(),
          limit: want,
          leaseMs: LEASE_MS,
          exclude,
          room: (id) => this.#depth(id) - held(id),
        })
        for (const row of claimed) {
          this.#ready.push(row)
          this.#perWebhookReady.set(row.webhook_id, (this.#perWebhookReady.get(row.webhook_id) ?? 0) + 1)
        }
        // Rows skipped for want of room belong to busy webhooks, which refill as they finish.
        this.#launchReady()
        if (claimed.length < want) break
      }
      if (!this.#again && !this.#stopped) await this.#sleepUntilDue()
    } catch (error) {
      this.#deps.log.error('dispatcher pass failed', { error: error as Error })
      this.#wakeTimer = setTimeout(() => this.wake(), this.#pollMs)
    } finally {
      this.#claiming = false
    }
    if (this.#again) {
      this.#again = false
      this.wake()
    }
  }

  /** Starts whatever is ready and has a free slot, oldest first, within each webhook's cap. */
  #launchReady(): void {
    if (this.#ready.length === 0 || this.#inFlight >= this.#maxInFlight) return
    const waiting: ClaimedDelivery[] = []
    for (const row of this.#ready) {
      if (
        this.#inFlight < this.#maxInFlight &&
        (this.#perWebhookInFlight.get(row.webhook_id) ?? 0) < this.#limit(row.webhook_id)
      ) {
        const left = (this.#perWebhookReady.get(row.webhook_id) ?? 1) - 1
        if (left <= 0) this.#perWebhookReady.delete(row.webhook_id)
        else this.#perWebhookReady.set(row.webhook_id, left)
        this.#launch(row)
      } else waiting.push(row)
    }
    this.#ready = waiting
  }

  async #sleepUntilDue(): Promise<void> {
    const now = Date.now()
    const due = await nextDueAt(this.#deps.db, now)
    const delay = due === null ? this.#pollMs : Math.max(1, Math.min(due - now, this.#pollMs))
    clearTimeout(this.#wakeTimer)
    this.#wakeTimer = setTimeout(() => this.wake(), delay)
  }

  /** How many of a webhook's deliveries may be claimed at once: in flight plus queued. */
  #depth(webhookId: string): number {
    return 4 * this.#limit(webhookId)
  }

  #limit(webhookId: string): number {
    return this.#ordered.has(webhookId) ? 1 : this.#perWebhook
  }

  #launch(row: ClaimedDelivery): void {
    this.#inFlight++
    this.#perWebhookInFlight.set(row.webhook_id, (this.#perWebhookInFlight.get(row.webhook_id) ?? 0) + 1)
    this.#deps.metrics.inFlight.inc()
    this.#deps.webhooks
      .get(row.webhook_id)
      .then((webhook) => (webhook ? this.#attempt(row, webhook) : undefined))
      .catch((error) => this.#deps.log.error('attempt failed', { deliveryId: row.id, error: error as Error }))
      .finally(() => {
        this.#inFlight--
        const left = (this.#perWebhookInFlight.get(row.webhook_id) ?? 1) - 1
        if (left <= 0) this.#perWebhookInFlight.delete(row.webhook_id)
        else this.#perWebhookInFlight.set(row.webhook_id, left)
        this.#deps.metrics.inFlight.dec()
        if (this.#inFlight === 0) for (const resolve of this.#idle) resolve()
        if (this.#inFlight === 0) this.#idle.clear()
        this.#launchReady()
        // Refill a webhook once fewer than one round of attempts is queued, in batches of a few
        // rounds rather than one claim an attempt.
        const queued = this.#perWebhookReady.get(row.webhook_id) ?? 0
        if (queued <= this.#limit(row.webhook_id) && !this.#scheduled && !this.#stopped) {
          this.#scheduled = true
          setImmediate(() => void this.#pass())
        }
      })
  }

  async #attempt(row: ClaimedDelivery, webhook: Webhook): Promise<void> {
    if (row.kind === 'event' && webhook.status !== 'active') {
      // Paused or disabled after it was claimed: hold it, unsent.
      await releaseDeliveries(this.#deps.db, [row.id])
      return
    }
    const attempt = row.attempts + 1
    const startedAt = Date.now()
    const body = row.body ?? renderBody(row, webhook)
    const signed = await sign(activeSecrets(webhook, startedAt), row.msg_id, Math.floor(startedAt / 1000), body)
    const headers = { 'content-type': 'application/json', 'user-agent': USER_AGENT, ...signed }
    const result = await this.#deps.sender.send({ url: webhook.url, headers, body, timeoutMs: webhook.timeoutMs })
    if (this.#stopped && row.kind !== 'test') return
    const retry = row.kind === 'test' ? { maxAttempts: 1, scheduleMs: null } : webhook.retry
    const verdict = judge(result, attempt, retry)
    const finishedAt = Date.now()
    const delivered = verdict.outcome === 'delivered'
    const final = verdict.outcome !== 'retry'
    const error = verdict.outcome === 'delivered' ? null : verdict.reason
    this.#record({
      attempt: {
        id: newId('att'),
        delivery_id: row.id,
        project_id: row.project_id,
        webhook_id: row.webhook_id,
        attempt,
        started_at: startedAt,
        latency_ms: result.latencyMs,
        request_headers: JSON.stringify(headers),
        request_body: body,
        response_status: result.status,
        response_headers: result.headers && JSON.stringify(result.headers),
        response_body: result.body && result.body.slice(0, LOGGED_BODY_BYTES),
        error,
      },
      delivery: {
        id: row.id,
        status: delivered ? 'succeeded' : final ? 'failed' : 'pending',
        attempts: attempt,
        updated_at: finishedAt,
        next_attempt_at: verdict.outcome === 'retry' ? finishedAt + verdict.delayMs : row.next_attempt_at,
        last_status: result.status,
        last_error: error,
        finished_at: final ? finishedAt : null,
        latency_ms: delivered ? finishedAt - Number(row.event_received_at) : null,
      },
    })
    this.#observe(row, webhook, verdict, result, finishedAt)
    if (row.kind === 'test') return
    await this.#updateHealth(webhook, verdict)
    if (row.session_id) await this.#tellSession(row, webhook, attempt, verdict, result)
  }

  #observe(row: ClaimedDelivery, webhook: Webhook, verdict: Verdict, result: SendResult, finishedAt: number): void {
    const { metrics } = this.#deps
    metrics.attempts.inc({ project: row.project_id, webhook: webhook.id, outcome: verdict.outcome })
    metrics.attemptSeconds.observe(result.latencyMs / 1000)
    if (verdict.outcome === 'delivered' && row.kind === 'event') {
      metrics.eventToDeliverySeconds.observe(
        { project: row.project_id },
        (finishedAt - Number(row.event_received_at)) / 1000,
      )
    }
  }

  /** Counts consecutive failures; pauses at ten, disables on 410. */
  async #updateHealth(webhook: Webhook, verdict: Verdict): Promise<void> {
    const { webhooks, log, metrics } = this.#deps
    webhook.consecutiveFailures = verdict.outcome === 'delivered' ? 0 : webhook.consecutiveFailures + 1
    this.#failures.set(webhook.id, webhook.consecutiveFailures)
    if (verdict.outcome === 'failed' && verdict.disable && webhook.status !== 'disabled') {
      await webhooks.setStatus(webhook, 'disabled', 'The endpoint answered 410 Gone.')
      log.warn('webhook disabled', { webhookId: webhook.id, reason: '410 Gone' })
    } else if (webhook.consecutiveFailures >= PAUSE_AFTER_FAILURES && webhook.status === 'active') {
      await webhooks.setStatus(
        webhook,
        'paused',
        `${webhook.consecutiveFailures} consecutive failed attempts; new deliveries are held until it is resumed.`,
      )
      metrics.webhooksPaused.inc()
      log.warn('webhook paused', { webhookId: webhook.id, consecutiveFailures: webhook.consecutiveFailures })
    }
  }

  async #tellSession(
    row: ClaimedDelivery,
    webhook: Webhook,
    attempt: number,
    verdict: Verdict,
    result: SendResult,
  ): Promise<void> {
    const { frames, log } = this.#deps
    const sessionId = row.session_id!
    try {
      frames.delivery(row.project_id, sessionId, {
        eventId: row.event_id,
        webhookId: webhook.id,
        attempt,
        status: result.status,
        ok: verdict.outcome === 'delivered',
        latencyMs: result.latencyMs,
        final: verdict.outcome !== 'retry',
        ...(verdict.outcome === 'delivered' ? {} : { error: verdict.reason }),
      })
      if (verdict.outcome !== 'delivered' || !webhook.response) return
      const set = mapResponse(result.body, webhook.response.set)
      if (set) await frames.vars(row.project_id, { session: sessionId }, set, { kind: 'response', id: row.id })
    } catch (error) {
      log.warn('stream frame failed', { deliveryId: row.id, error: error as Error })
    }
  }

  #record(record: AttemptRecord): void {
    this.#records.push(record)
    if (this.#records.length >= 256) void this.flush()
    else this.#flushTimer ??= setTimeout(() => void this.flush(), this.#flushMs)
  }

  async #write(): Promise<void> {
    const records = this.#records
    const failures = this.#failures
    if (records.length === 0 && failures.size === 0) return
    this.#records = []
    this.#failures = new Map()
    try {
      await writeAttempts(this.#deps.db, this.#deps.dialect, records, failures)
    } catch (error) {
      // Keep them for the next flush; until then the deliveries stay claimed, never lost.
      this.#records.unshift(...records)
      for (const [id, count] of failures) if (!this.#failures.has(id)) this.#failures.set(id, count)
      this.#deps.log.error('writing attempts failed', { count: records.length, error: error as Error })
      this.#flushTimer ??= setTimeout(() => void this.flush(), 200)
      return
    }
    if (records.some((record) => record.delivery.status === 'pending')) this.wake()
    for (const [webhookId, since] of this.#ordered) {
      if ((await countHeld(this.#deps.db, webhookId, since)) === 0) this.#ordered.delete(webhookId)
    }
  }
}

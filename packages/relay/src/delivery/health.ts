import type { WebhookRegistry } from '../domain/webhook-registry.ts'
import type { Logger } from '../observability/log.ts'
import type { RelayMetrics } from '../observability/metrics.ts'
import type { Webhook } from '../storage/webhooks.ts'
import type { ClaimedDelivery } from '../storage/deliveries.ts'
import type { AttemptOutcome } from './attempt.ts'
import type { AttemptLog } from './attempt-log.ts'
import { attemptSummary, type OperationalNotice } from './operational-events.ts'
import type { LastAttemptSummary } from '@hookline/protocol'

/** Consecutive failed attempts after which a webhook is paused. */
export const PAUSE_AFTER_FAILURES = 10

/**
 * A webhook's health after each attempt: counts consecutive failures (written with the attempt),
 * pauses the webhook at ten, and disables it when the endpoint answers 410 Gone; each change is
 * told as an operational event.
 */
export class WebhookHealth {
  constructor(
    private readonly webhooks: WebhookRegistry,
    private readonly attempts: AttemptLog,
    private readonly log: Logger,
    private readonly metrics: RelayMetrics,
    private readonly notice: (notice: OperationalNotice) => void,
    /** The delay before the first recovery probe after a pause, or null when it is not probed. */
    private readonly firstProbe: (webhook: Webhook) => number | null,
  ) {}

  /** The last failed attempt of each webhook whose run of failures goes on: what a pause notice tells. */
  #lastFailure = new Map<string, LastAttemptSummary>()

  async update(webhook: Webhook, row: ClaimedDelivery, outcome: AttemptOutcome): Promise<void> {
    const { verdict } = outcome
    const delivered = verdict.outcome === 'delivered'
    webhook.consecutiveFailures = delivered ? 0 : webhook.consecutiveFailures + 1
    this.attempts.outcome(webhook.id, delivered)
    if (delivered) this.#lastFailure.delete(webhook.id)
    else this.#lastFailure.set(webhook.id, attemptSummary(row, outcome))
    if (verdict.outcome === 'failed' && verdict.disable && webhook.status !== 'disabled') {
      const reason = 'The endpoint answered 410 Gone.'
      await this.webhooks.setStatus(webhook, 'disabled', reason)
      this.log.warn('webhook disabled', { webhookId: webhook.id, reason: '410 Gone' })
      this.notice({ name: 'hookline.webhook.disabled', webhook, reason, lastAttempt: attemptSummary(row, outcome) })
    } else if (this.#due(webhook)) {
      // Written first, so that whoever reads the pause reads the run that caused it; the batch's
      // stored counts then pause it (`counted`), or this does if the write failed.
      await this.attempts.flush()
      await this.#pauseIfDue(webhook)
    }
  }

  /**
   * After failure runs were written: the stored runs add up every node's attempts, so a webhook
   * whose failures are spread over several nodes is paused at ten all the same.
   */
  async counted(counts: Map<string, number>): Promise<void> {
    for (const [id, stored] of counts) {
      const webhook = await this.webhooks.get(id)
      if (!webhook) continue
      const run = this.attempts.unwritten(id)
      webhook.consecutiveFailures = run?.reset ? run.count : stored + (run?.count ?? 0)
      await this.#pauseIfDue(webhook)
    }
  }

  #due(webhook: Webhook): boolean {
    return webhook.consecutiveFailures >= PAUSE_AFTER_FAILURES && webhook.status === 'active'
  }

  async #pauseIfDue(webhook: Webhook): Promise<void> {
    if (!this.#due(webhook)) return
    const delay = this.firstProbe(webhook)
    const until = delay === null ? 'it is resumed' : 'a recovery probe succeeds or it is resumed'
    const reason = `${webhook.consecutiveFailures} consecutive failed attempts; new deliveries are held until ${until}.`
    const nextProbeAt = delay === null ? null : Date.now() + delay
    // Several nodes may reach ten at once: the one whose change lands pauses it and says so.
    if (!(await this.webhooks.setStatus(webhook, 'paused', reason, { by: 'failures', nextProbeAt }, 'active'))) return
    const lastAttempt = this.#lastFailure.get(webhook.id) ?? null
    this.notice({ name: 'hookline.webhook.paused', webhook, reason, lastAttempt })
    this.metrics.webhooksPaused.inc()
    this.log.warn('webhook paused', { webhookId: webhook.id, consecutiveFailures: webhook.consecutiveFailures })
  }
}

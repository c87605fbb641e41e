import type { WebhookRegistry } from '../domain/webhook-registry.ts'
import type { Logger } from '../observability/log.ts'
import type { RelayMetrics } from '../observability/metrics.ts'
import type { Webhook } from '../storage/webhooks.ts'
import type { ClaimedDelivery } from '../storage/deliveries.ts'
import type { AttemptOutcome } from './attempt.ts'
import type { AttemptLog } from './attempt-log.ts'
import { attemptSummary, type OperationalNotice } from './operational-events.ts'

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
  ) {}

  async update(webhook: Webhook, row: ClaimedDelivery, outcome: AttemptOutcome): Promise<void> {
    const { verdict } = outcome
    webhook.consecutiveFailures = verdict.outcome === 'delivered' ? 0 : webhook.consecutiveFailures + 1
    this.attempts.failures(webhook.id, webhook.consecutiveFailures)
    if (verdict.outcome === 'failed' && verdict.disable && webhook.status !== 'disabled') {
      const reason = 'The endpoint answered 410 Gone.'
      await this.webhooks.setStatus(webhook, 'disabled', reason)
      this.log.warn('webhook disabled', { webhookId: webhook.id, reason: '410 Gone' })
      this.notice({ name: 'hookline.webhook.disabled', webhook, reason, lastAttempt: attemptSummary(row, outcome) })
    } else if (webhook.consecutiveFailures >= PAUSE_AFTER_FAILURES && webhook.status === 'active') {
      const reason = `${webhook.consecutiveFailures} consecutive failed attempts; new deliveries are held until it is resumed.`
      await this.webhooks.setStatus(webhook, 'paused', reason)
      this.notice({ name: 'hookline.webhook.paused', webhook, reason, lastAttempt: attemptSummary(row, outcome) })
      this.metrics.webhooksPaused.inc()
      this.log.warn('webhook paused', { webhookId: webhook.id, consecutiveFailures: webhook.consecutiveFailures })
    }
  }
}

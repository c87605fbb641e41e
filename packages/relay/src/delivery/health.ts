import type { WebhookRegistry } from '../domain/webhook-registry.ts'
import type { Logger } from '../observability/log.ts'
import type { RelayMetrics } from '../observability/metrics.ts'
import type { Webhook } from '../storage/webhooks.ts'
import type { AttemptLog } from './attempt-log.ts'
import type { Verdict } from './retry.ts'

/** Consecutive failed attempts after which a webhook is paused. */
export const PAUSE_AFTER_FAILURES = 10

/**
 * A webhook's health after each attempt: counts consecutive failures (written with the attempt),
 * pauses the webhook at ten, and disables it when the endpoint answers 410 Gone.
 */
export class WebhookHealth {
  constructor(
    private readonly webhooks: WebhookRegistry,
    private readonly attempts: AttemptLog,
    private readonly log: Logger,
    private readonly metrics: RelayMetrics,
  ) {}

  async update(webhook: Webhook, verdict: Verdict): Promise<void> {
    webhook.consecutiveFailures = verdict.outcome === 'delivered' ? 0 : webhook.consecutiveFailures + 1
    this.attempts.failures(webhook.id, webhook.consecutiveFailures)
    if (verdict.outcome === 'failed' && verdict.disable && webhook.status !== 'disabled') {
      await this.webhooks.setStatus(webhook, 'disabled', 'The endpoint answered 410 Gone.')
      this.log.warn('webhook disabled', { webhookId: webhook.id, reason: '410 Gone' })
    } else if (webhook.consecutiveFailures >= PAUSE_AFTER_FAILURES && webhook.status === 'active') {
      await this.webhooks.setStatus(
        webhook,
        'paused',
        `${webhook.consecutiveFailures} consecutive failed attempts; new deliveries are held until it is resumed.`,
      )
      this.metrics.webhooksPaused.inc()
      this.log.warn('webhook paused', { webhookId: webhook.id, consecutiveFailures: webhook.consecutiveFailures })
    }
  }
}

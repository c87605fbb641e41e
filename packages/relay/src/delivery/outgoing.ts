import { renderTemplate, templateContext, toEnvelope, type HooklineEvent } from '@hookline/protocol'
import packageJson from '../../package.json' with { type: 'json' }
import type { ClaimedDelivery } from '../storage/delivery-queue.ts'
import type { Webhook } from '../storage/webhooks.ts'

/** What every outgoing request says it is. */
export const USER_AGENT = `Hookline/${packageJson.version}`

/** The outgoing body: the webhook's template, or the default envelope. */
export function renderBody(row: Pick<ClaimedDelivery, 'event_body' | 'project_id'>, webhook: Webhook): string {
  const event = JSON.parse(row.event_body ?? 'null') as HooklineEvent
  if (webhook.template === null) return JSON.stringify(toEnvelope(event, row.project_id, webhook.environment))
  return JSON.stringify(renderTemplate(webhook.template, templateContext(event, row.project_id, webhook.environment)))
}

/** The secret, plus the previous one while a rotation's 24 h overlap lasts. */
export function activeSecrets(webhook: Webhook, now: number): string[] {
  if (webhook.previousSecret && webhook.previousSecretExpiresAt !== null && webhook.previousSecretExpiresAt > now)
    return [webhook.secret, webhook.previousSecret]
  return [webhook.secret]
}

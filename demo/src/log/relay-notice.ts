import { isReservedName, type EventLogEntry, type OperationalData } from '@hookline/protocol'
import { plainReason } from '../ui/plain-reason.ts'

/** What the relay said about a webhook, in words a designer reads without knowing the event names. */
export interface RelayNotice {
  /** "Webhook paused", "Webhook resumed by itself"… */
  title: string
  /** A sentence: which webhook, and why. */
  text: string
  tone: 'warn' | 'bad' | 'good'
  webhookId: string | undefined
  webhookName: string
}

/** True for the relay's own events (`hookline.webhook.paused`…), as opposed to a prototype's. */
export function isRelayNotice(entry: Pick<EventLogEntry, 'name'>): boolean {
  return isReservedName(entry.name)
}

/**
 * The operational event in plain words. The relay's reason is kept as the sentence's tail, with
 * its technical parts (probe, HTTP) said the way the rest of the dashboard says them.
 */
export function relayNotice(entry: Pick<EventLogEntry, 'name' | 'event'>): RelayNotice {
  const data = (entry.event.props ?? {}) as Partial<OperationalData>
  const webhookName = data.webhook?.name ?? 'a webhook'
  const webhookId = data.webhook?.id
  const reason = plainReason(data.reason ?? '')
  const quoted = `“${webhookName}”`
  switch (entry.name) {
    case 'hookline.webhook.paused':
      return {
        title: 'Webhook paused',
        text: `${quoted} stopped sending and holds its deliveries. ${reason}`,
        tone: 'warn',
        webhookId,
        webhookName,
      }
    case 'hookline.webhook.disabled':
      return {
        title: 'Webhook turned off',
        text: `${quoted} sends nothing until it is turned on again. ${reason}`,
        tone: 'bad',
        webhookId,
        webhookName,
      }
    case 'hookline.webhook.resumed': {
      const byItself = (data.reason ?? '').startsWith('A recovery probe')
      return {
        title: byItself ? 'Webhook resumed by itself' : 'Webhook resumed',
        text: `${quoted} sends again; what it held goes out oldest first. ${reason}`,
        tone: 'good',
        webhookId,
        webhookName,
      }
    }
    case 'hookline.delivery.exhausted':
      return {
        title: 'Delivery given up',
        text: `An event to ${quoted} was not delivered, and is not retried again (Redeliver sends it once more). ${reason}`,
        tone: 'bad',
        webhookId,
        webhookName,
      }
    default:
      return { title: 'Relay notice', text: reason, tone: 'warn', webhookId, webhookName }
  }
}

import { useEffect, useState } from 'preact/hooks'
import { api } from '../api.ts'
import { HttpStatus } from '../ui/badge.tsx'
import { ErrorNotice } from '../ui/error-notice.tsx'
import { timeAgo } from '../ui/time-ago.ts'
import { AttemptList } from './attempt-list.tsx'
import { DeliveryStatus } from './delivery-status.tsx'
import type { Attempt, Delivery, DeliveryAnswer } from '@hookline/protocol'

interface Props {
  webhookId: string
  delivery: Delivery
  /** The event's name, when the project's event log still holds it. */
  eventName: string | undefined
  onRedelivered: () => void
}

/** One line of the delivery log; opens onto its attempts, with "Redeliver". */
export function DeliveryItem({ webhookId, delivery, eventName, onRedelivered }: Props) {
  const [open, setOpen] = useState(false)
  const [attempts, setAttempts] = useState<Attempt[]>()
  const [error, setError] = useState<unknown>()
  const [busy, setBusy] = useState(false)
  const base = `/webhooks/${webhookId}/deliveries/${delivery.id}`
  const count = delivery.attemptCount
  const title = delivery.kind === 'test' ? 'webhook.test' : (eventName ?? delivery.eventId)

  // Attempts load when the line opens, and again when the log shows a new attempt or status.
  useEffect(() => {
    if (!open) return
    api<DeliveryAnswer>('GET', base)
      .then((detail) => setAttempts(detail.delivery.attempts))
      .catch((caught: unknown) => setError(caught))
  }, [open, base, delivery.attemptCount, delivery.status])
  const toggle = () => setOpen(!open)
  const redeliver = async () => {
    setBusy(true)
    setError(undefined)
    try {
      await api('POST', `${base}/redeliver`)
      onRedelivered()
    } catch (caught) {
      setError(caught)
    } finally {
      setBusy(false)
    }
  }

  return (
    <li class="delivery" data-status={delivery.status}>
      <button type="button" class="delivery-line" aria-expanded={open} onClick={toggle}>
        <span class="mono delivery-event">{title}</span>
        <DeliveryStatus status={delivery.status} />
        <HttpStatus status={delivery.lastStatus} />
        <span class="muted small">
          {count} attempt{count === 1 ? '' : 's'}
          {delivery.latencyMs != null
            ? delivery.kind === 'test'
              ? ` · test started → endpoint 2xx ${delivery.latencyMs} ms`
              : ` · tap → endpoint 2xx ${delivery.latencyMs} ms`
            : ''}
        </span>
        {delivery.outOfOrder && (
          <span class="small out-of-order">later events went ahead of it, because it failed</span>
        )}
        <span class="muted small when">{timeAgo(delivery.createdAt)}</span>
      </button>
      {open && (
        <div class="delivery-detail">
          {delivery.lastError && <p class="field-error">{delivery.lastError}</p>}
          {delivery.outOfOrder && (
            <p class="muted small">
              Its retries ran out, so this visitor's later events went ahead of it. Redelivering it now reaches the
              endpoint after them.
            </p>
          )}
          {attempts ? (
            <AttemptList attempts={attempts} />
          ) : (
            error === undefined && <p class="muted small">Loading attempts…</p>
          )}
          {error !== undefined && <ErrorNotice error={error} />}
          {delivery.kind === 'event' && (
            <button
              type="button"
              class="button small"
              disabled={busy || delivery.status === 'pending' || delivery.status === 'sending'}
              onClick={() => void redeliver()}
            >
              {busy ? 'Redelivering…' : 'Redeliver'}
            </button>
          )}
        </div>
      )}
    </li>
  )
}

import { useState } from 'preact/hooks'
import { api } from '../api.ts'
import { href } from '../route.ts'
import { ErrorNotice } from '../ui/error-notice.tsx'
import { PageHeader } from '../ui/page-header.tsx'
import { useLoad } from '../ui/use-load.ts'
import type { Webhook } from '@hookline/protocol'
import { eventsText } from './events-text.ts'
import { WebhookDetail } from './webhook-detail.tsx'
import { WebhookForm } from './webhook-form.tsx'
import { WebhookStatus } from './webhook-status.tsx'

/** The project's webhooks, a form for a new one, or one webhook when `openId` is set. */
export function WebhooksPage({ openId }: { openId: string | undefined }) {
  const [creating, setCreating] = useState(false)
  const [fresh, setFresh] = useState<{ id: string; secret: string }>()
  const list = useLoad(() => api<{ webhooks: Webhook[] }>('GET', '/webhooks'), [openId], 5000)

  if (openId) {
    return (
      <WebhookDetail
        key={openId}
        id={openId}
        freshSecret={fresh?.id === openId ? fresh.secret : undefined}
        onSecretSeen={() => setFresh(undefined)}
      />
    )
  }
  const webhooks = list.data?.webhooks ?? []
  return (
    <>
      <PageHeader
        title="Webhooks"
        intro="Each webhook sends the events it subscribes to, signed, to one endpoint, with retries and a delivery log."
        actions={
          !creating && (
            <button type="button" class="button primary" onClick={() => setCreating(true)}>
              New webhook
            </button>
          )
        }
      />
      {creating && (
        <WebhookForm
          onCancel={() => setCreating(false)}
          onCreated={(webhook, secret) => {
            setCreating(false)
            setFresh({ id: webhook.id, secret })
            location.hash = href('webhooks', webhook.id)
          }}
        />
      )}
      {list.error && <ErrorNotice error={list.error} />}
      {list.data && webhooks.length === 0 && !creating && <p class="muted">No webhooks yet.</p>}
      <ul class="cards">
        {webhooks.map((webhook) => (
          <li key={webhook.id}>
            <a class="card link-card" href={href('webhooks', webhook.id)}>
              <span class="inline">
                <strong>{webhook.name}</strong>
                <WebhookStatus status={webhook.status} />
                <span class="badge neutral">{webhook.environment}</span>
              </span>
              <span class="mono muted small">{webhook.url}</span>
              <span class="muted small">{eventsText(webhook.events)}</span>
            </a>
          </li>
        ))}
      </ul>
    </>
  )
}

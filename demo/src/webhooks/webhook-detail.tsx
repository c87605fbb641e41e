import { useState } from 'preact/hooks'
import { api } from '../api.ts'
import { href } from '../route.ts'
import { RecentNotices } from '../log/recent-notices.tsx'
import { ErrorNotice } from '../ui/error-notice.tsx'
import { useLoad } from '../ui/use-load.ts'
import { DeliveryLog } from './delivery-log.tsx'
import { DisabledNotice } from './disabled-notice.tsx'
import { PausedNotice } from './paused-notice.tsx'
import { PayloadSettings } from './payload-settings.tsx'
import { ReplayPanel } from './replay-panel.tsx'
import { SecretOnce } from './secret-once.tsx'
import { SendTest, type TestOutcome } from './send-test.tsx'
import { TestResult } from './test-result.tsx'
import type { Webhook } from '@hookline/protocol'
import { WebhookSettings } from './webhook-settings.tsx'
import { WebhookStatus } from './webhook-status.tsx'

interface Props {
  id: string
  /** The secret of a webhook created a moment ago: shown once, here. */
  freshSecret?: string
  onSecretSeen: () => void
}

/** One webhook: its settings, "Send test", the payload editor and the delivery log. */
export function WebhookDetail({ id, freshSecret, onSecretSeen }: Props) {
  const loaded = useLoad(() => api<{ webhook: Webhook }>('GET', `/webhooks/${id}`), [id], 5000)
  const [refreshKey, setRefreshKey] = useState(0)
  const [secret, setSecret] = useState(freshSecret)
  const [error, setError] = useState<unknown>()
  const [test, setTest] = useState<TestOutcome>()
  const refresh = () => setRefreshKey((key) => key + 1)
  const webhook = loaded.data?.webhook

  const act = async (work: () => Promise<unknown>) => {
    setError(undefined)
    try {
      await work()
      await loaded.reload()
      refresh()
    } catch (caught) {
      setError(caught)
    }
  }

  if (loaded.error && !webhook) return <ErrorNotice error={loaded.error} />
  if (!webhook) return <p class="muted">Loading…</p>

  return (
    <>
      <nav class="breadcrumb" aria-label="Breadcrumb">
        <a href={href('webhooks')}>Webhooks</a> <span aria-hidden="true">/</span>{' '}
        <span aria-current="page">{webhook.name}</span>
      </nav>
      <header class="page-header">
        <div>
          <h1 class="inline">
            {webhook.name} <WebhookStatus status={webhook.status} />
          </h1>
          <p class="intro mono">{webhook.url}</p>
        </div>
        <div class="actions">
          {webhook.status === 'active' && (
            <button
              type="button"
              class="button"
              title="Hold its deliveries until you resume: nothing is dropped"
              onClick={() => void act(() => api('POST', `/webhooks/${webhook.id}/pause`))}
            >
              Pause
            </button>
          )}
          <SendTest
            webhookId={webhook.id}
            onSent={(outcome) => {
              setTest(outcome)
              refresh()
            }}
          />
        </div>
      </header>
      {test &&
        ('attempt' in test ? (
          <TestResult attempt={test.attempt} templated={webhook.template != null} />
        ) : (
          <ErrorNotice error={test.error} />
        ))}
      {secret && (
        <SecretOnce
          secret={secret}
          onDone={() => {
            setSecret(undefined)
            onSecretSeen()
          }}
        />
      )}
      {webhook.status === 'paused' && (
        <PausedNotice
          webhook={webhook}
          onResume={() => void act(() => api('POST', `/webhooks/${webhook.id}/resume`))}
        />
      )}
      {webhook.status === 'disabled' && (
        <DisabledNotice
          reason={webhook.statusReason}
          onEnable={() => void act(() => api('PATCH', `/webhooks/${webhook.id}`, { enabled: true }))}
        />
      )}
      {error !== undefined && <ErrorNotice error={error} />}
      <WebhookSettings
        webhook={webhook}
        onSaved={() => void loaded.reload()}
        onRotate={() =>
          void act(async () =>
            setSecret((await api<{ secret: string }>('POST', `/webhooks/${webhook.id}/rotate-secret`)).secret),
          )
        }
      />
      <section class="card" aria-labelledby="notices-title">
        <div class="card-head">
          <h2 id="notices-title">What happened to it</h2>
        </div>
        <RecentNotices
          webhookId={webhook.id}
          empty="Nothing yet: it has not been paused, turned off or resumed, nor given up on a delivery."
        />
      </section>
      <DeliveryLog webhookId={webhook.id} refreshKey={refreshKey} />
      <ReplayPanel webhookId={webhook.id} onQueued={refresh} />
      <PayloadSettings key={webhook.id} webhook={webhook} onSaved={() => void loaded.reload()} />
    </>
  )
}

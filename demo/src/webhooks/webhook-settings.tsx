import type { Environment, ProjectConfig } from '@hookline/protocol'
import { useState } from 'preact/hooks'
import { api } from '../api.ts'
import { href } from '../route.ts'
import { MappingEditor, mappingValid, type Mapping } from '../ui/mapping-editor.tsx'
import { ErrorNotice } from '../ui/error-notice.tsx'
import { useLoad } from '../ui/use-load.ts'
import { AutoResumeField, probeScheduleText } from './auto-resume-field.tsx'
import { DeliveryFields } from './delivery-fields.tsx'
import { changedDelivery, checkDelivery, deliveryText, retryText, waitText } from './delivery-settings.ts'
import { EnvironmentPicker } from './environment-picker.tsx'
import { EventsPicker } from './events-picker.tsx'
import { eventsText } from './events-text.ts'
import { FilterField, parseFilter } from './filter-field.tsx'
import { OrderingField, orderingText } from './ordering-field.tsx'
import { RotateSecret } from './rotate-secret.tsx'
import type { Webhook } from '@hookline/protocol'

interface Props {
  webhook: Webhook
  onSaved: () => void
  onRotate: () => void
}

/** A webhook's settings: read at a glance, edited in place (PATCH), or deleted. */
export function WebhookSettings({ webhook, onSaved, onRotate }: Props) {
  const [editing, setEditing] = useState(false)
  if (!editing) {
    return (
      <section class="card facts" aria-labelledby="settings-title">
        <div class="card-head">
          <h2 id="settings-title">Settings</h2>
          <button type="button" class="button small" onClick={() => setEditing(true)}>
            Edit
          </button>
        </div>
        <dl>
          <div>
            <dt>Events</dt>
            <dd class="mono">{eventsText(webhook.events)}</dd>
          </div>
          <div>
            <dt>Environment</dt>
            <dd>{webhook.environment}</dd>
          </div>
          <div>
            <dt>Response mapping</dt>
            <dd class="mono">
              {webhook.response?.set
                ? Object.entries(webhook.response.set)
                    .map(([name, path]) => `${name} ← ${path}`)
                    .join(', ')
                : 'none'}
            </dd>
          </div>
          <div>
            <dt>Only events that match</dt>
            {webhook.filter == null ? (
              <dd>every subscribed event</dd>
            ) : (
              <dd class="mono">{JSON.stringify(webhook.filter)}</dd>
            )}
          </div>
          <div class="wide-fact">
            <dt>After a pause for failures</dt>
            <dd>{probeScheduleText(webhook.autoResume)}</dd>
          </div>
          <div class="wide-fact">
            <dt>Order</dt>
            <dd>{orderingText(webhook.ordering)}</dd>
          </div>
          <div>
            <dt>Waits for an answer</dt>
            <dd>{waitText(webhook.timeoutMs)}</dd>
          </div>
          <div class="wide-fact">
            <dt>When a delivery fails</dt>
            <dd>{retryText(webhook)}</dd>
          </div>
          <div>
            <dt>Secret</dt>
            <dd>
              <RotateSecret onRotate={onRotate} />
            </dd>
          </div>
        </dl>
      </section>
    )
  }
  return (
    <SettingsForm
      webhook={webhook}
      onDone={(saved) => {
        setEditing(false)
        if (saved) onSaved()
      }}
    />
  )
}

function SettingsForm({ webhook, onDone }: { webhook: Webhook; onDone: (saved: boolean) => void }) {
  const [name, setName] = useState(webhook.name)
  const [url, setUrl] = useState(webhook.url)
  const [events, setEvents] = useState(webhook.events)
  const [environment, setEnvironment] = useState<Environment>(webhook.environment)
  const [mapping, setMapping] = useState<Mapping>(webhook.response?.set ?? {})
  const [filter, setFilter] = useState(webhook.filter == null ? '' : JSON.stringify(webhook.filter, null, 2))
  const [autoResume, setAutoResume] = useState(webhook.autoResume)
  const [ordering, setOrdering] = useState(webhook.ordering)
  const [delivery, setDelivery] = useState(() => deliveryText(webhook))
  const [submitted, setSubmitted] = useState(false)
  const [error, setError] = useState<unknown>()
  const names = useLoad(
    () =>
      api<{ config: ProjectConfig }>('GET', '/config').then(({ config }) => config.events.map((event) => event.name)),
    [],
  )
  const known = names.data ?? []

  const save = async (event: Event) => {
    event.preventDefault()
    if (!events.length) {
      setError('Pick at least one event.')
      return
    }
    if (!mappingValid(mapping)) {
      setError('Each response mapping needs a variable name and a JSON path like $.status.')
      return
    }
    setSubmitted(true)
    const checked = checkDelivery(delivery)
    if (!checked.ok) {
      setError(`Check “When the endpoint is slow or fails”: ${Object.values(checked.errors).join(' ')}`)
      return
    }
    try {
      await api('PATCH', `/webhooks/${webhook.id}`, {
        name,
        url,
        events,
        environment,
        response: Object.keys(mapping).length ? { set: mapping } : null,
        filter: parseFilter(filter),
        ordering,
        ...changedDelivery(checked.settings, webhook),
        // Sent only when changed: setting it, even to the same, starts a paused webhook's retries afresh.
        ...(JSON.stringify(autoResume) === JSON.stringify(webhook.autoResume) ? {} : { autoResume }),
      })
      onDone(true)
    } catch (caught) {
      setError(caught)
    }
  }
  const remove = async () => {
    if (!confirm(`Delete the webhook "${webhook.name}"? Its delivery log goes with it.`)) return
    try {
      await api('DELETE', `/webhooks/${webhook.id}`)
      location.hash = href('webhooks')
    } catch (caught) {
      setError(caught)
    }
  }

  return (
    <form
      class="card form"
      onSubmit={(event) => void save(event)}
      // Any edit answers the banner: it goes, and comes back on the next submit if still true.
      onInput={() => setError(undefined)}
      aria-labelledby="edit-title"
    >
      <div class="card-head">
        <h2 id="edit-title">Settings</h2>
      </div>
      <div class="grid-2">
        <div class="field">
          <label for="edit-name">Name</label>
          <input id="edit-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="edit-url">Endpoint URL</label>
          <input
            id="edit-url"
            type="url"
            required
            value={url}
            spellcheck={false}
            onInput={(e) => setUrl(e.currentTarget.value)}
          />
        </div>
      </div>
      <div class="grid-2">
        <EventsPicker known={known} selected={events} onChange={setEvents} />
        <EnvironmentPicker name="edit-environment" value={environment} onChange={setEnvironment} />
      </div>
      <FilterField id="edit-filter" text={filter} onChange={setFilter} />
      <AutoResumeField id="edit-auto-resume" value={autoResume} onChange={setAutoResume} />
      <OrderingField id="edit-ordering" value={ordering} onChange={setOrdering} />
      <DeliveryFields id="edit-delivery" text={delivery} onChange={setDelivery} submitted={submitted} />
      <div class="field">
        <span class="label">Map the response into variables</span>
        <MappingEditor mapping={mapping} onChange={setMapping} label="Response mapping" pathPlaceholder="$.status" />
      </div>
      {error !== undefined && <ErrorNotice error={error} />}
      <div class="form-actions spread">
        <button type="button" class="button quiet danger" onClick={() => void remove()}>
          Delete webhook
        </button>
        <span class="inline">
          <button type="button" class="button quiet" onClick={() => onDone(false)}>
            Cancel
          </button>
          <button type="submit" class="button primary">
            Save settings
          </button>
        </span>
      </div>
    </form>
  )
}

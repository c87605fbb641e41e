import type { Environment, ProjectConfig } from '@hookline/protocol'
import { useState } from 'preact/hooks'
import { api } from '../api.ts'
import { config } from '../demo-config.ts'
import { MappingEditor, mappingValid, type Mapping } from '../ui/mapping-editor.tsx'
import { ErrorNotice } from '../ui/error-notice.tsx'
import { useLoad } from '../ui/use-load.ts'
import { AutoResumeField } from './auto-resume-field.tsx'
import { DeliveryFields } from './delivery-fields.tsx'
import { changedDelivery, checkDelivery, DEFAULT_DELIVERY, deliveryText } from './delivery-settings.ts'
import { EnvironmentPicker } from './environment-picker.tsx'
import { EventsPicker } from './events-picker.tsx'
import { FilterField, parseFilter } from './filter-field.tsx'
import { OrderingField } from './ordering-field.tsx'
import { parseTemplate, TemplateEditor } from './template-editor.tsx'
import type { Webhook } from '@hookline/protocol'

interface Props {
  onCreated: (webhook: Webhook, secret: string) => void
  onCancel: () => void
}

/** Creating a webhook: where it goes, which events, which environment, and the body it sends. */
export function WebhookForm({ onCreated, onCancel }: Props) {
  const projectConfig = useLoad(
    () => api<{ config: ProjectConfig }>('GET', '/config').then((answer) => answer.config),
    [],
  )
  const [name, setName] = useState('')
  const [url, setUrl] = useState('')
  const [events, setEvents] = useState<string[]>(['checkout-completed'])
  const [environment, setEnvironment] = useState<Environment>('test')
  const [template, setTemplate] = useState('')
  const [filter, setFilter] = useState('')
  const [mapping, setMapping] = useState<Mapping>({})
  const [autoResume, setAutoResume] = useState<Webhook['autoResume']>(true)
  const [ordering, setOrdering] = useState<Webhook['ordering']>('none')
  const [delivery, setDelivery] = useState(() => deliveryText(DEFAULT_DELIVERY))
  const [submitted, setSubmitted] = useState(false)
  const [error, setError] = useState<unknown>()
  const [busy, setBusy] = useState(false)
  const known = projectConfig.data?.events.map((event) => event.name) ?? []

  const submit = async (event: Event) => {
    event.preventDefault()
    setError(undefined)
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
    let body: Record<string, unknown>
    try {
      body = { name: name.trim() || 'Untitled webhook', url: url.trim(), events, environment }
      const parsed = parseTemplate(template)
      if (parsed !== null) body.template = parsed
      const query = parseFilter(filter)
      if (query !== null) body.filter = query
      if (Object.keys(mapping).length) body.response = { set: mapping }
      if (autoResume !== true) body.autoResume = autoResume
      if (ordering !== 'none') body.ordering = ordering
      // Only what differs from the relay's defaults, so a new webhook follows them otherwise.
      Object.assign(body, changedDelivery(checked.settings, DEFAULT_DELIVERY))
    } catch (caught) {
      setError(caught)
      return
    }
    setBusy(true)
    try {
      const created = await api<{ webhook: Webhook; secret: string }>('POST', '/webhooks', body)
      onCreated(created.webhook, created.secret)
    } catch (caught) {
      setError(caught)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      class="card form"
      onSubmit={(event) => void submit(event)}
      // Any edit answers the banner: it goes, and comes back on the next submit if still true.
      onInput={() => setError(undefined)}
      aria-labelledby="new-webhook-title"
    >
      <div class="card-head">
        <h2 id="new-webhook-title">New webhook</h2>
      </div>
      <div class="grid-2">
        <div class="field">
          <label for="webhook-name">Name</label>
          <input
            id="webhook-name"
            value={name}
            placeholder="Order system"
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="webhook-url">Endpoint URL</label>
          <input
            id="webhook-url"
            type="url"
            required
            value={url}
            placeholder="https://example.com/hooks"
            spellcheck={false}
            onInput={(e) => setUrl(e.currentTarget.value)}
          />
          <span class="inline small">
            <button type="button" class="link-button" onClick={() => setUrl(config().mockUrl)}>
              Use the demo's mock fulfillment service
            </button>
            <span class="muted">or</span>
            <button type="button" class="link-button" onClick={() => setUrl(`${config().mockUrl}?fail=503`)}>
              a failing one (503)
            </button>
          </span>
        </div>
      </div>
      <div class="grid-2">
        <EventsPicker known={known} selected={events} onChange={setEvents} />
        <EnvironmentPicker name="environment" value={environment} onChange={setEnvironment} />
      </div>
      <FilterField id="webhook-filter" text={filter} onChange={setFilter} />
      <AutoResumeField id="webhook-auto-resume" value={autoResume} onChange={setAutoResume} />
      <OrderingField id="webhook-ordering" value={ordering} onChange={setOrdering} />
      <DeliveryFields id="webhook-delivery" text={delivery} onChange={setDelivery} submitted={submitted} />
      <TemplateEditor
        text={template}
        onChange={setTemplate}
        projectId={config().projectId}
        environment={environment}
        eventName={events[0] ?? 'checkout-completed'}
      />
      <div class="field">
        <span class="label">Map the response into variables (optional)</span>
        <p class="muted small">
          The endpoint answers with JSON; pick values from it to set in the prototype, like orderStatus ← $.status.
        </p>
        <MappingEditor mapping={mapping} onChange={setMapping} label="Response mapping" pathPlaceholder="$.status" />
      </div>
      {error !== undefined && <ErrorNotice error={error} />}
      <div class="form-actions">
        <button type="button" class="button quiet" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create webhook'}
        </button>
      </div>
    </form>
  )
}

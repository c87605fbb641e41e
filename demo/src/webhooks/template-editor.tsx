import {
  isReservedName,
  renderTemplate,
  templateContext,
  templatePlaceholders,
  toEnvelope,
  type Environment,
  type Json,
} from '@hookline/protocol'
import { useMemo } from 'preact/hooks'
import { JsonBlock } from '../ui/json-block.tsx'
import { sampleEvent } from './sample-event.ts'

interface Props {
  /** The template's text; empty means the default body. */
  text: string
  onChange: (text: string) => void
  projectId: string
  environment: Environment
  /** The first subscribed event name, for a realistic preview. */
  eventName: string
}

export const TEMPLATE_STARTER = JSON.stringify(
  {
    order: { total: '{{props.total}}', currency: '{{props.currency}}' },
    customer: '{{user.props.email}}',
    session: '{{session.id}}',
    event: '{{event.name}}',
  },
  null,
  2,
)

/** The payload editor: JSON with {{placeholders}} on the left, the body it sends on the right, live. */
export function TemplateEditor({ text, onChange, projectId, environment, eventName }: Props) {
  // A pattern of the prototype's events previews checkout-completed; one of the relay's, a notice.
  const event = useMemo(
    () => sampleEvent(eventName.includes('*') && !isReservedName(eventName) ? 'checkout-completed' : eventName),
    [eventName],
  )
  const preview = useMemo(
    () => renderPreview(text, event, projectId, environment),
    [text, event, projectId, environment],
  )
  return (
    <div class="template">
      <div class="template-pane">
        <div class="pane-head">
          <label for="template-text">Payload template</label>
          <span class="inline">
            {text ? (
              <button type="button" class="button small quiet" onClick={() => onChange('')}>
                Use the default body
              </button>
            ) : (
              <button type="button" class="button small" onClick={() => onChange(TEMPLATE_STARTER)}>
                Customise
              </button>
            )}
          </span>
        </div>
        <textarea
          id="template-text"
          class="code-input"
          rows={12}
          spellcheck={false}
          placeholder="Empty: the default body (on the right). Customise to shape it with {{props.total}}, {{vars.plan}}, {{session.id}}…"
          value={text}
          aria-invalid={preview.error !== undefined}
          aria-describedby="template-help"
          onInput={(e) => onChange(e.currentTarget.value)}
        />
        <p id="template-help" class={preview.error ? 'field-error' : 'muted small'}>
          {preview.error ??
            (preview.unknown.length
              ? `Leads nowhere in the sample: ${preview.unknown.join(', ')}`
              : 'Placeholders: event.name, event.id, session.id, props.*, vars.*, user.props.*, environment.')}
        </p>
      </div>
      <div class="template-pane">
        <div class="pane-head">
          <span class="label">Preview, from a sample {event.name}</span>
        </div>
        <JsonBlock value={preview.body} label="Preview of the body sent" />
      </div>
    </div>
  )
}

function renderPreview(
  text: string,
  event: ReturnType<typeof sampleEvent>,
  projectId: string,
  environment: Environment,
) {
  if (!text.trim())
    return { body: toEnvelope(event, projectId, environment) as unknown as Json, unknown: [] as string[] }
  let template: Json
  try {
    template = JSON.parse(text) as Json
  } catch (error) {
    return { body: undefined, error: `Not JSON yet: ${(error as Error).message}`, unknown: [] }
  }
  const context = templateContext(event, projectId, environment)
  const rendered = renderTemplate(template, context)
  const unknown = templatePlaceholders(template).filter((path) => renderTemplate(`{{${path}}}`, context) === null)
  return { body: rendered, unknown }
}

/** The template to save: null for the default body. Throws with a sentence when it is not JSON. */
export function parseTemplate(text: string): Json | null {
  if (!text.trim()) return null
  try {
    return JSON.parse(text) as Json
  } catch (error) {
    throw new Error(`The payload template is not JSON: ${(error as Error).message}`, { cause: error })
  }
}

import { WEBHOOK_RETRY, WEBHOOK_TIMEOUT_MS } from '@hookline/protocol'
import { checkDelivery, retryText, waitText, type DeliveryText } from './delivery-settings.ts'

const DEFAULT_WAITS = WEBHOOK_RETRY.defaultScheduleMs.map(waitText).join(', ')

/**
 * How long one attempt waits for the endpoint, how many tries in all, and the waits between them,
 * in words. A field's problem shows beside it once the form was sent, and goes as it is fixed; not
 * on leaving the field, since the message appearing then would move the button being clicked. The
 * sentence below says what the three add up to.
 */
export function DeliveryFields({
  id,
  text,
  onChange,
  submitted,
}: {
  id: string
  text: DeliveryText
  /** Takes an update of the latest text (a state setter does), so quick edits of two fields both land. */
  onChange: (update: (was: DeliveryText) => DeliveryText) => void
  /** True once the form was sent: from then on, problems show. */
  submitted: boolean
}) {
  const check = checkDelivery(text)
  const problem = (field: keyof DeliveryText) => (!check.ok && submitted ? check.errors[field] : undefined)

  const field = (
    name: keyof DeliveryText,
    label: string,
    help: string,
    props: Record<string, unknown>,
    unit?: string,
  ) => {
    const error = problem(name)
    const fieldId = `${id}-${name}`
    const input = (
      <input
        id={fieldId}
        value={text[name]}
        spellcheck={false}
        autocomplete="off"
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={`${fieldId}-help${error ? ` ${fieldId}-error` : ''}`}
        onInput={(e) => {
          const typed = e.currentTarget.value
          onChange((was) => ({ ...was, [name]: typed }))
        }}
        {...props}
      />
    )
    return (
      <div class={`field delivery-${name}`}>
        <label for={fieldId}>{label}</label>
        {unit ? (
          <span class="with-unit">
            {input}
            <span aria-hidden="true">{unit}</span>
          </span>
        ) : (
          input
        )}
        <span class="muted small" id={`${fieldId}-help`}>
          {help}
        </span>
        {error && (
          <p class="field-error" id={`${fieldId}-error`}>
            {error}
          </p>
        )}
      </div>
    )
  }

  return (
    <fieldset class="delivery-fields" aria-describedby={`${id}-sum`}>
      <legend>When the endpoint is slow or fails</legend>
      <div class="delivery-grid">
        {field(
          'timeout',
          'Wait for an answer',
          `${WEBHOOK_TIMEOUT_MS.min / 1000} to ${WEBHOOK_TIMEOUT_MS.max / 1000} seconds; ${WEBHOOK_TIMEOUT_MS.default / 1000} unless you change it. No answer in time counts as a failure.`,
          { inputMode: 'decimal', class: 'narrow-input' },
          'seconds',
        )}
        {field(
          'attempts',
          'Tries in all',
          `The first try and its retries: ${WEBHOOK_RETRY.maxAttempts.min} to ${WEBHOOK_RETRY.maxAttempts.max} (1 means no retries); ${WEBHOOK_RETRY.maxAttempts.default} unless you change it.`,
          { inputMode: 'numeric', class: 'narrow-input' },
        )}
        {field(
          'waits',
          'Wait before each new try',
          `Like 30 s, 5 min or 2 h, separated by commas (${DEFAULT_WAITS} unless you change it). The last wait repeats when there are more tries.`,
          { placeholder: DEFAULT_WAITS },
        )}
      </div>
      <p class="muted small delivery-sum" id={`${id}-sum`}>
        {check.ok
          ? `${retryText(check.settings)}, then the delivery is marked failed. Each wait varies by up to a fifth. Only no answer, a timeout, 408, 425, 429 or a 5xx is tried again; any other 4xx fails at once.`
          : 'Fix the settings above to see what happens when a delivery fails.'}
      </p>
    </fieldset>
  )
}

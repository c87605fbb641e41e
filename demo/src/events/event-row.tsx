import { EVENT_NAME, type EventDefinition } from '@hookline/protocol'
import { buildTrigger, TRIGGER_KINDS, triggerKindInfo, triggerParts, type TriggerKind } from './trigger.ts'

interface Props {
  event: EventDefinition
  index: number
  onChange: (next: EventDefinition) => void
  onRemove: () => void
}

/** One named event and its trigger, edited in place. */
export function EventRow({ event, index, onChange, onRemove }: Props) {
  const parts = triggerParts(event.trigger)
  const kindInfo = triggerKindInfo(parts.kind)
  const nameValid = EVENT_NAME.test(event.name)
  const id = `event-${index}`
  const setTrigger = (kind: TriggerKind, value: string, to: string) => {
    const trigger = buildTrigger(kind, value, to)
    const { trigger: _old, ...rest } = event
    // Keep an empty "tap" row editable: remember the kind even before a selector is typed.
    onChange(trigger ? { ...rest, trigger } : kind === 'none' ? rest : { ...rest, trigger: pendingTrigger(kind) })
  }
  return (
    <li class="event-row">
      <div class="field">
        <label class="visually-hidden" for={`${id}-name`}>
          Event name
        </label>
        <input
          id={`${id}-name`}
          value={event.name}
          placeholder="checkout-completed"
          spellcheck={false}
          aria-invalid={!nameValid}
          aria-describedby={nameValid ? undefined : `${id}-name-error`}
          onInput={(e) => onChange({ ...event, name: e.currentTarget.value })}
        />
        {!nameValid && (
          <span class="field-error" id={`${id}-name-error`}>
            Lowercase letters, digits and . _ : -
          </span>
        )}
      </div>
      <div class="field">
        <label class="visually-hidden" for={`${id}-kind`}>
          Trigger of {event.name || 'the event'}
        </label>
        <select
          id={`${id}-kind`}
          value={parts.kind}
          onChange={(e) => setTrigger(e.currentTarget.value as TriggerKind, parts.value, parts.to)}
        >
          {TRIGGER_KINDS.map((item) => (
            <option key={item.kind} value={item.kind}>
              {item.label}
            </option>
          ))}
        </select>
      </div>
      <div class="field grow">
        {parts.kind === 'none' ? (
          <p class="muted small trigger-help">{kindInfo.help}</p>
        ) : (
          <>
            <div class="inline">
              <input
                id={`${id}-value`}
                aria-label={kindInfo.help}
                aria-describedby={`${id}-help`}
                value={parts.value}
                placeholder={kindInfo.placeholder}
                spellcheck={false}
                onInput={(e) => setTrigger(parts.kind, e.currentTarget.value, parts.to)}
              />
              {parts.kind === 'change' && (
                <input
                  aria-label="Only when it changes to (optional)"
                  value={parts.to}
                  placeholder="to (any value)"
                  spellcheck={false}
                  onInput={(e) => setTrigger(parts.kind, parts.value, e.currentTarget.value)}
                />
              )}
            </div>
            <p class="muted small" id={`${id}-help`}>
              {kindInfo.help}
            </p>
          </>
        )}
        {event.optimistic && (
          <p class="muted small">
            Sets at once:{' '}
            {Object.entries(event.optimistic)
              .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
              .join(', ')}
          </p>
        )}
      </div>
      <button
        type="button"
        class="button small quiet remove"
        aria-label={`Remove event ${event.name || 'without a name'}`}
        onClick={onRemove}
      >
        Remove
      </button>
    </li>
  )
}

function pendingTrigger(kind: Exclude<TriggerKind, 'none'>) {
  return kind === 'tap' ? { tap: '' } : kind === 'screen' ? { screen: '' } : { change: '' }
}

import { EVENT_NAME, type EventDefinition } from '@hookline/protocol'
import { useEffect, useRef, useState } from 'preact/hooks'
import { cancelPick, ensurePrototype, pickInPrototype } from '../prototype-window.ts'
import { describeMatches, validSelector } from './selector-check.ts'
import { buildTrigger, TRIGGER_KINDS, triggerKindInfo, triggerParts, type TriggerKind } from './trigger.ts'

interface Props {
  event: EventDefinition
  index: number
  /** A row just added: focus its name and bring it into view. */
  focusOnMount?: boolean
  /** How many elements a tap selector matched in the open prototype, when it was last checked. */
  matches?: number | undefined
  onChange: (next: EventDefinition) => void
  onRemove: () => void
}

/** One named event and its trigger, edited in place. */
export function EventRow({ event, index, focusOnMount = false, matches, onChange, onRemove }: Props) {
  const nameInput = useRef<HTMLInputElement>(null)
  const [picking, setPicking] = useState(false)
  const [pickNote, setPickNote] = useState<string>()
  useEffect(() => {
    if (!focusOnMount) return
    nameInput.current?.focus({ preventScroll: true })
    nameInput.current?.scrollIntoView({ block: 'center', behavior: 'smooth' })
  }, [focusOnMount])
  const parts = triggerParts(event.trigger)
  const kindInfo = triggerKindInfo(parts.kind)
  const nameValid = EVENT_NAME.test(event.name)
  const id = `event-${index}`
  const selectorValid = parts.kind !== 'tap' || !parts.value.trim() || validSelector(parts.value)
  const setTrigger = (kind: TriggerKind, value: string, to: string) => {
    const trigger = buildTrigger(kind, value, to)
    const { trigger: _old, ...rest } = event
    // Keep an empty "tap" row editable: remember the kind even before a selector is typed.
    onChange(trigger ? { ...rest, trigger } : kind === 'none' ? rest : { ...rest, trigger: pendingTrigger(kind) })
  }
  const pick = async () => {
    if (picking) {
      cancelPick()
      setPicking(false)
      return
    }
    setPicking(true)
    setPickNote('Point at an element in the prototype tab and click it. Escape there cancels.')
    try {
      if (!(await ensurePrototype())) {
        setPickNote('The prototype did not open. Open it with "Open the prototype", then pick again.')
        return
      }
      const picked = await pickInPrototype()
      if (!picked) {
        setPickNote(undefined)
        return
      }
      setTrigger('tap', picked.selector, '')
      setPickNote(`Picked: ${describeMatches(picked.matches)}.`)
    } finally {
      setPicking(false)
    }
  }
  return (
    <li class="event-row">
      <div class="field">
        <label class="visually-hidden" for={`${id}-name`}>
          Event name
        </label>
        <input
          ref={nameInput}
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
                aria-invalid={!selectorValid}
                value={parts.value}
                placeholder={kindInfo.placeholder}
                spellcheck={false}
                onInput={(e) => setTrigger(parts.kind, e.currentTarget.value, parts.to)}
              />
              {parts.kind === 'tap' && (
                <button
                  type="button"
                  class="button small"
                  aria-pressed={picking}
                  aria-label={`Pick in prototype, for ${event.name || 'this event'}`}
                  onClick={() => void pick()}
                >
                  {picking ? 'Picking… (cancel)' : 'Pick in prototype'}
                </button>
              )}
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
            {!selectorValid && (
              <p class="field-error" role="alert">
                Not a valid CSS selector: check brackets and quotes.
              </p>
            )}
            {selectorValid && pickNote && (
              <p class="muted small" role="status">
                {pickNote}
              </p>
            )}
            {selectorValid && !pickNote && matches !== undefined && (
              <p class={matches === 0 ? 'field-error' : 'muted small'} role="status">
                {matches === 0
                  ? `${describeMatches(0)}: it fires only once such an element exists.`
                  : describeMatches(matches)}
              </p>
            )}
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

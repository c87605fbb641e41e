import { RELAY_NOTICES } from './events-text.ts'

interface Props {
  /** The project's named events. */
  known: readonly string[]
  selected: readonly string[]
  onChange: (next: string[]) => void
}

/**
 * Which events a webhook receives: any of the project's named events, or all of them ("*"); and,
 * apart, the relay's own notices about webhooks (`hookline.*`), which "*" does not include.
 */
export function EventsPicker({ known, selected, onChange }: Props) {
  const all = selected.includes('*')
  const notices = selected.includes(RELAY_NOTICES)
  const names = [...new Set([...known, ...selected.filter((name) => name !== '*' && name !== RELAY_NOTICES)])]
  const toggle = (name: string, on: boolean) =>
    onChange(on ? [...selected.filter((n) => n !== '*'), name] : selected.filter((n) => n !== name))
  const setAll = (on: boolean) => onChange([...(on ? ['*'] : []), ...(notices ? [RELAY_NOTICES] : [])])
  const setNotices = (on: boolean) =>
    onChange(on ? [...selected, RELAY_NOTICES] : selected.filter((n) => n !== RELAY_NOTICES))
  return (
    <fieldset class="checks">
      <legend>Events</legend>
      <label class="check">
        <input type="checkbox" checked={all} onChange={(e) => setAll(e.currentTarget.checked)} />
        All the prototype's events
      </label>
      {names.map((name) => (
        <label class="check" key={name}>
          <input
            type="checkbox"
            disabled={all}
            checked={all || selected.includes(name)}
            onChange={(e) => toggle(name, e.currentTarget.checked)}
          />
          <span class="mono">{name}</span>
        </label>
      ))}
      <label class="check long">
        <input type="checkbox" checked={notices} onChange={(e) => setNotices(e.currentTarget.checked)} />
        <span>
          Relay notices <span class="muted small">— a webhook paused, turned off or resumed, a delivery given up</span>
        </span>
      </label>
    </fieldset>
  )
}

interface Props {
  /** The project's named events. */
  known: readonly string[]
  selected: readonly string[]
  onChange: (next: string[]) => void
}

/** Which events a webhook receives: any of the project's named events, or all of them ("*"). */
export function EventsPicker({ known, selected, onChange }: Props) {
  const all = selected.includes('*')
  const names = [...new Set([...known, ...selected.filter((name) => name !== '*')])]
  const toggle = (name: string, on: boolean) =>
    onChange(on ? [...selected.filter((n) => n !== '*'), name] : selected.filter((n) => n !== name))
  return (
    <fieldset class="checks">
      <legend>Events</legend>
      <label class="check">
        <input type="checkbox" checked={all} onChange={(e) => onChange(e.currentTarget.checked ? ['*'] : [])} />
        All events
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
    </fieldset>
  )
}

import type { Environment } from '@hookline/protocol'

const CHOICES: Array<{ value: Environment; label: string; hint: string }> = [
  { value: 'test', label: 'Test', hint: 'events from prototypes under test (pk_test keys)' },
  { value: 'live', label: 'Live', hint: 'production only (pk_live keys)' },
]

/** Which key's events reach a webhook: saying so keeps a prototype from writing into a production CRM. */
export function EnvironmentPicker(props: { name: string; value: Environment; onChange: (value: Environment) => void }) {
  return (
    <fieldset class="checks">
      <legend>Environment</legend>
      {CHOICES.map(({ value, label, hint }) => (
        <label class="check long" key={value}>
          <input
            type="radio"
            name={props.name}
            value={value}
            checked={props.value === value}
            onChange={() => props.onChange(value)}
          />
          <span>
            {label} <span class="muted small">— {hint}</span>
          </span>
        </label>
      ))}
    </fieldset>
  )
}

import { VARIABLE_NAME, type Json } from '@hookline/protocol'
import { useState } from 'preact/hooks'
import { parseValue } from './parse-value.ts'
import { VariableRow } from './variable-row.tsx'

interface Props {
  vars: Readonly<Record<string, Json>>
  onSet: (name: string, value: Json) => void
}

/** The prototype's variables, each editable in place, and a form to add one. */
export function Variables({ vars, onSet }: Props) {
  const names = Object.keys(vars).sort()
  return (
    <div class="vars">
      {names.length === 0 ? (
        <p class="empty">No variables yet.</p>
      ) : (
        <table>
          <caption class="visually-hidden">Variables: edit a value and press Enter</caption>
          <tbody>
            {names.map((name) => (
              <VariableRow key={name} name={name} value={vars[name]} onCommit={onSet} />
            ))}
          </tbody>
        </table>
      )}
      <AddVariable onAdd={onSet} />
      <p class="hint">Values are JSON when they parse (3, true, {'{"a":1}'}), text otherwise.</p>
    </div>
  )
}

function AddVariable({ onAdd }: { onAdd: (name: string, value: Json) => void }) {
  const [name, setName] = useState('')
  const [value, setValue] = useState('')
  const valid = VARIABLE_NAME.test(name)
  return (
    <form
      class="add"
      onSubmit={(event) => {
        event.preventDefault()
        if (!valid) return
        onAdd(name, parseValue(value))
        setName('')
        setValue('')
      }}
    >
      <label>
        <span class="visually-hidden">New variable name</span>
        <input
          placeholder="name"
          value={name}
          spellcheck={false}
          aria-invalid={name !== '' && !valid}
          onInput={(event) => setName(event.currentTarget.value)}
        />
      </label>
      <label>
        <span class="visually-hidden">Value</span>
        <input
          placeholder="value"
          value={value}
          spellcheck={false}
          onInput={(event) => setValue(event.currentTarget.value)}
        />
      </label>
      <button type="submit" disabled={!valid}>
        Set
      </button>
    </form>
  )
}

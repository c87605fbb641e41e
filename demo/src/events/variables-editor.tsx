import { VARIABLE_NAME, type Json, type JsonObject } from '@hookline/protocol'
import { useState } from 'preact/hooks'

interface Props {
  variables: JsonObject
  onChange: (next: JsonObject) => void
}

/** The prototype's variables and their starting values (JSON when it parses, text otherwise). */
export function VariablesEditor({ variables, onChange }: Props) {
  const [name, setName] = useState('')
  const valid = VARIABLE_NAME.test(name) && !(name in variables)
  const entries = Object.entries(variables)
  return (
    <div class="variables">
      {entries.length > 0 && (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Variable</th>
              <th scope="col">Starts as</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map(([key, value]) => (
              <tr key={key}>
                <th scope="row" class="mono">
                  <label for={`var-${key}`}>{key}</label>
                </th>
                <td>
                  <input
                    id={`var-${key}`}
                    class="mono"
                    value={typeof value === 'string' ? value : JSON.stringify(value)}
                    onInput={(e) => onChange({ ...variables, [key]: parse(e.currentTarget.value) })}
                  />
                </td>
                <td class="right">
                  <button
                    type="button"
                    class="button small quiet"
                    aria-label={`Remove variable ${key}`}
                    onClick={() => {
                      const { [key]: _removed, ...rest } = variables
                      onChange(rest)
                    }}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        class="inline add-variable"
        onSubmit={(e) => {
          e.preventDefault()
          if (!valid) return
          onChange({ ...variables, [name]: '' })
          setName('')
        }}
      >
        <label class="visually-hidden" for="new-variable">
          New variable name
        </label>
        <input
          id="new-variable"
          class="mono"
          placeholder="newVariable"
          value={name}
          spellcheck={false}
          onInput={(e) => setName(e.currentTarget.value)}
        />
        <button type="submit" class="button small" disabled={!valid}>
          Add variable
        </button>
      </form>
    </div>
  )
}

function parse(text: string): Json {
  try {
    return JSON.parse(text) as Json
  } catch {
    return text
  }
}

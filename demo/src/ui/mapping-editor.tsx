import { parseJsonPath, VARIABLE_NAME } from '@hookline/protocol'

export type Mapping = Record<string, string>

interface Props {
  mapping: Mapping
  onChange: (next: Mapping) => void
  /** Names the rows for screen readers: "Response mapping", "Listener mapping". */
  label: string
  pathPlaceholder?: string
}

/** Rows of "variable ← $.json.path". Invalid names and paths are marked as they are typed. */
export function MappingEditor({ mapping, onChange, label, pathPlaceholder = '$.order.status' }: Props) {
  const rows = Object.entries(mapping)
  const rename = (from: string, to: string) =>
    onChange(Object.fromEntries(rows.map(([name, path]) => (name === from ? [to, path] : [name, path]))))
  return (
    <fieldset class="mapping">
      <legend class="visually-hidden">{label}</legend>
      {rows.map(([name, path], index) => (
        <div class="mapping-row" key={index}>
          <input
            aria-label={`${label}: variable ${index + 1}`}
            class="mono"
            value={name}
            placeholder="orderStatus"
            spellcheck={false}
            aria-invalid={!VARIABLE_NAME.test(name)}
            onInput={(e) => rename(name, e.currentTarget.value)}
          />
          <span class="arrow" aria-hidden="true">
            ←
          </span>
          <input
            aria-label={`${label}: JSON path for ${name || 'the variable'}`}
            class="mono"
            value={path}
            placeholder={pathPlaceholder}
            spellcheck={false}
            aria-invalid={parseJsonPath(path) === null}
            onInput={(e) => onChange({ ...mapping, [name]: e.currentTarget.value })}
          />
          <button
            type="button"
            class="button small quiet"
            aria-label={`Remove the mapping of ${name || 'this variable'}`}
            onClick={() => onChange(Object.fromEntries(rows.filter(([other]) => other !== name)))}
          >
            Remove
          </button>
        </div>
      ))}
      <button
        type="button"
        class="button small"
        disabled={'' in mapping}
        onClick={() => onChange({ ...mapping, '': '$.' })}
      >
        Add a variable
      </button>
    </fieldset>
  )
}

/** True when every row has a valid variable name and JSON path. */
export function mappingValid(mapping: Mapping): boolean {
  return Object.entries(mapping).every(([name, path]) => VARIABLE_NAME.test(name) && parseJsonPath(path) !== null)
}

import type { Json } from '@hookline/protocol'
import { useEffect, useState } from 'preact/hooks'
import { formatValue, parseValue } from './parse-value.ts'

interface Props {
  name: string
  value: Json | undefined
  onCommit: (name: string, value: Json) => void
}

/**
 * One variable with its value in an editable field. The edit is committed on Enter or when the
 * field loses focus, and Escape restores the live value, so typing never fights incoming updates.
 */
export function VariableRow({ name, value, onCommit }: Props) {
  const live = formatValue(value)
  const [draft, setDraft] = useState<string | null>(null)
  useEffect(() => setDraft(null), [live])
  // Reads the field itself: a keystroke's state update may not have rendered yet. The typed text
  // stays shown until the store's new value renders (the effect above), so it never flickers back.
  const commit = (text: string) => {
    if (text === live) {
      setDraft(null)
      return
    }
    setDraft(text)
    onCommit(name, parseValue(text))
  }
  const id = `var-${name}`
  return (
    <tr>
      <th scope="row">
        <label for={id}>{name}</label>
      </th>
      <td>
        <input
          id={id}
          class="value"
          value={draft ?? live}
          spellcheck={false}
          autocomplete="off"
          onInput={(event) => setDraft(event.currentTarget.value)}
          onBlur={(event) => commit(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') commit(event.currentTarget.value)
            if (event.key === 'Escape' && event.currentTarget.value !== live) {
              // Undo the edit, and keep this Escape from closing the panel.
              event.preventDefault()
              event.currentTarget.value = live
              setDraft(null)
            }
          }}
        />
      </td>
    </tr>
  )
}

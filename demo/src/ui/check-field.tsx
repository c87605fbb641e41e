import type { ComponentChildren } from 'preact'

/**
 * A long-labelled checkbox, with an optional help line the box is described by (so a screen reader
 * reads the consequence along with the choice).
 */
export function CheckField({
  id,
  checked,
  onChange,
  label,
  help,
}: {
  id: string
  checked: boolean
  onChange: (checked: boolean) => void
  label: ComponentChildren
  help?: ComponentChildren
}) {
  const box = (
    <label class="check long" for={id}>
      <input
        id={id}
        type="checkbox"
        checked={checked}
        aria-describedby={help === undefined ? undefined : `${id}-help`}
        onChange={(e) => onChange(e.currentTarget.checked)}
      />
      {label}
    </label>
  )
  if (help === undefined) return box
  return (
    <div class="field">
      {box}
      <span class="muted small" id={`${id}-help`}>
        {help}
      </span>
    </div>
  )
}

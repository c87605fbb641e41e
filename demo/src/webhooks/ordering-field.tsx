import type { Webhook } from '@hookline/protocol'
import { CheckField } from '../ui/check-field.tsx'

type Ordering = Webhook['ordering']

/** The setting in words, as the settings card reads it. */
export function orderingText(ordering: Ordering): string {
  return ordering === 'session'
    ? "Each visitor's events arrive in the order they happened"
    : 'Events go out as soon as they can, in any order'
}

/**
 * `ordering: "session"` as a checkbox: one visitor's events are sent one at a time, oldest first.
 * The help says the cost in words, since a failing event then holds back that visitor's later ones.
 */
export function OrderingField({
  id,
  value,
  onChange,
}: {
  id: string
  value: Ordering
  onChange: (next: Ordering) => void
}) {
  return (
    <CheckField
      id={id}
      checked={value === 'session'}
      onChange={(checked) => onChange(checked ? 'session' : 'none')}
      label="Keep each visitor's events in order"
      help="One visitor's events are sent one at a time, oldest first. If one keeps failing, that visitor's later events wait until its retries run out, then go ahead of it; other visitors are not held up."
    />
  )
}

import type { Json } from '@hookline/protocol'

/** Pretty JSON; text that is not JSON is shown as it is. */
export function JsonBlock({ value, label }: { value: Json | string | undefined | null; label?: string }) {
  return (
    <pre class="code" aria-label={label} tabIndex={0}>
      {pretty(value)}
    </pre>
  )
}

export function pretty(value: Json | string | undefined | null): string {
  if (value === undefined || value === null || value === '') return '—'
  if (typeof value !== 'string') return JSON.stringify(value, null, 2)
  try {
    return JSON.stringify(JSON.parse(value), null, 2)
  } catch {
    return value
  }
}

import type { ComponentChildren } from 'preact'

/** A message in the flow of the page: an error to act on, or a calm note. */
export function Notice({
  tone = 'bad',
  children,
}: {
  tone?: 'bad' | 'info' | 'good' | 'warn'
  children: ComponentChildren
}) {
  return (
    <p class={`notice ${tone}`} role={tone === 'bad' ? 'alert' : 'status'}>
      {children}
    </p>
  )
}

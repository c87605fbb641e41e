import type { ComponentChildren } from 'preact'

/** One monitoring figure: its name, its value now, what it means, and a chart. */
export function FigureCard({
  title,
  value,
  note,
  wide = false,
  children,
}: {
  title: string
  value: string
  note: string
  /** Spans the whole row. */
  wide?: boolean
  children: ComponentChildren
}) {
  return (
    <section class={`card figure${wide ? ' wide' : ''}`} aria-label={title}>
      <h2>{title}</h2>
      <p class="figure-value">{value}</p>
      {children}
      <p class="muted small">{note}</p>
    </section>
  )
}

import type { ComponentChildren } from 'preact'

/** One monitoring figure: its name, its value now, what it means, and a chart. */
export function FigureCard({
  title,
  value,
  note,
  children,
}: {
  title: string
  value: string
  note: string
  children: ComponentChildren
}) {
  return (
    <section class="card figure" aria-label={title}>
      <h2>{title}</h2>
      <p class="figure-value">{value}</p>
      {children}
      <p class="muted small">{note}</p>
    </section>
  )
}

import type { ComponentChildren } from 'preact'

export function PageHeader({
  title,
  intro,
  actions,
}: {
  title: string
  intro?: ComponentChildren
  actions?: ComponentChildren
}) {
  return (
    <header class="page-header">
      <div>
        <h1>{title}</h1>
        {intro && <p class="intro">{intro}</p>}
      </div>
      {actions && <div class="actions">{actions}</div>}
    </header>
  )
}

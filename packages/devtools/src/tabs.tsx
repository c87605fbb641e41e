import type { ComponentChildren } from 'preact'

export interface Tab {
  id: string
  label: ComponentChildren
}

interface Props {
  tabs: readonly Tab[]
  selected: string
  onSelect: (id: string) => void
  /** Prefix for element ids, so the tab and its panel can name each other. */
  idPrefix: string
}

/** A WAI-ARIA tab list: arrow keys, Home and End move between tabs; only the selected one is in the tab order. */
export function Tabs({ tabs, selected, onSelect, idPrefix }: Props) {
  const move = (event: KeyboardEvent, index: number) => {
    const last = tabs.length - 1
    const next =
      event.key === 'ArrowRight'
        ? index === last
          ? 0
          : index + 1
        : event.key === 'ArrowLeft'
          ? index === 0
            ? last
            : index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null
    if (next === null) return
    const tab = tabs[next]
    if (!tab) return
    event.preventDefault()
    onSelect(tab.id)
    const list = (event.currentTarget as HTMLElement).parentElement
    ;(list?.children[next] as HTMLElement | undefined)?.focus()
  }
  return (
    <div class="tabs" role="tablist">
      {tabs.map((tab, index) => (
        <button
          type="button"
          role="tab"
          key={tab.id}
          id={`${idPrefix}-tab-${tab.id}`}
          aria-controls={`${idPrefix}-panel-${tab.id}`}
          aria-selected={tab.id === selected}
          tabIndex={tab.id === selected ? 0 : -1}
          onClick={() => onSelect(tab.id)}
          onKeyDown={(event) => move(event, index)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  )
}

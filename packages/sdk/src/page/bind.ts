import type { Json } from '@hookline/protocol'
import type { MapStore } from 'nanostores'
import { formatValue } from './attribute-values.ts'
import type { Dom } from './dom.ts'

/**
 * `data-hl-bind="name"`: the element shows variable `name` as text (the `value` of form fields),
 * live, in elements added later too. The page's own text stays until the variable has a value.
 */
export function bindVariables(dom: Dom, vars: MapStore<Record<string, Json>>): () => void {
  const render = (): void => {
    const values = vars.get()
    for (const element of dom.document.querySelectorAll('[data-hl-bind]')) {
      const value = values[element.getAttribute('data-hl-bind') ?? '']
      if (value === undefined) continue
      const text = formatValue(value)
      if (/^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName)) {
        if ((element as HTMLInputElement).value !== text) (element as HTMLInputElement).value = text
      } else if (element.textContent !== text) element.textContent = text
    }
  }
  const offVars = vars.subscribe(render)
  const offMutate = dom.onMutate(render)
  return () => {
    offVars()
    offMutate()
  }
}

import type { Json, JsonObject } from '@hookline/protocol'
import type { MapStore } from 'nanostores'
import type { Dom } from './dom.ts'
import type { Log } from './log.ts'
import type { Triggers } from './triggers.ts'

export interface AttributesOptions {
  dom: Dom
  triggers: Triggers
  vars: MapStore<Record<string, Json>>
  log: Log
  track(name: string, props?: JsonObject): void
}

/** `data-hl-props` of an element as an object; a warning (once) and no props when it is not JSON. */
export function elementProps(element: Element, warn: (message: string) => void): JsonObject | undefined {
  const raw = element.getAttribute('data-hl-props')
  if (!raw) return undefined
  try {
    const props = JSON.parse(raw) as unknown
    if (props && typeof props === 'object' && !Array.isArray(props)) return props as JsonObject
  } catch {
    /* below */
  }
  warn(`data-hl-props is not a JSON object: ${raw.slice(0, 60)}`)
  return undefined
}

/** `data-hl-set="plan=pro; count=2"` → `{ plan: "pro", count: 2 }` (values are JSON when they parse, else text). */
export function parseSet(raw: string): JsonObject {
  const out: JsonObject = {}
  for (const part of raw.split(';')) {
    const at = part.indexOf('=')
    if (at < 1) continue
    const name = part.slice(0, at).trim()
    const text = part.slice(at + 1).trim()
    let value: Json = text
    try {
      value = JSON.parse(text) as Json
    } catch {
      /* text */
    }
    out[name] = value
  }
  return out
}

/** How a bound variable is shown: text as is, nothing for null/undefined, JSON for objects. */
export function formatValue(value: Json | undefined): string {
  if (value === undefined || value === null) return ''
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

/**
 * The HTML attributes of DESIGN.md: `data-hl-event` (+ `data-hl-props`) tracks on tap, or when the
 * element appears if it also has `data-hl-screen`; `data-hl-set` sets variables on tap;
 * `data-hl-bind` shows a variable, live.
 */
export function wireAttributes(options: AttributesOptions): () => void {
  const { dom, vars, log } = options
  const warn = (message: string): void => log.warn(message)

  const offTap = dom.onTap((target) => {
    const setter = target.closest('[data-hl-set]')
    if (setter) {
      const set = parseSet(setter.getAttribute('data-hl-set') ?? '')
      for (const name in set) vars.setKey(name, set[name]!)
      if (Object.keys(set).length) log.add({ kind: 'vars', set, source: 'local' })
    }
    const element = target.closest('[data-hl-event]')
    if (element && !element.hasAttribute('data-hl-screen')) {
      options.track(element.getAttribute('data-hl-event') ?? '', elementProps(element, warn))
    }
  })

  const offScreen = options.triggers.onScreen((_, element) => {
    const name = element.getAttribute('data-hl-event')
    if (name) options.track(name, elementProps(element, warn))
  })

  const render = (): void => {
    const values = vars.get()
    for (const element of dom.document.querySelectorAll('[data-hl-bind]')) {
      const value = values[element.getAttribute('data-hl-bind') ?? '']
      if (value === undefined) continue // the page's own text stays until the variable has a value
      const text = formatValue(value)
      if ('value' in element && /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName)) {
        if ((element as HTMLInputElement).value !== text) (element as HTMLInputElement).value = text
      } else if (element.textContent !== text) element.textContent = text
    }
  }
  const offVars = vars.subscribe(render)
  const offMutate = dom.onMutate(render)

  return () => {
    offTap()
    offScreen()
    offVars()
    offMutate()
  }
}

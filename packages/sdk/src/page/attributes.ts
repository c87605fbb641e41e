import type { Json, JsonObject } from '@hookline/protocol'
import type { MapStore } from 'nanostores'
import type { Log } from '../log.ts'
import { elementProps, parseSet } from './attribute-values.ts'
import type { Dom } from './dom.ts'
import type { Screens } from './screens.ts'

/**
 * The event attributes (docs/sdk.md, packages/sdk/README.md "HTML attributes"): `data-hl-event` (+ `data-hl-props`) tracks on tap, or when
 * the element appears if it also has `data-hl-screen`; `data-hl-set` sets variables on tap, before
 * the tap's event is tracked. Starts the screen watch, so screens showing at load are tracked at
 * once: `track` must be ready before this is called.
 */
export function wireAttributes(
  dom: Dom,
  screens: Screens,
  vars: MapStore<Record<string, Json>>,
  log: Log,
  track: (name: string, props?: JsonObject) => void,
): () => void {
  const offTap = dom.onTap((target) => {
    const setter = target.closest('[data-hl-set]')
    if (setter) {
      const set = parseSet(setter.getAttribute('data-hl-set') ?? '')
      const entries = Object.entries(set)
      for (const [name, value] of entries) vars.setKey(name, value)
      if (entries.length) log.add({ kind: 'vars', set, source: 'local' })
    }
    const element = target.closest('[data-hl-event]')
    if (element && !element.hasAttribute('data-hl-screen'))
      track(element.getAttribute('data-hl-event') ?? '', elementProps(element, log.warn))
  })
  const offScreen = screens.onShow((_, element) => {
    const name = element?.getAttribute('data-hl-event')
    if (element && name) track(name, elementProps(element, log.warn))
  })
  screens.start()
  return () => {
    offTap()
    offScreen()
  }
}

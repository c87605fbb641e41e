import type { Json, JsonObject } from '@hookline/protocol'
import type { MapStore } from 'nanostores'
import type { Cleanups } from '../cleanups.ts'
import type { Log } from '../log.ts'
import type { Hookline } from '../types.ts'
import { elementProps } from './attribute-values.ts'
import { wireAttributes } from './attributes.ts'
import { bindVariables } from './bind.ts'
import type { Dom } from './dom.ts'
import type { Screens } from './screens.ts'
import { createTriggers, type Triggers } from './triggers.ts'

/**
 * Starts what fires events in the page: the triggers (`hl.on()`), and with `attributes` the HTML
 * attributes. Screens showing now fire at once, so `track` must be ready. What it starts is undone
 * by the functions it adds to `cleanups`.
 */
export function wirePage(
  dom: Dom,
  screens: Screens,
  vars: MapStore<Record<string, Json>>,
  log: Log,
  track: Hookline['track'],
  attributes: boolean,
  cleanups: Cleanups,
): Triggers {
  // Attributes first: where an element and a trigger both track a screen, the element's event comes first.
  if (attributes) cleanups.push(wireAttributes(dom, screens, vars, log, track), bindVariables(dom, vars))
  const triggers = createTriggers(dom, screens, vars, log.warn, (name, spec, element) => {
    const fromElement = element ? elementProps(element, log.warn) : undefined
    const props: JsonObject | undefined = spec.props || fromElement ? { ...spec.props, ...fromElement } : undefined
    track(name, props, spec.optimistic ? { optimistic: spec.optimistic } : undefined)
  })
  cleanups.push(() => triggers.destroy())
  return triggers
}

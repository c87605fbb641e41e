import type { Json, JsonObject } from '@hookline/protocol'
import type { MapStore } from 'nanostores'
import type { Log } from '../log.ts'
import type { Hookline } from '../types.ts'
import { elementProps } from './attribute-values.ts'
import { wireAttributes } from './attributes.ts'
import { bindVariables } from './bind.ts'
import { createDom } from './dom.ts'
import { createScreens } from './screens.ts'
import { createTriggers, type Triggers } from './triggers.ts'

export interface Page {
  /** The current screen, for the events `track` builds. */
  screen(): string | undefined
  /**
   * Starts what fires events: triggers, and with `attributes` the HTML attributes. Screens showing
   * now fire at once, so `track` must be ready: the page is made before it, and started after.
   */
  start(track: Hookline['track'], attributes: boolean): Triggers
  destroy(): void
}

/** The document the SDK listens in: its screens, triggers and `data-hl-*` attributes. */
export function createPage(root: Document, vars: MapStore<Record<string, Json>>, log: Log): Page {
  const dom = createDom(root)
  const screens = createScreens(dom)
  const cleanups: Array<() => void> = [() => dom.destroy(), () => screens.destroy()]

  return {
    screen: () => screens.current(),
    start(track, attributes) {
      // Attributes first: where an element and a trigger both track a screen, the element's event comes first.
      if (attributes)
        cleanups.push(
          wireAttributes(dom, screens, vars, log, (name, props) => track(name, props)),
          bindVariables(dom, vars),
        )
      const triggers = createTriggers(dom, screens, vars, log.warn, (name, spec, element) => {
        const fromElement = element ? elementProps(element, log.warn) : undefined
        const props: JsonObject | undefined = spec.props || fromElement ? { ...spec.props, ...fromElement } : undefined
        track(name, props, spec.optimistic ? { optimistic: spec.optimistic } : undefined)
      })
      cleanups.push(() => triggers.destroy())
      return triggers
    },
    destroy() {
      for (const cleanup of cleanups.splice(0).reverse()) cleanup()
    },
  }
}

import type { Warn } from '../log.ts'
import { EVENT_NAME, type Json } from '@hookline/protocol'
import type { MapStore } from 'nanostores'
import { undo, type Cleanups } from '../cleanups.ts'
import { isJsonObject, jsonEqual } from '../json.ts'
import { notAnEventName } from '../errors.ts'
import type { TriggerSpec } from '../types.ts'
import type { Dom } from './dom.ts'
import type { Screens } from './screens.ts'

/** A trigger fired: track `name` with the spec's props and optimistic update (and the element's `data-hl-props`). */
export type Fire = (name: string, spec: TriggerSpec, element?: Element) => void

export interface Triggers {
  /**
   * `hl.on()`: adds a trigger; adding the same name and spec again changes nothing. Returns its
   * remover. A bad name, selector or spec is warned about and ignored.
   */
  add(name: string, spec: TriggerSpec): () => void
  /** Runs `change` without firing change triggers (variable defaults are not a change). */
  quietly(change: () => void): void
  destroy(): void
}

type Registered = { name: string; spec: TriggerSpec }

/** Triggers by delegation: one set of DOM listeners (see `Dom`) and one screen watch serve every trigger. */
export function createTriggers(
  dom: Dom,
  screens: Screens,
  vars: MapStore<Record<string, Json>>,
  warn: Warn,
  fire: Fire,
): Triggers {
  const registry = new Map<string, Registered>()
  const offs: Cleanups = []
  let tapping = false
  let unlistenVars: (() => void) | undefined
  let changing = 0

  const each = <K extends 'tap' | 'screen' | 'change'>(
    kind: K,
  ): Array<{ name: string; spec: Extract<TriggerSpec, Record<K, unknown>> }> =>
    [...registry.values()].filter((entry) => kind in entry.spec) as never

  const onTap = (element: Element): void => {
    for (const { name, spec } of each('tap')) {
      const match = element.closest(spec.tap)
      if (match) fire(name, spec, match)
    }
  }

  const onVars = (
    value: Readonly<Record<string, Json>>,
    old: Readonly<Record<string, Json>> | undefined,
    key: string | undefined,
  ): void => {
    if (changing > 0) return // a change made by a change trigger does not fire change triggers again
    const changed = key !== undefined ? [key] : diffKeys(value, old ?? {})
    changing++
    try {
      for (const entry of each('change')) {
        const { change, to } = entry.spec
        if (!changed.includes(change)) continue
        if (to !== undefined && !jsonEqual(value[change], to)) continue
        fire(entry.name, entry.spec)
      }
    } finally {
      changing--
    }
  }

  offs.push(
    screens.onShow((shown, element) => {
      for (const entry of each('screen')) if (entry.spec.screen === shown) fire(entry.name, entry.spec, element)
    }),
  )

  const ignored: (...args: Parameters<Warn>) => () => void = (code, ...args) => {
    warn(code, ...args)
    return () => {}
  }

  return {
    add(name: unknown, input: TriggerSpec | null | undefined) {
      // Plain JS may pass anything: a spec that is no object is warned about below as one with no kind.
      const spec = (isJsonObject(input) ? input : {}) as TriggerSpec
      if (typeof name !== 'string' || !EVENT_NAME.test(name)) return ignored('HL15', notAnEventName(name))
      const id = `${name}\u0000${JSON.stringify(spec)}`
      const remove = (): void => void registry.delete(id)
      if (registry.has(id)) return remove
      if ('tap' in spec) {
        try {
          dom.document.querySelector(spec.tap)
        } catch {
          return ignored('HL16', name, spec.tap)
        }
        registry.set(id, { name, spec })
        if (!tapping) {
          tapping = true
          offs.push(dom.onTap(onTap))
        }
      } else if ('screen' in spec) {
        registry.set(id, { name, spec })
        // Starting the watch fires it if its screen shows; a trigger added later while its screen
        // shows (e.g. from the project config, after load) fires at once.
        if (!screens.start() && screens.showing(spec.screen)) fire(name, spec)
      } else if ('change' in spec) {
        registry.set(id, { name, spec })
        unlistenVars ??= vars.listen(onVars)
      } else return ignored('HL17', name)
      return remove
    },
    quietly(change) {
      changing++
      try {
        change()
      } finally {
        changing--
      }
    },
    destroy() {
      undo(offs)
      tapping = false
      unlistenVars?.()
      unlistenVars = undefined
      registry.clear()
    },
  }
}

function diffKeys(a: Readonly<Record<string, Json>>, b: Readonly<Record<string, Json>>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  return [...keys].filter((key) => !jsonEqual(a[key], b[key]))
}

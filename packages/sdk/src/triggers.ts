import type { Json, JsonObject } from '@hookline/protocol'
import type { MapStore } from 'nanostores'
import type { Dom } from './dom.ts'
import { jsonEqual } from './equal.ts'
import type { TriggerSpec } from './types.ts'

export interface TriggersOptions {
  dom: Dom
  vars: MapStore<Record<string, Json>>
  /** A trigger fired: track `name` with the spec's props and optimistic update. */
  fire(name: string, spec: TriggerSpec, element?: Element): void
  warn(message: string): void
}

export interface Triggers {
  /** Adds a trigger; adding the same name and spec again changes nothing. Returns its remover. */
  add(name: string, spec: TriggerSpec): () => void
  /** The current screen: the last `[data-hl-screen]` that appeared, else the route. */
  screen(): string | undefined
  /** Runs `change` without firing change triggers (variable defaults are not a change). */
  quietly(change: () => void): void
  /** Called for each `[data-hl-screen]` element that appears (the attributes layer uses it). */
  onScreen(handler: (name: string, element: Element) => void): () => void
  destroy(): void
}

type Registered = { name: string; spec: TriggerSpec }

/** Triggers by delegation: one set of DOM listeners (see `Dom`) serves every tap and screen trigger. */
export function createTriggers(options: TriggersOptions): Triggers {
  const { dom, vars } = options
  const registry = new Map<string, Registered>()
  const screenHandlers = new Set<(name: string, element: Element) => void>()
  let seen = new Map<Element, string>()
  let current: string | undefined
  let watchingScreens = false
  let unlistenVars: (() => void) | undefined
  let changing = 0
  let tapping = false
  const offs: Array<() => void> = []

  const each = <K extends 'tap' | 'screen' | 'change'>(
    kind: K,
  ): Array<{ name: string; spec: Extract<TriggerSpec, Record<K, unknown>> }> =>
    [...registry.values()].filter((entry) => kind in entry.spec) as never

  function onTap(element: Element): void {
    for (const { name, spec } of each('tap')) {
      const match = element.closest(spec.tap)
      if (match) options.fire(name, spec, match)
    }
  }

  function appeared(name: string, element: Element): void {
    current = name
    for (const handler of [...screenHandlers]) handler(name, element)
    for (const entry of each('screen')) if (entry.spec.screen === name) options.fire(entry.name, entry.spec, element)
  }

  function scan(): void {
    const next = new Map<Element, string>()
    const fresh: Array<[string, Element]> = []
    for (const element of dom.document.querySelectorAll('[data-hl-screen]')) {
      const name = element.getAttribute('data-hl-screen') ?? ''
      next.set(element, name)
      if (name && seen.get(element) !== name) fresh.push([name, element])
    }
    seen = next
    for (const [name, element] of fresh) appeared(name, element)
  }

  function onRoute(route: string): void {
    scan()
    if (!route) return
    if (!seen.size) current = route
    for (const entry of each('screen')) if (entry.spec.screen === route) options.fire(entry.name, entry.spec)
  }

  function watchScreens(): void {
    if (watchingScreens) return
    watchingScreens = true
    offs.push(dom.onMutate(scan), dom.onRoute(onRoute))
    // The route showing at start counts as a screen load, like a later route change would.
    onRoute(dom.route())
  }

  function onVars(
    value: Readonly<Record<string, Json>>,
    old: Readonly<Record<string, Json>> | undefined,
    key: string | undefined,
  ): void {
    if (changing > 0) return // a change made by a change trigger does not fire change triggers again
    const changed = key !== undefined ? [key] : diffKeys(value, old ?? {})
    changing++
    try {
      for (const entry of each('change')) {
        const { change, to } = entry.spec
        if (!changed.includes(change)) continue
        if (to !== undefined && !jsonEqual(value[change], to)) continue
        options.fire(entry.name, entry.spec)
      }
    } finally {
      changing--
    }
  }

  return {
    add(name, spec) {
      const id = `${name}\u0000${JSON.stringify(spec)}`
      const remove = (): void => void registry.delete(id)
      if (registry.has(id)) return remove
      if ('tap' in spec) {
        try {
          dom.document.querySelector(spec.tap)
        } catch {
          options.warn(`hl.on("${name}"): "${spec.tap}" is not a CSS selector; ignored`)
          return () => {}
        }
        registry.set(id, { name, spec })
        if (!tapping) {
          tapping = true
          offs.push(dom.onTap(onTap))
        }
      } else if ('screen' in spec) {
        registry.set(id, { name, spec })
        // The first scan fires it if the screen is showing; later, a trigger added while its screen
        // shows (e.g. from the project config, after load) fires at once.
        if (!watchingScreens) watchScreens()
        else if (current === spec.screen || [...seen.values()].includes(spec.screen)) options.fire(name, spec)
      } else if ('change' in spec) {
        registry.set(id, { name, spec })
        unlistenVars ??= vars.listen(onVars as never)
      } else {
        options.warn(`hl.on("${name}"): needs tap, screen or change; ignored`)
      }
      return remove
    },
    screen() {
      if (!watchingScreens) watchScreens()
      return current ?? (dom.route() || undefined)
    },
    quietly(change) {
      changing++
      try {
        change()
      } finally {
        changing--
      }
    },
    onScreen(handler) {
      screenHandlers.add(handler)
      watchScreens()
      return () => screenHandlers.delete(handler)
    },
    destroy() {
      for (const off of offs.splice(0)) off()
      tapping = watchingScreens = false
      unlistenVars?.()
      unlistenVars = undefined
      registry.clear()
      screenHandlers.clear()
    },
  }
}

function diffKeys(a: Readonly<Record<string, Json>>, b: Readonly<Record<string, Json>>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  return [...keys].filter((key) => !jsonEqual(a[key], b[key]))
}
